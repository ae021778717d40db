import type { Bsn, HitResult } from "../../shared/index.ts";
import { err, ok, UnreachableCaseError, type Result, type SourceError } from "../../shared/index.ts";
import type { BrpLoaders } from "./brp-loaders.ts";

/** The BRP probes (design.md "Hit semantics"): named yes/no questions, nothing else revealed. */
export const BRP_PROBES = [
  {
    id: "brp.ingeschreven",
    description: "De BSN heeft een persoonslijst in de BRP (ingeschreven of ooit ingeschreven).",
    fields: ["burgerservicenummer"],
  },
  {
    id: "brp.binnenGemeente",
    description: "De persoon staat ingeschreven in deze gemeente (gemeenteVanInschrijving).",
    fields: ["gemeenteVanInschrijving"],
  },
] as const;

export type BrpProbeId = (typeof BRP_PROBES)[number]["id"];

export interface BrpProbeOptions {
  /** CBS code of this municipality, e.g. 0935. */
  readonly municipalityCode: string;
}

export interface ProbeAnswer {
  readonly result: HitResult;
  /** Value-free reason code for the audit log. */
  readonly reason: string;
}

/** Whether the person is registered in this municipality; an upstream failure is an error, never `false`. */
export async function brpTerritory(
  loaders: BrpLoaders,
  bsn: Bsn,
  options: BrpProbeOptions,
): Promise<Result<boolean, SourceError>> {
  const loaded = await loaders.persoon.load({ bsn, fields: ["gemeenteVanInschrijving"] });
  if (!loaded.ok) return loaded;
  if (loaded.value === null) return ok(false);
  const code = loaded.value.gemeenteVanInschrijving?.code;
  if (code === undefined) return err({ kind: "malformed", reason: "field_missing" });
  return ok(code === options.municipalityCode);
}

/** Runs one probe. Any upstream failure is UNKNOWN with the failure's reason, never NO_HIT. */
export async function runBrpProbe(
  loaders: BrpLoaders,
  bsn: Bsn,
  probeId: BrpProbeId,
  options: BrpProbeOptions,
): Promise<ProbeAnswer> {
  switch (probeId) {
    case "brp.ingeschreven": {
      const loaded = await loaders.persoon.load({ bsn, fields: ["burgerservicenummer"] });
      if (!loaded.ok) return { result: "UNKNOWN", reason: loaded.error.reason };
      return loaded.value === null
        ? { result: "NO_HIT", reason: "not_found" }
        : { result: "HIT", reason: "found" };
    }
    case "brp.binnenGemeente": {
      const inside = await brpTerritory(loaders, bsn, options);
      if (!inside.ok) return { result: "UNKNOWN", reason: inside.error.reason };
      return inside.value ? { result: "HIT", reason: "inside" } : { result: "NO_HIT", reason: "not_inside" };
    }
    default:
      throw new UnreachableCaseError(probeId);
  }
}
