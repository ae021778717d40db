import type { HitResult } from "../../shared/index.ts";
import type { RegisterClient } from "./register-client.ts";
import type { RegisterKeyValue, RegisterSpec } from "./register-spec.ts";

/**
 * One request's reads of the registers: the same question about the same subject is asked once
 * per request (aliases, fragments, repeated subjects), nothing is kept across requests.
 */
export type RegisterLoaders = Pick<RegisterClient, "records" | "probe">;

const keyText = (key: RegisterKeyValue) => ("value" in key ? key.value : `${key.postcode} ${key.huisnummer}`);

export function createRegisterLoaders(client: RegisterClient): RegisterLoaders {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(id: string, load: () => Promise<T>): Promise<T> => {
    let p = memo.get(id) as Promise<T> | undefined;
    if (!p) memo.set(id, (p = load()));
    return p;
  };
  return {
    records: (spec, key, fields) =>
      once(`r|${spec.source}|${keyText(key)}|${[...fields].sort().join(",")}`, () =>
        client.records(spec, key, fields),
      ),
    probe: (spec, probeId, key, today) =>
      once(`p|${probeId}|${keyText(key)}|${today}`, () => client.probe(spec, probeId, key, today)),
  };
}

export interface RegisterProbeOutcome {
  readonly result: HitResult;
  readonly reason: string;
}

/** HIT / NO_HIT from the register's answer; every failure UNKNOWN with its reason, never NO_HIT. */
export async function runRegisterProbe(
  loaders: RegisterLoaders,
  spec: RegisterSpec,
  probeId: string,
  key: RegisterKeyValue,
  today: string,
): Promise<RegisterProbeOutcome> {
  const answer = await loaders.probe(spec, probeId, key, today);
  if (!answer.ok) return { result: "UNKNOWN", reason: `${answer.error.kind}_${answer.error.reason}` };
  return answer.value ? { result: "HIT", reason: "record_found" } : { result: "NO_HIT", reason: "no_record" };
}
