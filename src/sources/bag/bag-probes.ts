import {
  ok,
  UnreachableCaseError,
  type HitResult,
  type Result,
  type SourceError,
} from "../../shared/index.ts";
import type { BagLoaders } from "./bag-loaders.ts";
import { bagAdres } from "./bag-object.ts";

/** The BAG probes (design.md "Hit semantics"): named yes/no questions, nothing else revealed. */
export const BAG_PROBES = [
  {
    id: "bag.adresBestaat",
    description: "Het adres (of adresseerbaar object) bestaat in de BAG.",
  },
  {
    id: "bag.binnenGemeente",
    description:
      "Het adresseerbaar object van het adres is door deze gemeente uitgegeven (de eerste vier cijfers van de BAG-identificatie zijn de gemeentecode).",
  },
] as const;

export type BagProbeId = (typeof BAG_PROBES)[number]["id"];

/** An object as the `object(…)` field of the contract asks for it: by address or by BAG id. */
export type BagObjectQuery =
  | {
      readonly postcode: string;
      readonly huisnummer: number;
      readonly huisletter?: string | undefined;
      readonly huisnummertoevoeging?: string | undefined;
    }
  | { readonly adresseerbaarObjectIdentificatie: string };

export interface BagProbeOptions {
  /** CBS code of this municipality, e.g. 0935. */
  readonly municipalityCode: string;
}

export interface BagProbeAnswer {
  readonly result: HitResult;
  /** Value-free reason code for the audit log. */
  readonly reason: string;
}

/**
 * The BAG ids of the object the query names, [] if it does not exist. By address: only an exact
 * match counts (a query for 15 is not answered by 15a), whatever the upstream's matching.
 */
async function objectIds(loaders: BagLoaders, query: BagObjectQuery): Promise<Result<string[], SourceError>> {
  if ("adresseerbaarObjectIdentificatie" in query) {
    const loaded = await loaders.adresseerbaarObject.load(query.adresseerbaarObjectIdentificatie);
    if (!loaded.ok) return loaded;
    return ok(loaded.value === null ? [] : [loaded.value.identificatie]);
  }
  const adres = await bagAdres(loaders, query);
  if (!adres.ok) return adres;
  const a = adres.value;
  return ok(a === null ? [] : [a.adresseerbaarObjectIdentificatie ?? a.nummeraanduidingIdentificatie]);
}

/** Whether the object was issued by this municipality; an upstream failure is an error, never `false`. */
export async function bagTerritory(
  loaders: BagLoaders,
  query: BagObjectQuery,
  options: BagProbeOptions,
): Promise<Result<boolean, SourceError>> {
  const ids = await objectIds(loaders, query);
  if (!ids.ok) return ids;
  // BAG identifications start with the gemeentecode of the municipality that issued them.
  return ok(ids.value.some((id) => id.slice(0, 4) === options.municipalityCode));
}

/** Runs one probe. Any upstream failure is UNKNOWN with the failure's reason, never NO_HIT. */
export async function runBagProbe(
  loaders: BagLoaders,
  query: BagObjectQuery,
  probeId: BagProbeId,
  options: BagProbeOptions,
): Promise<BagProbeAnswer> {
  switch (probeId) {
    case "bag.adresBestaat": {
      const ids = await objectIds(loaders, query);
      if (!ids.ok) return { result: "UNKNOWN", reason: ids.error.reason };
      return ids.value.length > 0
        ? { result: "HIT", reason: "found" }
        : { result: "NO_HIT", reason: "not_found" };
    }
    case "bag.binnenGemeente": {
      const inside = await bagTerritory(loaders, query, options);
      if (!inside.ok) return { result: "UNKNOWN", reason: inside.error.reason };
      return inside.value ? { result: "HIT", reason: "inside" } : { result: "NO_HIT", reason: "not_inside" };
    }
    default:
      throw new UnreachableCaseError(probeId);
  }
}
