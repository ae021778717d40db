import DataLoader from "dataloader";
import type { Bsn, Result, SourceError } from "../../shared/index.ts";
import type { HistorieClient, HistorieMoment } from "./historie-client.ts";
import type { HistorieVerblijfplaats } from "./historie-schema.ts";

export type HistorieKey = { readonly bsn: Bsn } & HistorieMoment;
export type HistorieResult = Result<HistorieVerblijfplaats[], SourceError>;

export interface HistorieLoaders {
  /** An upstream failure is an error value, never an empty history. */
  readonly verblijfplaatshistorie: DataLoader<HistorieKey, HistorieResult, string>;
}

const keyOf = (k: HistorieKey) =>
  "peildatum" in k ? `${k.bsn}|${k.peildatum}` : `${k.bsn}|${k.van}|${k.tot}`;

/**
 * Per-request loaders. The API takes one person per call, so a batch is one call per distinct
 * key; equal keys within a request share that call (deduplication by `keyOf`).
 */
export function createHistorieLoaders(client: HistorieClient): HistorieLoaders {
  const verblijfplaatshistorie = new DataLoader<HistorieKey, HistorieResult, string>(
    (keys) =>
      Promise.all(
        keys.map((k) =>
          client.verblijfplaatshistorie(
            k.bsn,
            "peildatum" in k ? { peildatum: k.peildatum } : { van: k.van, tot: k.tot },
          ),
        ),
      ),
    { cacheKeyFn: keyOf },
  );
  return { verblijfplaatshistorie };
}
