import DataLoader from "dataloader";
import type { KvkNummer, Result, SourceError } from "../../shared/index.ts";
import type { KvkClient } from "./kvk-client.ts";
import type { KvkBasisprofiel, KvkVestigingsprofiel, KvkZoekParams, KvkZoekResultaat } from "./kvk-schema.ts";

/** KVK has no batch endpoint: at most this many calls of one loader batch are in flight at once. */
export const KVK_MAX_CONCURRENT = 4;

export interface KvkZoekKey {
  readonly params: KvkZoekParams;
  readonly allPages?: boolean;
}

export type KvkBasisprofielResult = Result<KvkBasisprofiel | null, SourceError>;
export type KvkVestigingsprofielResult = Result<KvkVestigingsprofiel | null, SourceError>;
export type KvkZoekResult = Result<KvkZoekResultaat, SourceError>;

export interface KvkLoaders {
  /** null = no such registration. An upstream failure is an error value, never null. */
  readonly basisprofiel: DataLoader<KvkNummer, KvkBasisprofielResult, string>;
  /** null = no such vestiging. */
  readonly vestigingsprofiel: DataLoader<string, KvkVestigingsprofielResult, string>;
  /** No results is `totaal: 0` (KVK's 404), an upstream failure an error value. */
  readonly zoeken: DataLoader<KvkZoekKey, KvkZoekResult, string>;
}

export interface KvkLoaderOptions {
  readonly maxConcurrent?: number;
}

/** Runs `fn` over `items` with at most `limit` calls pending, keeping the order of the answers. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** A stable key for search parameters: key order, `type` order and postcode spelling do not count. */
export function zoekKey(key: KvkZoekKey): string {
  const entries = Object.entries(key.params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, unknown] => [
      k,
      k === "type" && Array.isArray(v)
        ? [...(v as string[])].sort()
        : k === "postcode" && typeof v === "string"
          ? v.replace(/\s+/g, "").toUpperCase()
          : v,
    ])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([entries, key.allPages === true]);
}

/**
 * Per-request loaders: the same registration, vestiging or search asked twice in one request is
 * fetched once; distinct ones are fetched with bounded concurrency, since KVK offers no batch call
 * (and rate-limits: at most 100 calls a second).
 */
export function createKvkLoaders(client: KvkClient, options: KvkLoaderOptions = {}): KvkLoaders {
  const limit = options.maxConcurrent ?? KVK_MAX_CONCURRENT;
  return {
    basisprofiel: new DataLoader<KvkNummer, KvkBasisprofielResult, string>(
      (keys) => mapBounded(keys, limit, (k) => client.basisprofiel(k)),
      { cacheKeyFn: (k) => k },
    ),
    vestigingsprofiel: new DataLoader<string, KvkVestigingsprofielResult, string>(
      (keys) => mapBounded(keys, limit, (k) => client.vestigingsprofiel(k)),
      { cacheKeyFn: (k) => k },
    ),
    zoeken: new DataLoader<KvkZoekKey, KvkZoekResult, string>(
      (keys) =>
        mapBounded(keys, limit, (k) =>
          client.zoeken(k.params, k.allPages === undefined ? {} : { allPages: k.allPages }),
        ),
      { cacheKeyFn: zoekKey },
    ),
  };
}
