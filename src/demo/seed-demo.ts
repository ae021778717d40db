import {
  advisePrivacyCheck,
  caseRepository,
  closeCase,
  openCase,
  requestPrivacyCheck,
  transitionCase,
  type CaseError,
  type CaseRecord,
} from "../cases/index.ts";
import type { OperationContext } from "../context/index.ts";
import { buildActorAbility } from "../policy/index.ts";
import type { Result } from "../shared/index.ts";
import { demoActor } from "./demo-users.ts";

/** Demo case reference for a phase: one case per phase of the loaded protocol. */
export const demoReference = (phaseId: string): string => `DEMO-${phaseId}`;

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
    source: "historie",
    fields: ["datumVan", "datumTot", "gemeenteVanInschrijving", "adresseerbaarObjectIdentificatie"],
    motivation: "Former addresses in the municipality show whether the pattern repeats.",
  },
];

function must<T>(r: Result<T, CaseError>, what: string): T {
  if (!r.ok) throw new Error(`demo seed: ${what}: ${r.error.message}`);
  return r.value;
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
    actor: demoActor("analist.jansen", "analyst"),
    traceId: "demo-seed",
  };
  const officer: OperationContext = { ...owner, actor: demoActor("privacy.officer", "privacy_officer") };
  const out: Record<string, CaseRecord> = {};
  const protocol = base.policy.protocol;
  const path = protocol.phases.map((p) => p.id).filter((p) => p !== protocol.closedPhase);

  const lastWorking = path[path.length - 1];
  const seeded = new Map((await caseRepository.list(base.db, {})).map((c) => [c.reference, c]));
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
      }),
      `open ${reference}`,
    );
    const target = phase === protocol.closedPhase ? lastWorking : phase;
    for (const next of path.slice(1, path.indexOf(target ?? "") + 1))
      c = must(await transitionCase(owner, c.id, next, `Demo: on to ${next}.`), `${reference} -> ${next}`);
    if (phase === lastWorking || phase === protocol.closedPhase)
      for (const approval of DEMO_APPROVALS) {
        const max = buildActorAbility(base.policy, owner.actor).maxFields(approval.source);
        if (!approval.fields.every((f) => max.some((m) => m === f || m.startsWith(`${f}.`)))) continue;
        const check = must(
          await requestPrivacyCheck(owner, {
            caseId: c.id,
            kind: "2a",
            source: approval.source,
            fields: [...approval.fields],
            probes: [],
            motivation: approval.motivation,
          }),
          `${approval.source} check for ${reference}`,
        );
        must(
          await advisePrivacyCheck(officer, {
            id: check.id,
            advice: "GO",
            motivation: "Necessary and proportionate for the plan; no less intrusive means.",
          }),
          `advice for ${reference}`,
        );
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
