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
import type { Result } from "../shared/index.ts";
import { demoActor } from "./demo-users.ts";

/** Demo case reference for a phase: one case per phase of the loaded protocol. */
export const demoReference = (phaseId: string): string => `DEMO-${phaseId}`;

/** BRP fields the demo regie case has an approved privacy check for. */
export const DEMO_APPROVED_FIELDS = ["naam", "geboorte.datum", "verblijfplaats"] as const;

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
    if (phase === lastWorking || phase === protocol.closedPhase) {
      const check = must(
        await requestPrivacyCheck(owner, {
          caseId: c.id,
          kind: "2a",
          source: "brp",
          fields: [...DEMO_APPROVED_FIELDS],
          probes: [],
          motivation: "Name, birth date and address are needed for the intervention plan.",
        }),
        `check for ${reference}`,
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
