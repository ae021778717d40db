import type { Decision, DisclosureMode, Role } from "../shared/index.ts";
import { buildCaseAbility } from "./ability.ts";
import type { LoadedPolicySet } from "./policy-set.ts";
import type { Approval } from "./types.ts";

export interface ExplainQuestion {
  readonly roles: readonly Role[];
  readonly phase: string;
  readonly source: string;
  readonly field?: string | undefined;
  readonly probe?: string | undefined;
  /** Approvals to assume; none by default (then every field in mode `fields` is "not approved"). */
  readonly approvals?: readonly Approval[] | undefined;
}

export interface Explanation {
  readonly mode: DisclosureMode;
  /** One entry per question answered: the mode, then the probe or the field if asked. */
  readonly decisions: readonly { readonly about: string; readonly decision: Decision }[];
  /** Fields permitted with the assumed approvals (mode `fields` only). */
  readonly permittedFields: readonly string[];
}

/**
 * Answers "what would this role get here, and which rule says so?" for the privacy officer. The
 * question is asked for an open case assigned to the asker (so `assigned` roles count), or a closed
 * one if `phase` is the protocol's closed phase.
 */
export function explain(policy: LoadedPolicySet, q: ExplainQuestion): Explanation {
  const decisions: { about: string; decision: Decision }[] = [];
  if (!policy.protocol.phases.some((p) => p.id === q.phase))
    decisions.push({
      about: `phase ${q.phase}`,
      decision: { allowed: false, reason: `unknown phase ${q.phase} in protocol ${policy.protocol.id}` },
    });
  const ability = buildCaseAbility(policy, {
    actor: { subject: "explain", roles: q.roles, amr: [], issuer: "explain" },
    case: {
      id: "explain",
      phase: q.phase,
      status: q.phase === policy.protocol.closedPhase ? "closed" : "open",
      owner: "explain",
      substitute: null,
    },
    approvals: q.approvals ?? [],
  });
  const mode = ability.mode(q.source);
  decisions.push({ about: `mode of ${q.source}`, decision: mode.decision });
  if (q.probe !== undefined) decisions.push({ about: `probe ${q.probe}`, decision: ability.probe(q.probe) });
  if (q.field !== undefined)
    decisions.push({ about: `field ${q.source}.${q.field}`, decision: ability.field(q.source, q.field) });
  return { mode: mode.mode, decisions, permittedFields: ability.permittedFields(q.source) };
}
