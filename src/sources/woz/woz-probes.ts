import { UnreachableCaseError, type HitResult } from "../../shared/index.ts";
import type { WozLoaders } from "./woz-loaders.ts";
import { wozObjectFor, type WozObjectQuery } from "./woz-object.ts";
import type { WozWaarde } from "./woz-schema.ts";

/** The WOZ probes (design.md "Hit semantics"): named yes/no questions, nothing else revealed. */
export const WOZ_PROBES = [
  {
    id: "woz.objectBekend",
    description: "Het object (adres of BAG-object) is een WOZ-object in de WOZ-administratie.",
  },
  {
    id: "woz.waardeBekend",
    description:
      "Voor het WOZ-object is een waarde vastgesteld voor het lopende kalenderjaar (waardepeildatum 1 januari van het jaar ervoor, Wet WOZ art. 18 lid 2).",
  },
] as const;

export type WozProbeId = (typeof WOZ_PROBES)[number]["id"];

export interface WozProbeOptions {
  /** Today (ISO date): its calendar year is the tijdvak whose value `woz.waardeBekend` asks for. */
  readonly peildatum: string;
}

export interface WozProbeAnswer {
  readonly result: HitResult;
  /** Value-free reason code for the audit log. */
  readonly reason: string;
}

/**
 * The waardepeildatum of the value that holds on `peildatum`: Wet WOZ art. 18 lid 2 values an object
 * for a calendar year as it was on the waardepeildatum, 1 January of the year before.
 */
export function currentWaardepeildatum(peildatum: string): string {
  return `${Number(peildatum.slice(0, 4)) - 1}-01-01`;
}

/** Whether a value was fixed for the tijdvak of `peildatum` (an amount, not only a status). */
export function hasCurrentValue(
  object: {
    readonly waarden?: readonly Pick<WozWaarde, "waardepeildatum" | "vastgesteldeWaarde">[] | undefined;
  },
  peildatum: string,
): boolean {
  const wanted = currentWaardepeildatum(peildatum);
  return (object.waarden ?? []).some(
    (w) => w.waardepeildatum === wanted && typeof w.vastgesteldeWaarde === "number",
  );
}

/** Runs one probe. Any upstream failure is UNKNOWN with the failure's reason, never NO_HIT. */
export async function runWozProbe(
  loaders: WozLoaders,
  query: WozObjectQuery,
  probeId: WozProbeId,
  options: WozProbeOptions,
): Promise<WozProbeAnswer> {
  const found = await wozObjectFor(loaders, query);
  if (!found.ok) return { result: "UNKNOWN", reason: found.error.reason };
  const object = found.value;
  switch (probeId) {
    case "woz.objectBekend":
      return object ? { result: "HIT", reason: "found" } : { result: "NO_HIT", reason: "not_found" };
    case "woz.waardeBekend":
      if (!object) return { result: "NO_HIT", reason: "not_found" };
      return hasCurrentValue(object, options.peildatum)
        ? { result: "HIT", reason: "value_known" }
        : { result: "NO_HIT", reason: "no_current_value" };
    default:
      throw new UnreachableCaseError(probeId);
  }
}
