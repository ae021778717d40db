import type { RegisterDef } from "../policy/index.ts";
import { registerSubject } from "../policy/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import { runRegisterProbe, type RegisterKeyValue } from "../sources/register/index.ts";
import type { SourceLoaders } from "../sources/source-loaders.ts";
import { objectAddressOf, objectIdOf } from "./object-resolution.ts";
import type { ProbeOutcome, ProbeRunner } from "./probe-runners.ts";
import type { Subject } from "./subject.ts";

/**
 * The register's key of a subject. An object asked the other way than the register keys it (an
 * address for a register by BAG id, or the reverse) is translated by the BAG, which releases
 * nothing itself; an object the BAG does not know has no key (UNKNOWN, not NO_HIT). A register
 * by address matches postcode and huisnummer (a huisletter or toevoeging is not compared).
 */
export async function registerKeyOf(
  loaders: SourceLoaders,
  def: Pick<RegisterDef, "key">,
  subject: Subject,
): Promise<Result<RegisterKeyValue, string>> {
  switch (def.key) {
    case "bsn":
      return subject.kind === "persoon" ? ok({ value: subject.bsn }) : err("wrong_subject");
    case "kvkNummer":
      return subject.kind === "onderneming" ? ok({ value: subject.kvkNummer }) : err("wrong_subject");
    case "bagId": {
      if (subject.kind !== "object") return err("wrong_subject");
      const id = await objectIdOf(loaders, subject.ref);
      if (!id.ok) return err(`bag_${id.error.reason}`);
      return id.value === null ? err("address_unknown") : ok({ value: id.value });
    }
    case "adres": {
      if (subject.kind !== "object") return err("wrong_subject");
      const adres = await objectAddressOf(loaders, subject.ref);
      if (!adres.ok) return err(`bag_${adres.error.reason}`);
      return adres.value === null
        ? err("address_unknown")
        : ok({ postcode: adres.value.postcode, huisnummer: adres.value.huisnummer });
    }
  }
}

const unknown = (reason: string): ProbeOutcome => ({ result: "UNKNOWN", reason });

/** The runner of a register's probe (issue 16): made from the register's definition in the policy. */
export function registerProbeRunner(
  registers: readonly RegisterDef[],
  probeId: string,
): ProbeRunner | undefined {
  const def = registers.find((r) => r.probes.some((p) => p.id === probeId));
  if (!def) return undefined;
  return {
    source: def.source,
    subjects: [registerSubject(def)],
    run: async (env, subject) => {
      if (!env.loaders.registers) return unknown("source_not_configured");
      const key = await registerKeyOf(env.loaders, def, subject);
      if (!key.ok) return unknown(key.error);
      return runRegisterProbe(env.loaders.registers, def, probeId, key.value, env.today);
    },
  };
}
