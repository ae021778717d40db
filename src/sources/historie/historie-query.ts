import { periodBounds, type ResidenceHistory } from "../synthetic/index.ts";
import { validateParams, type Answer } from "../http/index.ts";
import { renderVerblijfplaats } from "./historie-render.ts";

const TYPES = {
  RaadpleegMetPeildatum: { burgerservicenummer: "bsn", peildatum: "date" },
  RaadpleegMetPeriode: { burgerservicenummer: "bsn", datumVan: "date", datumTot: "date" },
} as const;

/**
 * Executes a HistorieQuery: the verblijfplaatsen valid on `peildatum`, or overlapping
 * [`datumVan`, `datumTot`), most recent first. A period whose start is partly unknown counts from
 * its earliest possible day. An unknown BSN answers an empty list.
 */
export function answerHistorieQuery(body: Record<string, unknown>, history: ResidenceHistory): Answer {
  const valid = validateParams(body, TYPES);
  if (!valid.ok) return valid;
  const periods = history.historyOf(body["burgerservicenummer"] as string) ?? [];
  const [van, tot] =
    valid.type === "RaadpleegMetPeildatum"
      ? [body["peildatum"] as string, undefined]
      : [body["datumVan"] as string, body["datumTot"] as string];
  const selected = periods.filter((p) => {
    const b = periodBounds(p);
    const endsAfter = b.tot === undefined || b.tot > van;
    return endsAfter && (tot === undefined ? b.vanEarliest <= van : b.vanEarliest < tot);
  });
  return { ok: true, body: { verblijfplaatsen: selected.map(renderVerblijfplaats) } };
}
