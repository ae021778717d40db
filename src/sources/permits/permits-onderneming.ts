import { ok, type KvkNummer, type Result, type SourceError } from "../../shared/index.ts";
import type { KvkLoaders } from "../kvk/index.ts";

/**
 * What the Zaken API can find a company's zaken by. Zaken API 1.5 has no KvK-number filter: a
 * rechtspersoon is a niet-natuurlijk persoon by its RSIN (`innNnpId`), an establishment a
 * vestiging by its vestigingsnummer; an eenmanszaak has no RSIN.
 */
export interface OndernemingIds {
  readonly rsin?: string | undefined;
  readonly vestigingsnummers: readonly string[];
}

/** KvK number → its RSIN and vestigingsnummers; null when the Handelsregister has no such registration. */
export type OndernemingLookup = (kvkNummer: KvkNummer) => Promise<Result<OndernemingIds | null, SourceError>>;

/**
 * The lookup through KVK Zoeken v2 (the request's own KVK loaders, so it is fetched once per
 * request and audited as a KVK call): every vestiging and the rechtspersoon of the registration,
 * ended registrations included, since a company that stopped may still have had permit cases.
 */
export function kvkOndernemingLookup(kvk: KvkLoaders): OndernemingLookup {
  return async (kvkNummer) => {
    const found = await kvk.zoeken.load({
      params: { kvkNummer, inclusiefInactieveRegistraties: true, resultatenPerPagina: 100 },
      allPages: true,
    });
    if (!found.ok) return found;
    const items = found.value.resultaten.filter((r) => r.kvkNummer === kvkNummer);
    if (items.length === 0) return ok(null);
    const vestigingsnummers = [
      ...new Set(items.flatMap((r) => (r.vestigingsnummer === undefined ? [] : [r.vestigingsnummer]))),
    ];
    const rsin = items.find((r) => r.rsin !== undefined)?.rsin;
    return ok({ rsin, vestigingsnummers });
  };
}
