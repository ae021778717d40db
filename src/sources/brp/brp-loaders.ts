import DataLoader from "dataloader";
import { err, ok, type Bsn, type Result, type SourceError } from "../../shared/index.ts";
import type { BrpClient } from "./brp-client.ts";
import { MAX_FIELDS, selectAnswer } from "./brp-fields.ts";
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

const BSN_FIELD = "burgerservicenummer";

/**
 * The `fields` to send for these paths: `burgerservicenummer` added (the answer must be matched
 * to its BSN), duplicates and paths under another path of the set dropped (`naam` covers
 * `naam.voornamen`, so the answer is the same), sorted.
 */
export function fieldsToSend(fields: Iterable<string>): string[] {
  const all = [...new Set([...fields, BSN_FIELD])].sort();
  const covered = (f: string) => all.some((other) => other !== f && f.startsWith(other + "."));
  return all.filter((f) => !covered(f));
}

const fieldsKey = (fields: readonly string[]) => [...new Set(fields)].sort().join(",");

/**
 * Which `fields` one BSN is asked for, given the distinct field sets its keys ask: the union of
 * them, split where it would exceed the spec's maximum of `fields` entries (a set that exceeds it
 * alone is sent alone, as it would be without merging, and refused by the BRP as then). Each key
 * set lands wholly in one of the returned groups.
 */
function plan(sets: readonly string[][]): { fields: string[]; sets: string[][] }[] {
  const groups: { fields: string[]; sets: string[][] }[] = [];
  for (const set of [...sets].sort((a, b) => (a.join(",") < b.join(",") ? -1 : 1))) {
    const last = groups.at(-1);
    const merged = last ? fieldsToSend([...last.fields, ...set]) : [];
    if (last && merged.length <= MAX_FIELDS) {
      last.fields = merged;
      last.sets.push(set);
    } else groups.push({ fields: fieldsToSend(set), sets: [set] });
  }
  return groups;
}

/** One call: these BSNs with these fields; the key sets it answers. */
interface Call {
  readonly fields: string[];
  readonly bsns: Set<Bsn>;
  /** The distinct key field sets merged into it (more than one: its answer is split per key). */
  readonly sets: Map<string, string[]>;
}

type Answer = Result<Map<string, BrpPersoon>, SourceError>;

const byBsn = (personen: readonly BrpPersoon[]) =>
  new Map(personen.flatMap((p) => (p.burgerservicenummer ? [[p.burgerservicenummer, p]] : [])));

/** The calls for one batch of keys, and which call answers each key (`${bsn}|${fieldsKey}`). */
function callsFor(keys: readonly BrpPersoonKey[]) {
  const setsOf = new Map<Bsn, Map<string, string[]>>();
  for (const key of keys) {
    const sets = setsOf.get(key.bsn) ?? new Map<string, string[]>();
    sets.set(fieldsKey(key.fields), [...new Set(key.fields)].sort());
    setsOf.set(key.bsn, sets);
  }
  const calls = new Map<string, Call>(); // by the fields they send
  const callOf = new Map<string, Call>();
  for (const [bsn, sets] of setsOf) {
    for (const group of plan([...sets.values()])) {
      const id = group.fields.join(",");
      const call = calls.get(id) ?? { fields: group.fields, bsns: new Set(), sets: new Map() };
      calls.set(id, call);
      call.bsns.add(bsn);
      for (const set of group.sets) {
        call.sets.set(set.join(","), set);
        callOf.set(`${bsn}|${set.join(",")}`, call);
      }
    }
  }
  return { calls: [...calls.values()], callOf, asks: (bsn: Bsn, set: string) => setsOf.get(bsn)?.has(set) };
}

/**
 * Per-request loaders. The loads of one tick become as few RaadpleegMetBurgerservicenummer calls
 * as the spec allows (issue 15, P3): each BSN is asked once for the union of the fields of all
 * its keys (the BRP probes, the fields of `brp`, the hop to `adres`, …), BSNs asked the same union
 * share calls of 20 (`client.raadpleeg`), and the union stays within the spec's 130 `fields`.
 * Each key still gets exactly the answer to its own question: its fields, the BSN and what the
 * BRP delivers automatically about them (`selectAnswer`), never a field another key asked. A
 * merged call the BRP refuses (400) is asked again per key set, so one key's refused field does
 * not fail another key. Nothing is kept beyond the request.
 */
export function createBrpLoaders(client: BrpClient): BrpLoaders {
  const ask = async (bsns: readonly Bsn[], fields: readonly string[]): Promise<Answer> => {
    const result = await client.raadpleeg(bsns, fields);
    return result.ok ? ok(byBsn(result.value)) : result;
  };
  const persoon = new DataLoader<BrpPersoonKey, BrpPersoonResult, string>(
    async (keys) => {
      const { calls, callOf, asks } = callsFor(keys);
      const answers = new Map<Call, Answer>();
      await Promise.all(calls.map(async (call) => answers.set(call, await ask([...call.bsns], call.fields))));
      // A refused merged call: each key set on its own, as without merging.
      const refused = (call: Call) => {
        const answer = answers.get(call);
        return call.sets.size > 1 && answer?.ok === false && answer.error.kind === "rejected";
      };
      const alone = new Map<string, Answer>();
      await Promise.all(
        calls.filter(refused).flatMap((call) =>
          [...call.sets].map(async ([sk, set]) => {
            const bsns = [...call.bsns].filter((b) => asks(b, sk));
            const answer = await ask(bsns, fieldsToSend(set));
            for (const b of bsns) alone.set(`${b}|${sk}`, answer);
          }),
        ),
      );
      return keys.map((key): BrpPersoonResult => {
        const k = `${key.bsn}|${fieldsKey(key.fields)}`;
        const call = callOf.get(k);
        const asked = alone.get(k);
        const answer = asked ?? (call ? answers.get(call) : undefined);
        // Not reachable (every key is in a call); were it, no answer is never "no such person".
        if (!call || !answer) return err({ kind: "malformed", reason: "no_answer" });
        if (!answer.ok) return answer;
        const found = answer.value.get(key.bsn);
        if (found === undefined) return ok(null);
        // Only its own part when the call asked more than this key did.
        const own = fieldsToSend(key.fields);
        return ok(asked || call.fields.join(",") === own.join(",") ? found : selectAnswer(found, own));
      });
    },
    { cacheKeyFn: (key) => `${key.bsn}|${fieldsKey(key.fields)}` },
  );
  return { persoon, client };
}
