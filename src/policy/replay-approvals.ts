import type { LoadedPolicySet } from "./policy-set.ts";
import type { Approval } from "./types.ts";

/** One step of a privacy check's history, as `privacy_check_steps` keeps it. */
export interface ReplayCheckStep {
  readonly kind: string;
  readonly at: Date;
  readonly advice: "GO" | "NO_GO" | "PARTIAL" | null;
  readonly fields: readonly string[];
  readonly probes: readonly string[];
}

/** A privacy check with its subjects as the audit log's pseudonyms (never the raw keys). */
export interface ReplayCheck {
  readonly id: string;
  readonly kind: "1" | "2a" | "2b";
  readonly source: string;
  readonly subjectPseudonyms: readonly string[];
  readonly recipients: readonly string[];
  readonly steps: readonly ReplayCheckStep[];
}

export interface ReplayCase {
  readonly id: string;
  readonly theme: string | null;
  readonly reference: string;
  readonly checks: readonly ReplayCheck[];
}

/**
 * The approvals of a case in force at `at` for the record's subject under `policy`: each check's
 * state rebuilt from its steps up to then (advised, decided and theme-approved steps approve;
 * escalation, revocation and lapse end an approval), inside the phase range of its kind.
 */
export function approvalsAt(
  policy: LoadedPolicySet,
  c: ReplayCase,
  at: Date,
  phase: string,
  subjectPseudonym: string | undefined,
): Approval[] {
  const out: Approval[] = [];
  for (const check of c.checks) {
    let state: { fields: readonly string[]; probes: readonly string[] } | undefined;
    for (const step of check.steps) {
      if (step.at.getTime() > at.getTime()) break;
      if (step.kind === "theme_approved") state = { fields: step.fields, probes: step.probes };
      else if (step.kind === "advised" || step.kind === "decided")
        state =
          step.advice === "GO" || step.advice === "PARTIAL"
            ? { fields: step.fields, probes: step.probes }
            : undefined;
      else if (step.kind === "escalated" || step.kind === "revoked" || step.kind === "lapsed")
        state = undefined;
    }
    if (!state) continue;
    const phases = policy.protocol.checks.find((d) => d.kind === check.kind)?.phases ?? [];
    if (!phases.includes(phase)) continue;
    if (
      check.subjectPseudonyms.length > 0 &&
      (!subjectPseudonym || !check.subjectPseudonyms.includes(subjectPseudonym))
    )
      continue;
    out.push({
      checkId: check.id,
      source: check.source,
      fields: state.fields,
      probes: state.probes,
      recipients: check.recipients,
    });
  }
  return out;
}
