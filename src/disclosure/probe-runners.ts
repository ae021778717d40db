import type { BagId, HitResult } from "../shared/index.ts";
import { runBagProbe, type BagProbeId } from "../sources/bag/index.ts";
import { runBewoningProbe, type BewoningProbeId } from "../sources/bewoning/index.ts";
import { runBrkProbe, type BrkProbeId } from "../sources/brk/index.ts";
import { runBrpProbe, type BrpProbeId } from "../sources/brp/index.ts";
import { runHistorieProbe, type HistorieProbeId } from "../sources/historie/index.ts";
import { runKvkProbe, type KvkProbeId } from "../sources/kvk/index.ts";
import { runPermitsProbe, type PermitsProbeId } from "../sources/permits/index.ts";
import type { RegisterDef } from "../policy/index.ts";
import type { SourceLoaders } from "../sources/source-loaders.ts";
import { runWozProbe, type WozProbeId } from "../sources/woz/index.ts";
import { objectAddressOf, objectIdOf } from "./object-resolution.ts";
import { registerProbeRunner } from "./register-probes.ts";
import type { Subject, SubjectKind } from "./subject.ts";

/** What a probe needs besides its subject. */
export interface ProbeEnv {
  readonly loaders: SourceLoaders;
  /** CBS code of this municipality. */
  readonly municipalityCode: string;
  /** Today (ISO date), the peildatum of "now" probes. */
  readonly today: string;
}

export interface ProbeOutcome {
  readonly result: HitResult;
  /** Value-free reason code for the audit log. */
  readonly reason: string;
}

/** How to answer one probe, and about which kinds of subject it can be asked. */
export interface ProbeRunner {
  readonly source: string;
  readonly subjects: readonly SubjectKind[];
  run(env: ProbeEnv, subject: Subject): Promise<ProbeOutcome>;
}

const unknown = (reason: string): ProbeOutcome => ({ result: "UNKNOWN", reason });
const NOT_CONFIGURED = unknown("source_not_configured");

function brp(id: BrpProbeId): ProbeRunner {
  return {
    source: "brp",
    subjects: ["persoon"],
    run: async (env, s) =>
      s.kind === "persoon"
        ? runBrpProbe(env.loaders.brp, s.bsn, id, { municipalityCode: env.municipalityCode })
        : unknown("wrong_subject"),
  };
}

function bag(id: BagProbeId): ProbeRunner {
  return {
    source: "bag",
    subjects: ["object"],
    run: async (env, s) => {
      if (s.kind !== "object") return unknown("wrong_subject");
      if (!env.loaders.bag) return NOT_CONFIGURED;
      return runBagProbe(env.loaders.bag, s.ref, id, { municipalityCode: env.municipalityCode });
    },
  };
}

function hr(id: KvkProbeId): ProbeRunner {
  return {
    source: "hr",
    subjects: id === "hr.ingeschreven" ? ["onderneming"] : ["object"],
    run: async (env, s) => {
      if (!env.loaders.hr) return NOT_CONFIGURED;
      if (s.kind === "onderneming") return runKvkProbe(env.loaders.hr, { kvkNummer: s.kvkNummer }, id);
      if (s.kind !== "object") return unknown("wrong_subject");
      // Asked by BAG id, the address comes from the BAG; without it the answer is unknown.
      const adres = await objectAddressOf(env.loaders, s.ref);
      if (!adres.ok) return unknown(`bag_${adres.error.reason}`);
      if (adres.value === null) return unknown("address_unknown");
      return runKvkProbe(env.loaders.hr, adres.value, id);
    },
  };
}

/**
 * The Kadaster, about a person (by BSN) or an object (by address; asked by BAG id, the BAG gives
 * the address). A company is not asked: BRK-Bevragen cannot search by KvK number.
 */
function brk(id: BrkProbeId): ProbeRunner {
  return {
    source: "brk",
    subjects: ["persoon", "object"],
    run: async (env, s) => {
      if (!env.loaders.brk) return NOT_CONFIGURED;
      if (s.kind === "persoon") return runBrkProbe(env.loaders.brk, { kind: "persoon", bsn: s.bsn }, id);
      if (s.kind !== "object") return unknown("wrong_subject");
      const adres = await objectAddressOf(env.loaders, s.ref);
      if (!adres.ok) return unknown(`bag_${adres.error.reason}`);
      if (adres.value === null) return unknown("address_unknown");
      return runBrkProbe(env.loaders.brk, { kind: "adres", adres: adres.value }, id);
    },
  };
}

/** The BAG id of an object; asked by address, the BAG is consulted for it. */
async function objectIdFor(env: ProbeEnv, s: Subject): Promise<{ id: BagId } | ProbeOutcome> {
  if (s.kind !== "object") return unknown("wrong_subject");
  const id = await objectIdOf(env.loaders, s.ref);
  if (!id.ok) return unknown(`bag_${id.error.reason}`);
  // Not NO_HIT: a permit may concern an address the BAG does not have yet (new building).
  if (id.value === null) return unknown("address_unknown");
  return { id: id.value };
}

function bewoning(id: BewoningProbeId): ProbeRunner {
  return {
    source: "bewoning",
    subjects: ["object"],
    run: async (env, s) => {
      if (!env.loaders.bewoning) return NOT_CONFIGURED;
      const object = await objectIdFor(env, s);
      if (!("id" in object)) return object;
      return runBewoningProbe(env.loaders.bewoning, object.id, id, { peildatum: env.today });
    },
  };
}

function historie(id: HistorieProbeId): ProbeRunner {
  return {
    source: "historie",
    subjects: ["persoon"],
    run: async (env, s) => {
      if (s.kind !== "persoon") return unknown("wrong_subject");
      if (!env.loaders.historie) return NOT_CONFIGURED;
      return runHistorieProbe(env.loaders.historie, s.bsn, id, {
        municipalityCode: env.municipalityCode,
        peildatum: env.today,
      });
    },
  };
}

function permits(id: PermitsProbeId): ProbeRunner {
  return {
    source: "permits",
    subjects: ["persoon", "onderneming", "object"],
    run: async (env, s) => {
      if (!env.loaders.permits) return NOT_CONFIGURED;
      if (s.kind === "persoon") return runPermitsProbe(env.loaders.permits, s, id);
      if (s.kind === "onderneming") return runPermitsProbe(env.loaders.permits, s, id);
      const object = await objectIdFor(env, s);
      if (!("id" in object)) return object;
      return runPermitsProbe(
        env.loaders.permits,
        { kind: "object", adresseerbaarObjectIdentificatie: object.id },
        id,
      );
    },
  };
}

function woz(id: WozProbeId): ProbeRunner {
  return {
    source: "woz",
    subjects: ["object"],
    run: async (env, s) => {
      if (s.kind !== "object") return unknown("wrong_subject");
      if (!env.loaders.woz) return NOT_CONFIGURED;
      // The WOZ is searched by address or BAG id itself: no translation through the BAG.
      return runWozProbe(env.loaders.woz, s.ref, id, { peildatum: env.today });
    },
  };
}

/**
 * Every probe the gateway can answer. A probe in policies/probes.yaml without a runner here stops
 * start-up, so the privacy officer cannot name a question nobody answers.
 */
export const PROBE_RUNNERS: Readonly<Record<string, ProbeRunner>> = Object.freeze({
  "brp.ingeschreven": brp("brp.ingeschreven"),
  "brp.binnenGemeente": brp("brp.binnenGemeente"),
  "bag.adresBestaat": bag("bag.adresBestaat"),
  "bag.binnenGemeente": bag("bag.binnenGemeente"),
  "hr.ingeschreven": hr("hr.ingeschreven"),
  "hr.vestigingOpAdres": hr("hr.vestigingOpAdres"),
  "brk.eigendomBekend": brk("brk.eigendomBekend"),
  "brk.hypotheekBekend": brk("brk.hypotheekBekend"),
  "brk.beslagBekend": brk("brk.beslagBekend"),
  "brk.beperkingBekend": brk("brk.beperkingBekend"),
  "bewoning.bewoondOpPeildatum": bewoning("bewoning.bewoondOpPeildatum"),
  "historie.eerderAdresInGemeente": historie("historie.eerderAdresInGemeente"),
  "permits.horeca": permits("permits.horeca"),
  "permits.exploitatie": permits("permits.exploitatie"),
  "permits.omgeving": permits("permits.omgeving"),
  "permits.parkeer": permits("permits.parkeer"),
  "permits.boeteAlcoholwet": permits("permits.boeteAlcoholwet"),
  "woz.objectBekend": woz("woz.objectBekend"),
  "woz.waardeBekend": woz("woz.waardeBekend"),
});

/**
 * The runner of a probe: a registry's (PROBE_RUNNERS), or one made from a register definition of
 * the policy in effect (issue 16: registers are configured, so their runners come with the policy).
 */
export function probeRunnerOf(
  policy: { readonly registers: readonly RegisterDef[] },
  probeId: string,
): ProbeRunner | undefined {
  return PROBE_RUNNERS[probeId] ?? registerProbeRunner(policy.registers, probeId);
}

/** Probes named by the policy that no runner answers (a start-up error). */
export function probesWithoutRunner(
  probes: readonly { readonly id: string; readonly source: string }[],
  policy: { readonly registers: readonly RegisterDef[] } = { registers: [] },
) {
  return probes.filter((p) => probeRunnerOf(policy, p.id)?.source !== p.source);
}
