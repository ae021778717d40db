import DataLoader from "dataloader";
import type { Result, SourceError } from "../../shared/index.ts";
import { limitedCalls } from "../bag/index.ts";
import type { WozClient, WozZoekvraag } from "./woz-client.ts";
import type { WozObject } from "./woz-schema.ts";

export type WozResult<T> = Result<T, SourceError>;

export interface WozLoaders {
  /** The WOZ objects a search finds (address or BAG id); [] = none. A failure is an error value. */
  readonly zoek: DataLoader<WozZoekvraag, WozResult<WozObject[]>, string>;
  /** One WOZ object by WOZ-objectnummer; null = the WOZ has no such object. */
  readonly object: DataLoader<string, WozResult<WozObject | null>>;
}

export interface WozLoaderOptions {
  /** Most upstream calls in flight at once, over both loaders; default 8. */
  readonly maxConcurrent?: number;
}

/** One key per distinct search, however the caller spelled the postcode or letter. */
const zoekKey = (v: WozZoekvraag): string =>
  "adresseerbaarObjectIdentificatie" in v
    ? `a:${v.adresseerbaarObjectIdentificatie}`
    : "nummeraanduidingIdentificatie" in v
      ? `n:${v.nummeraanduidingIdentificatie}`
      : JSON.stringify([
          v.postcode.replace(/\s+/g, "").toUpperCase(),
          v.huisnummer,
          v.huisletter?.toLowerCase() ?? null,
          v.huisnummertoevoeging?.toLowerCase() ?? null,
        ]);

/**
 * Per-request loaders (nothing cached across requests). WOZ Bevragen has no batch endpoint, so a
 * batch is one call per distinct key, deduplicated within the request, at most `maxConcurrent` at
 * a time.
 */
export function createWozLoaders(client: WozClient, options: WozLoaderOptions = {}): WozLoaders {
  const each = limitedCalls(options.maxConcurrent ?? 8);
  return {
    zoek: new DataLoader(
      each((v: WozZoekvraag) => client.zoekWozObjecten(v)),
      { cacheKeyFn: zoekKey },
    ),
    object: new DataLoader(each((id: string) => client.wozObject(id))),
  };
}
