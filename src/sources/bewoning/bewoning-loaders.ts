import DataLoader from "dataloader";
import type { BagId, Result, SourceError } from "../../shared/index.ts";
import type { BewoningClient } from "./bewoning-client.ts";
import type { Bewoning } from "./bewoning-schema.ts";

export type BewoningKey =
  | { readonly adresseerbaarObjectIdentificatie: BagId; readonly peildatum: string }
  | { readonly adresseerbaarObjectIdentificatie: BagId; readonly van: string; readonly tot: string };
export type BewoningResult = Result<Bewoning[], SourceError>;

export interface BewoningLoaders {
  /** An upstream failure is an error value, never an empty list. */
  readonly bewoning: DataLoader<BewoningKey, BewoningResult, string>;
}

const keyOf = (k: BewoningKey) =>
  "peildatum" in k
    ? `${k.adresseerbaarObjectIdentificatie}|${k.peildatum}`
    : `${k.adresseerbaarObjectIdentificatie}|${k.van}|${k.tot}`;

/**
 * Per-request loaders. The API takes one address per call, so a batch is one call per distinct
 * key; equal keys within a request share that call (deduplication by `keyOf`).
 */
export function createBewoningLoaders(client: BewoningClient): BewoningLoaders {
  const bewoning = new DataLoader<BewoningKey, BewoningResult, string>(
    (keys) =>
      Promise.all(
        keys.map((k) =>
          "peildatum" in k
            ? client.bewoningOpPeildatum(k.adresseerbaarObjectIdentificatie, k.peildatum)
            : client.bewoningInPeriode(k.adresseerbaarObjectIdentificatie, k.van, k.tot),
        ),
      ),
    { cacheKeyFn: keyOf },
  );
  return { bewoning };
}
