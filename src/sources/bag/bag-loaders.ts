import DataLoader from "dataloader";
import type { Result, SourceError } from "../../shared/index.ts";
import type { BagAdresZoekvraag, BagClient } from "./bag-client.ts";
import type { BagAdres, BagAdresseerbaarObject, BagPand, BagVerblijfsobject } from "./bag-schema.ts";

export type BagResult<T> = Result<T, SourceError>;

export interface BagLoaders {
  /** Addresses for a postcode + huisnummer (+ letter, toevoeging, exacteMatch). */
  readonly adressen: DataLoader<BagAdresZoekvraag, BagResult<BagAdres[]>, string>;
  /** The addresses of an adresseerbaar object (main first in the BAG's order); none = unknown object. */
  readonly adressenVanObject: DataLoader<string, BagResult<BagAdres[]>>;
  /** null = the BAG has no such object. An upstream failure is an error value, never null. */
  readonly adresseerbaarObject: DataLoader<string, BagResult<BagAdresseerbaarObject | null>>;
  readonly verblijfsobject: DataLoader<string, BagResult<BagVerblijfsobject | null>>;
  readonly pand: DataLoader<string, BagResult<BagPand | null>>;
}

export interface BagLoaderOptions {
  /** Most upstream calls in flight at once, over all four loaders; default 8. */
  readonly maxConcurrent?: number;
}

/** A counting semaphore: at most `max` of the wrapped calls run at once, the rest queue in order. */
export function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (running >= max) await new Promise<void>((resolve) => queue.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * A DataLoader batch function for an API without a batch call: one call per key, at most `max`
 * of them (over every batch the returned `each` serves) in flight at once.
 */
export function limitedCalls(max: number) {
  const limit = createLimiter(max);
  return <K, V>(call: (key: K) => Promise<V>) =>
    (keys: readonly K[]): Promise<V[]> =>
      Promise.all(keys.map((key) => limit(() => call(key))));
}

const zoekKey = (v: BagAdresZoekvraag) =>
  JSON.stringify([
    v.postcode.replace(/\s+/g, "").toUpperCase(),
    v.huisnummer,
    v.huisletter?.toLowerCase() ?? null,
    v.huisnummertoevoeging?.toLowerCase() ?? null,
    v.exacteMatch ?? null,
  ]);

/**
 * Per-request loaders. The BAG has no batch endpoint, so a batch is one call per distinct key
 * (DataLoader dedupes keys within and across ticks of one request), with at most
 * `maxConcurrent` calls upstream at a time (the Kadaster limits use of the API).
 */
export function createBagLoaders(client: BagClient, options: BagLoaderOptions = {}): BagLoaders {
  const each = limitedCalls(options.maxConcurrent ?? 8);
  return {
    adressen: new DataLoader(
      each((v: BagAdresZoekvraag) => client.zoekAdressen(v)),
      { cacheKeyFn: zoekKey },
    ),
    adressenVanObject: new DataLoader(each((id: string) => client.adressenVanObject(id))),
    adresseerbaarObject: new DataLoader(each((id: string) => client.adresseerbaarObject(id))),
    verblijfsobject: new DataLoader(each((id: string) => client.verblijfsobject(id))),
    pand: new DataLoader(each((id: string) => client.pand(id))),
  };
}
