import DataLoader from "dataloader";
import { ok, type Bsn, type Result, type SourceError } from "../../shared/index.ts";
import type { BrpClient } from "./brp-client.ts";
import type { BrpPersoon } from "./brp-schema.ts";

export interface BrpPersoonKey {
  readonly bsn: Bsn;
  readonly fields: readonly string[];
}

export type BrpPersoonResult = Result<BrpPersoon | null, SourceError>;

export interface BrpLoaders {
  /** null = the BRP has no person with this BSN. An upstream failure is an error value, never null. */
  readonly persoon: DataLoader<BrpPersoonKey, BrpPersoonResult, string>;
  /** The client itself, for the searches intake makes (src/sources/brp/brp-resolve.ts). */
  readonly client: BrpClient;
}

const fieldsKey = (fields: readonly string[]) => [...new Set(fields)].sort().join(",");

/**
 * Per-request loaders. Loads in one tick with the same field set become one
 * RaadpleegMetBurgerservicenummer per 20 BSNs. `burgerservicenummer` is added to the fields sent
 * when absent, because the answer must be matched to the keys (the caller already has the BSN).
 */
export function createBrpLoaders(client: BrpClient): BrpLoaders {
  const persoon = new DataLoader<BrpPersoonKey, BrpPersoonResult, string>(
    async (keys) => {
      const groups = new Map<string, BrpPersoonKey[]>();
      for (const key of keys) {
        const group = groups.get(fieldsKey(key.fields)) ?? [];
        group.push(key);
        groups.set(fieldsKey(key.fields), group);
      }
      const answers = new Map<string, BrpPersoonResult>();
      await Promise.all(
        [...groups].map(async ([fk, group]) => {
          const fields = fk.split(",");
          if (!fields.includes("burgerservicenummer")) fields.push("burgerservicenummer");
          const bsns = [...new Set(group.map((k) => k.bsn))];
          const result = await client.raadpleeg(bsns, fields.sort());
          for (const bsn of bsns) {
            const answer: BrpPersoonResult = result.ok
              ? ok(result.value.find((p) => p.burgerservicenummer === bsn) ?? null)
              : result;
            answers.set(`${bsn}|${fk}`, answer);
          }
        }),
      );
      return keys.map((k) => answers.get(`${k.bsn}|${fieldsKey(k.fields)}`) ?? ok(null));
    },
    { cacheKeyFn: (key) => `${key.bsn}|${fieldsKey(key.fields)}` },
  );
  return { persoon, client };
}
