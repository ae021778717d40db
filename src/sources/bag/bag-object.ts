import { ok, type Result, type SourceError } from "../../shared/index.ts";
import type { BagLoaders } from "./bag-loaders.ts";
import type { BagObjectQuery } from "./bag-probes.ts";
import type { BagAdres, BagAdresseerbaarObject, BagPand } from "./bag-schema.ts";

/** The gateway's BagObject (schema/bag.graphql): an address, its object and its panden. */
export interface BagObjectView {
  readonly adres: BagAdres | null;
  readonly adresseerbaarObject: BagAdresseerbaarObject | null;
  readonly panden: readonly BagPand[] | null;
}

/** Which parts the query asked for; parts not asked are not fetched (data minimisation). */
export interface BagObjectParts {
  readonly adres: boolean;
  readonly adresseerbaarObject: boolean;
  readonly panden: boolean;
}

const same = (a: string | undefined, b: string | undefined) =>
  (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

/**
 * The address a query names: by address only an exact match counts (15 is not 15a); by BAG id the
 * object's main address. null when the BAG does not know it; an upstream failure is an error.
 */
export async function bagAdres(
  loaders: BagLoaders,
  query: BagObjectQuery,
): Promise<Result<BagAdres | null, SourceError>> {
  if ("adresseerbaarObjectIdentificatie" in query) {
    const found = await loaders.adressenVanObject.load(query.adresseerbaarObjectIdentificatie);
    if (!found.ok) return found;
    return ok(found.value.find((a) => a.indicatieNevenadres !== true) ?? found.value[0] ?? null);
  }
  const postcode = query.postcode.replace(/\s+/g, "").toUpperCase();
  const found = await loaders.adressen.load({ ...query, postcode, exacteMatch: true });
  if (!found.ok) return found;
  const exact = found.value.find(
    (a) =>
      a.postcode === postcode &&
      a.huisnummer === query.huisnummer &&
      same(a.huisletter, query.huisletter) &&
      same(a.huisnummertoevoeging, query.huisnummertoevoeging),
  );
  return ok(exact ?? null);
}

/** The BAG id of the adresseerbaar object a query names; null if the BAG does not know it. */
export async function bagObjectId(
  loaders: BagLoaders,
  query: BagObjectQuery,
): Promise<Result<string | null, SourceError>> {
  if ("adresseerbaarObjectIdentificatie" in query) return ok(query.adresseerbaarObjectIdentificatie);
  const adres = await bagAdres(loaders, query);
  if (!adres.ok) return adres;
  return ok(adres.value?.adresseerbaarObjectIdentificatie ?? null);
}

/**
 * Loads the parts of a BagObject that were asked for. null when the object does not exist; any
 * upstream failure on the way is an error (never a partial object).
 */
export async function loadBagObject(
  loaders: BagLoaders,
  query: BagObjectQuery,
  parts: BagObjectParts,
): Promise<Result<BagObjectView | null, SourceError>> {
  let adres: BagAdres | null = null;
  const byId = "adresseerbaarObjectIdentificatie" in query;
  if (parts.adres || !byId) {
    const found = await bagAdres(loaders, query);
    if (!found.ok) return found;
    if (found.value === null && !byId) return ok(null);
    adres = found.value;
  }
  const needsObject = parts.adresseerbaarObject || parts.panden;
  const id = byId ? query.adresseerbaarObjectIdentificatie : adres?.adresseerbaarObjectIdentificatie;
  let object: BagAdresseerbaarObject | null = null;
  if (needsObject && id) {
    const found = await loaders.adresseerbaarObject.load(id);
    if (!found.ok) return found;
    object = found.value;
  }
  // Asked by id: unknown when the BAG has no such object (or, asked for its address only, no address).
  if (byId && (needsObject ? object === null : adres === null)) return ok(null);
  let panden: BagPand[] | null = null;
  if (parts.panden) {
    const ids =
      object?.type === "Verblijfsobject" ? object.maaktDeelUitVan : (adres?.pandIdentificaties ?? []);
    const loaded = await loaders.pand.loadMany(ids);
    panden = [];
    for (const p of loaded) {
      if (p instanceof Error) throw p;
      if (!p.ok) return p;
      if (p.value) panden.push(p.value);
    }
  }
  return ok({ adres, adresseerbaarObject: object, panden });
}
