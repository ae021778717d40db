import DataLoader from "dataloader";
import type { Result, SourceError } from "../../shared/index.ts";
import { createLimiter } from "../bag/index.ts";
import type { BrkAdresZoekvraag, BrkClient } from "./brk-client.ts";
import type {
  BrkBeslag,
  BrkHypotheek,
  BrkNietNatuurlijkPersoon,
  BrkPrivaatrechtelijkeBeperking,
  BrkPubliekrechtelijkeBeperking,
  BrkStuk,
  BrkZaak,
  BrkZakelijkGerechtigde,
} from "./brk-schema.ts";

type L<K, T> = DataLoader<K, Result<T, SourceError>, string>;

/** Per-request loaders of the BRK: the same question twice in one request is asked once. */
export interface BrkLoaders {
  readonly zakenOpAdres: L<BrkAdresZoekvraag, BrkZaak[]>;
  readonly zakenVanPersoon: L<string, BrkZaak[]>;
  readonly zakelijkGerechtigden: L<string, BrkZakelijkGerechtigde[]>;
  readonly hypotheken: L<string, BrkHypotheek[]>;
  readonly beslagen: L<string, BrkBeslag[]>;
  readonly privaatrechtelijkeBeperkingen: L<string, BrkPrivaatrechtelijkeBeperking[]>;
  readonly publiekrechtelijkeBeperkingen: L<string, BrkPubliekrechtelijkeBeperking[]>;
  /** null = no such Kadaster person. */
  readonly nietNatuurlijkPersoon: L<string, BrkNietNatuurlijkPersoon | null>;
  /** null = no such stuk. */
  readonly stuk: L<string, BrkStuk | null>;
}

export interface BrkLoaderOptions {
  /** Calls of one batch in flight at once; BRK-Bevragen has no batch endpoint. Default 4. */
  readonly maxConcurrent?: number;
}

const adresKey = (v: BrkAdresZoekvraag) =>
  JSON.stringify([
    v.postcode.replace(/\s+/g, "").toUpperCase(),
    v.huisnummer,
    v.huisletter?.toLowerCase() ?? null,
    v.huisnummertoevoeging?.toLowerCase() ?? null,
  ]);

export function createBrkLoaders(client: BrkClient, options: BrkLoaderOptions = {}): BrkLoaders {
  const limit = createLimiter(options.maxConcurrent ?? 4);
  const loader = <K, T>(call: (key: K) => Promise<Result<T, SourceError>>, key: (k: K) => string = String) =>
    new DataLoader<K, Result<T, SourceError>, string>(
      (keys) => Promise.all(keys.map((k) => limit(() => call(k)))),
      { cacheKeyFn: key },
    );
  return {
    zakenOpAdres: loader((v: BrkAdresZoekvraag) => client.zakenOpAdres(v), adresKey),
    zakenVanPersoon: loader((bsn: string) => client.zakenVanPersoon(bsn)),
    zakelijkGerechtigden: loader((id: string) => client.zakelijkGerechtigden(id)),
    hypotheken: loader((id: string) => client.hypotheken(id)),
    beslagen: loader((id: string) => client.beslagen(id)),
    privaatrechtelijkeBeperkingen: loader((id: string) => client.privaatrechtelijkeBeperkingen(id)),
    publiekrechtelijkeBeperkingen: loader((id: string) => client.publiekrechtelijkeBeperkingen(id)),
    nietNatuurlijkPersoon: loader((id: string) => client.nietNatuurlijkPersoon(id)),
    stuk: loader((id: string) => client.stuk(id)),
  };
}
