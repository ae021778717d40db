import {
  advisePrivacyCheck,
  caseRepository,
  checkPhases,
  closeCase,
  expandFields,
  openCase,
  recordWeighing,
  requestPrivacyCheck,
  transitionCase,
  type CaseError,
  type CaseRecord,
  type PrivacyCheckRequest,
} from "../cases/index.ts";
import type { OperationContext } from "../context/index.ts";
import { ruleMaximum, sharedScopeRoles } from "../policy/index.ts";
import { wellKnown } from "../sources/synthetic/index.ts";
import type { Result } from "../shared/index.ts";
import { demoActor } from "./demo-users.ts";

/** The analyst who owns the demo cases (a reference is unique per owner, so the owner finds them). */
export const DEMO_OWNER = "analist.jansen";

/** Demo case reference for a phase: one case per phase of the loaded protocol. */
export const demoReference = (phaseId: string): string => `DEMO-${phaseId}`;

/**
 * Whom every demo case is about (issue 11: a case answers only about its subjects): the subjects
 * the README's examples use. The resident and their address, the RvIG test persons (living
 * elsewhere, deceased, emigrated) and an unknown BSN, the horeca company and the resident's
 * eenmanszaak, and a KVK test number.
 */
export const DEMO_SUBJECTS: readonly string[] = [
  `persoon:${wellKnown.residentBsn}`,
  `persoon:${wellKnown.elsewhereBsn}`,
  `persoon:${wellKnown.deceasedBsn}`,
  `persoon:${wellKnown.emigratedBsn}`,
  `persoon:${wellKnown.unknownBsn}`,
  `adres:${wellKnown.residentAddress.postcode}-${wellKnown.residentAddress.huisnummer}`,
  `object:${wellKnown.residentAddress.adresseerbaarObjectIdentificatie}`,
  "onderneming:88888888",
  "onderneming:81234567",
  "onderneming:68750110",
];

/** BRP fields the demo regie case has an approved privacy check for. */
export const DEMO_APPROVED_FIELDS = ["naam", "geboorte.datum", "verblijfplaats"] as const;

/**
 * Every approved check of the demo regie case, one per source (a check names one source), so the
 * demo can walk from a person to the address, its residents and the permits there. A source the
 * loaded protocol gives no fields maximum is skipped.
 */
export const DEMO_APPROVALS: readonly { source: string; fields: readonly string[]; motivation: string }[] = [
  {
    source: "brp",
    fields: DEMO_APPROVED_FIELDS,
    motivation: "Name, birth date and address are needed for the intervention plan.",
  },
  {
    source: "permits",
    fields: ["soort", "zaaktype", "startdatum", "einddatum", "status"],
    motivation: "The permits at the address decide which department acts.",
  },
  {
    source: "bewoning",
    fields: ["bewoners"],
    motivation: "Who lives at the address matters for the planned inspection.",
  },
  {
    source: "brk",
    fields: [
      "identificatie",
      "adresseerbaarObjectIdentificaties",
      "zakelijkGerechtigden",
      "hypotheken",
      "beslagen",
    ],
    motivation: "Who owns the address, and whether it is mortgaged or attached, decides the approach.",
  },
  {
    source: "historie",
    fields: ["datumVan", "datumTot", "gemeenteVanInschrijving", "adresseerbaarObjectIdentificatie"],
    motivation: "Former addresses in the municipality show whether the pattern repeats.",
  },
  // Issue 16: the municipality's own registers (policies/registers).
  {
    source: "uitkeringen",
    fields: ["regeling", "startdatum", "einddatum", "status"],
    motivation: "A running benefit next to a business income is a lead for the intervention plan.",
  },
  {
    source: "subsidies",
    fields: ["regeling", "bedrag", "status"],
    motivation: "A subsidy to the company is a Bibob ground (Maastricht bijlage B).",
  },
  {
    source: "boa",
    fields: ["datum", "categorie"],
    motivation: "Nuisance registered at the address supports the planned inspection.",
  },
];

function must<T>(r: Result<T, CaseError>, what: string): T {
  if (!r.ok) throw new Error(`demo seed: ${what}: ${r.error.message}`);
  return r.value;
}

/** The department the demo shares with, and what it gets (the demo department member's view). */
export const DEMO_SHARE = {
  department: "vergunningen",
  source: "brp",
  fields: ["naam", "verblijfplaats"],
  subject: `persoon:${wellKnown.residentBsn}`,
} as const;

async function requestAndApprove(
  owner: OperationContext,
  officer: OperationContext,
  c: CaseRecord,
  request: Omit<PrivacyCheckRequest, "caseId">,
): Promise<void> {
  const check = must(
    await requestPrivacyCheck(owner, { ...request, caseId: c.id }),
    `${request.source} check ${request.kind} for ${c.reference}`,
  );
  // A request that fits the case's theme dataset is approved by it; the others get advice.
  if (check.status !== "requested") return;
  must(
    await advisePrivacyCheck(officer, {
      id: check.id,
      advice: "GO",
      motivation: "Necessary and proportionate; no less intrusive means.",
    }),
    `advice for ${c.reference}`,
  );
}

/**
 * Privacy check 1 for source research (Maastricht art. 18.1): every probe the policy lets the
 * analyst ask in its phases, per source, for the case as a whole.
 */
async function seedCheckOne(
  owner: OperationContext,
  officer: OperationContext,
  c: CaseRecord,
): Promise<void> {
  const phases = checkPhases(owner.policy, "1");
  for (const source of owner.policy.sources) {
    const probes = [...ruleMaximum(owner.policy, owner.actor.roles, source, phases).probes].sort();
    if (probes.length === 0) continue;
    await requestAndApprove(owner, officer, c, {
      kind: "1",
      source,
      fields: [],
      probes,
      motivation: `Source research: may ${source} answer hit / no hit for this signal?`,
    });
  }
}

/**
 * On the last working case: one check 2a shared with a department (the demo department member
 * sees exactly that), and one check 2b waiting in the privacy officer's queue.
 */
async function seedDepartmentShareAndQueue(
  owner: OperationContext,
  officer: OperationContext,
  c: CaseRecord,
): Promise<void> {
  const twoA = checkPhases(owner.policy, "2a");
  const departmentMax = ruleMaximum(
    owner.policy,
    sharedScopeRoles(owner.policy),
    DEMO_SHARE.source,
    twoA,
  ).fields;
  const known = owner.policy.departments.some((d) => d.id === DEMO_SHARE.department);
  const units = expandFields(owner.policy, DEMO_SHARE.source, DEMO_SHARE.fields).units;
  if (known && units.length > 0 && units.every((u) => departmentMax.has(u)))
    await requestAndApprove(owner, officer, c, {
      kind: "2a",
      source: DEMO_SHARE.source,
      fields: [...DEMO_SHARE.fields],
      probes: [],
      subjects: [DEMO_SHARE.subject],
      recipients: [DEMO_SHARE.department],
      motivation: "The permits department needs name and address to plan the inspection visit.",
    });
  const twoB = checkPhases(owner.policy, "2b");
  const analystMax = ruleMaximum(owner.policy, owner.actor.roles, "brp", twoB).fields;
  const partners = expandFields(owner.policy, "brp", ["partners"]).units;
  if (partners.length > 0 && partners.every((u) => analystMax.has(u)))
    must(
      await requestPrivacyCheck(owner, {
        caseId: c.id,
        kind: "2b",
        source: "brp",
        fields: ["partners"],
        probes: [],
        subjects: [DEMO_SHARE.subject],
        motivation: "Executing the plan: is the partner involved in running the premises?",
      }),
      `pending check for ${c.reference}`,
    );
}

/**
 * Seeds the demo cases through the real use cases, so their history, checks and audit records
 * are what the product would have written. Idempotent: does nothing if they exist.
 */
export async function seedDemo(
  base: Omit<OperationContext, "actor" | "traceId">,
): Promise<Record<string, CaseRecord>> {
  const owner: OperationContext = {
    ...base,
    actor: demoActor(DEMO_OWNER, "analyst"),
    traceId: "demo-seed",
  };
  const officer: OperationContext = { ...owner, actor: demoActor("privacy.officer", "privacy_officer") };
  const out: Record<string, CaseRecord> = {};
  const protocol = base.policy.protocol;
  const path = protocol.phases.map((p) => p.id).filter((p) => p !== protocol.closedPhase);

  const lastWorking = path[path.length - 1];
  // References are unique per owner only (another analyst may open a `DEMO-regie` of their own).
  const seeded = new Map(
    (await caseRepository.list(base.db, { assignedTo: owner.actor.subject }))
      .filter((c) => c.owner === owner.actor.subject)
      .map((c) => [c.reference, c]),
  );
  for (const phase of protocol.phases.map((p) => p.id)) {
    const reference = demoReference(phase);
    const existing = seeded.get(reference);
    if (existing) {
      out[phase] = existing;
      continue;
    }
    let c = must(
      await openCase(owner, {
        reference,
        theme: phase === lastWorking ? "hennepteelt" : "horeca",
        substitute: "analist.devries",
        motivation: `Demo signal for phase ${phase}.`,
        subjects: DEMO_SUBJECTS,
        signalDate: base.clock.now().toISOString().slice(0, 10),
        channel: "MELDING",
      }),
      `open ${reference}`,
    );
    const target = phase === protocol.closedPhase ? lastWorking : phase;
    for (const next of path.slice(1, path.indexOf(target ?? "") + 1)) {
      // Maastricht art. 16.3, Delft art. 15e: on to source research only with the checklist answered.
      const weighing = protocol.weighing;
      if (weighing?.phase === c.phase && weighing.gates.includes(next)) {
        const answers = weighing.steps.map((s) => ({ step: s.id, answer: s.answers[0]! }));
        must(
          await recordWeighing(owner, c.id, answers, "Demo: checklist answered."),
          `${reference} weighing`,
        );
      }
      c = must(await transitionCase(owner, c.id, next, `Demo: on to ${next}.`), `${reference} -> ${next}`);
    }
    const checkOne = checkPhases(base.policy, "1");
    if (checkOne.includes(target ?? "")) await seedCheckOne(owner, officer, c);
    if (phase === lastWorking || phase === protocol.closedPhase) {
      const twoA = checkPhases(base.policy, "2a");
      for (const approval of DEMO_APPROVALS) {
        const max = ruleMaximum(base.policy, owner.actor.roles, approval.source, twoA).fields;
        const units = expandFields(base.policy, approval.source, approval.fields).units;
        if (units.length === 0 || !units.every((u) => max.has(u))) continue;
        await requestAndApprove(owner, officer, c, {
          kind: "2a",
          source: approval.source,
          fields: [...approval.fields],
          probes: [],
          motivation: approval.motivation,
        });
      }
      if (phase === lastWorking) await seedDepartmentShareAndQueue(owner, officer, c);
    }
    if (phase === protocol.closedPhase) {
      const outcome = protocol.outcomes.find((o) => o.fromPhases.includes(c.phase));
      if (outcome)
        c = must(await closeCase(owner, c.id, outcome.id, "Demo: plan carried out."), `close ${reference}`);
    }
    out[phase] = c;
  }
  return out;
}
