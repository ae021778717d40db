import DataLoader from "dataloader";
import { err, ok, parseKvkNummer, type Result, type SourceError } from "../../shared/index.ts";
import { createLimiter } from "../bag/index.ts";
import type { PermitsClient } from "./permits-client.ts";
import { DEFAULT_ZAAKTYPE_RULES, type ZaaktypeRule } from "./permits-kinds.ts";
import { indexZaaktypen, toPermit, type Permit, type ZaaktypeIndex } from "./permits-model.ts";
import type { OndernemingLookup } from "./permits-onderneming.ts";
import type { Zaak } from "./permits-schema.ts";

/** The Zaken API has no batch endpoint: at most this many calls of one request are in flight at once. */
export const PERMITS_MAX_CONCURRENT = 4;

/** A subject's permit cases (none is an empty list); an upstream failure is an error value. */
export type PermitsResult = Result<Permit[], SourceError>;

export interface PermitsLoaders {
  /** Zaken with a natuurlijk-persoon rol with this BSN. */
  readonly byBsn: DataLoader<string, PermitsResult>;
  /**
   * Zaken of a company: its RSIN and its vestigingen, found through the `onderneming` lookup
   * (the Zaken API has no KvK-number filter). A KvK number the lookup does not know has none.
   */
  readonly byKvkNummer: DataLoader<string, PermitsResult>;
  /** Zaken with a vestiging rol with this 12-digit vestigingsnummer. */
  readonly byVestigingsnummer: DataLoader<string, PermitsResult>;
  /** Zaken with a niet-natuurlijk-persoon rol with this RSIN (`innNnpId`). */
  readonly byRsin: DataLoader<string, PermitsResult>;
  /** Zaken with a zaakobject for this BAG adresseerbaar object (16 digits). */
  readonly byAdresseerbaarObject: DataLoader<string, PermitsResult>;
  /** The catalogue's zaaktypen by URL, fetched at most once by these loaders. */
  zaaktypen(): Promise<Result<ZaaktypeIndex, SourceError>>;
}

export interface PermitsLoaderOptions {
  /** Most upstream calls in flight at once, over all loaders; default {@link PERMITS_MAX_CONCURRENT}. */
  readonly maxConcurrent?: number;
  /** KvK number → RSIN and vestigingsnummers (e.g. kvkOndernemingLookup); without it byKvkNummer is an error. */
  readonly onderneming?: OndernemingLookup | undefined;
  /** The municipality's zaaktype table; default {@link DEFAULT_ZAAKTYPE_RULES}. */
  readonly zaaktypeRules?: readonly ZaaktypeRule[];
}

const distinct = (permits: readonly Permit[]): Permit[] => [
  ...new Map(permits.map((p) => [p.zaakUrl, p])).values(),
];

/**
 * Per-request loaders, keyed by subject. The same subject asked twice in one request is fetched
 * once; distinct ones with bounded concurrency. The zaaktypen are catalogue data, not data about
 * persons, but design.md ("Scale") caches no upstream answer across requests, so they are
 * fetched per request, at most once, and only when some subject has zaken at all (no zaken is
 * no permit, whatever the catalogue says).
 */
export function createPermitsLoaders(
  client: PermitsClient,
  options: PermitsLoaderOptions = {},
): PermitsLoaders {
  const limit = createLimiter(options.maxConcurrent ?? PERMITS_MAX_CONCURRENT);
  const rules = options.zaaktypeRules ?? DEFAULT_ZAAKTYPE_RULES;
  let catalogue: Promise<Result<ZaaktypeIndex, SourceError>> | undefined;
  const zaaktypen = () =>
    (catalogue ??= limit(() => client.zaaktypen()).then((r) => (r.ok ? ok(indexZaaktypen(r.value)) : r)));

  async function permitsOf(zaken: Result<Zaak[], SourceError>): Promise<PermitsResult> {
    if (!zaken.ok) return zaken;
    if (zaken.value.length === 0) return ok([]);
    const types = await zaaktypen();
    if (!types.ok) return types;
    return ok(distinct(zaken.value.map((z) => toPermit(z, types.value, rules))));
  }
  const each =
    (call: (key: string) => Promise<Result<Zaak[], SourceError>>) =>
    (keys: readonly string[]): Promise<PermitsResult[]> =>
      Promise.all(keys.map((key) => limit(() => call(key)).then(permitsOf)));

  const byRsin = new DataLoader(each((rsin) => client.zaken({ nietNatuurlijkPersoon: { rsin } })));
  const byVestigingsnummer = new DataLoader(
    each((vestigingsnummer) => client.zaken({ vestiging: { vestigingsnummer } })),
  );

  async function ofCompany(input: string): Promise<PermitsResult> {
    const kvkNummer = parseKvkNummer(input);
    if (!kvkNummer.ok) return err({ kind: "rejected", reason: "invalid_kvk_nummer" });
    if (!options.onderneming) return err({ kind: "rejected", reason: "no_onderneming_lookup" });
    const ids = await options.onderneming(kvkNummer.value);
    if (!ids.ok) return ids;
    if (ids.value === null) return ok([]);
    const { rsin, vestigingsnummers } = ids.value;
    const parts = await Promise.all([
      ...(rsin === undefined ? [] : [byRsin.load(rsin)]),
      ...vestigingsnummers.map((v) => byVestigingsnummer.load(v)),
    ]);
    const permits: Permit[] = [];
    for (const part of parts) {
      if (!part.ok) return part;
      permits.push(...part.value);
    }
    return ok(distinct(permits));
  }

  return {
    byBsn: new DataLoader(each((bsn) => client.zaken({ natuurlijkPersoon: { bsn } }))),
    byKvkNummer: new DataLoader((keys: readonly string[]) => Promise.all(keys.map(ofCompany))),
    byVestigingsnummer,
    byRsin,
    byAdresseerbaarObject: new DataLoader(each((id) => client.zakenBijObject(id))),
    zaaktypen,
  };
}
