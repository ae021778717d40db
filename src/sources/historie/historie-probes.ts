import { UnreachableCaseError, type Bsn, type Result, type SourceError } from "../../shared/index.ts";
import type { ProbeAnswer } from "../brp/index.ts";
import type { HistorieLoaders } from "./historie-loaders.ts";
import type { HistorieVerblijfplaats } from "./historie-schema.ts";
import { addDays } from "../http/index.ts";

/** The Verblijfplaatshistorie probes (design.md "Hit semantics"): named yes/no questions, nothing else revealed. */
export const HISTORIE_PROBES = [
  {
    id: "historie.eerderAdresInGemeente",
    description: "De persoon had eerder (een beëindigde verblijfplaats) een adres in deze gemeente.",
  },
] as const;

export type HistorieProbeId = (typeof HISTORIE_PROBES)[number]["id"];

export interface HistorieProbeOptions {
  /** CBS code of this municipality, e.g. 0935. */
  readonly municipalityCode: string;
  /** Today (ISO): the history up to and including this date is considered. */
  readonly peildatum: string;
}

/** Before the GBA and before anyone alive was born: the whole history. */
const HISTORY_START = "1900-01-01";

/**
 * A person's whole history up to and including `peildatum`: the one loader call the probe and the
 * gateway's history fields share within a request.
 */
export function wholeHistory(
  loaders: HistorieLoaders,
  bsn: Bsn,
  peildatum: string,
): Promise<Result<HistorieVerblijfplaats[], SourceError>> {
  return loaders.verblijfplaatshistorie.load({ bsn, van: HISTORY_START, tot: addDays(peildatum, 1) });
}

/** Runs one probe. Any upstream failure is UNKNOWN with the failure's reason, never NO_HIT. */
export async function runHistorieProbe(
  loaders: HistorieLoaders,
  bsn: Bsn,
  probeId: HistorieProbeId,
  options: HistorieProbeOptions,
): Promise<ProbeAnswer> {
  switch (probeId) {
    case "historie.eerderAdresInGemeente": {
      const loaded = await wholeHistory(loaders, bsn, options.peildatum);
      if (!loaded.ok) return { result: "UNKNOWN", reason: loaded.error.reason };
      // former = ended (datumTot present); the current verblijfplaats does not count
      const former = loaded.value.filter((v) => v.datumTot !== undefined);
      if (former.some((v) => v.gemeenteVanInschrijving?.code === options.municipalityCode))
        return { result: "HIT", reason: "former_address_inside" };
      if (former.some((v) => v.gemeenteVanInschrijving?.code === undefined))
        return { result: "UNKNOWN", reason: "field_missing" };
      return {
        result: "NO_HIT",
        reason: loaded.value.length === 0 ? "not_found" : "no_former_address_inside",
      };
    }
    default:
      throw new UnreachableCaseError(probeId);
  }
}
