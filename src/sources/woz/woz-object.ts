import { ok, type Result, type SourceError } from "../../shared/index.ts";
import type { BagObjectQuery } from "../bag/index.ts";
import type { WozLoaders } from "./woz-loaders.ts";
import type { WozObject } from "./woz-schema.ts";

/** An object as the contract's `object(…)` names it: by address or by BAG id (as for the BAG). */
export type WozObjectQuery = BagObjectQuery;

const same = (a: string | undefined, b: string | undefined) =>
  (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

/**
 * The WOZ object of an object: by address only an exact match of its aanduiding counts (a query
 * for 15 is not answered by 15a, whatever the upstream's matching); by BAG id the WOZ object the
 * adresseerbaar object belongs to. null when the WOZ has none; a failure is an error, never null.
 */
export async function wozObjectFor(
  loaders: WozLoaders,
  query: WozObjectQuery,
): Promise<Result<WozObject | null, SourceError>> {
  if ("adresseerbaarObjectIdentificatie" in query) {
    const id = query.adresseerbaarObjectIdentificatie;
    const found = await loaders.zoek.load({ adresseerbaarObjectIdentificatie: id });
    if (!found.ok) return found;
    return ok(found.value.find((o) => o.adresseerbaarObjectIdentificaties?.includes(id)) ?? null);
  }
  const postcode = query.postcode.replace(/\s+/g, "").toUpperCase();
  const found = await loaders.zoek.load({ ...query, postcode });
  if (!found.ok) return found;
  const exact = found.value.find(
    ({ aanduiding: a }) =>
      a?.postcode === postcode &&
      a.huisnummer === query.huisnummer &&
      same(a.huisletter, query.huisletter) &&
      same(a.huisnummertoevoeging, query.huisnummertoevoeging),
  );
  return ok(exact ?? null);
}
