import { auditBase, type OperationContext } from "../../context/index.ts";
import { err, isIsoDate, ok, type Decision, type Result } from "../../shared/index.ts";
import { freeText } from "../../shared/free-text.ts";
import { buildActorAbility } from "../ability.ts";
import {
  evaluationsDue,
  listVersions,
  recordEvaluation,
  type EvaluationDue,
  type PolicyEvaluation,
  type PolicyVersionMeta,
} from "./index.ts";

/**
 * The privacy officer's and the FG's view of the policy versions (issue 14; roles.yaml
 * `policy.versions`): the stored versions, the evaluation due (Maastricht art. 13, Delft art. 9b),
 * and recording an evaluation. Deny by default; every call, a refused one too, is one audit record
 * (kind `policy`), written before anything is read or stored.
 */

/** Structurally a subset of the case errors, so the GraphQL layer maps them the same way. */
export interface VersionsError {
  readonly kind: "forbidden" | "bad_input" | "audit_failed" | "not_found";
  readonly message: string;
}

const auditFailed = () =>
  err<VersionsError>({ kind: "audit_failed", message: "The audit log could not be written." });
const forbidden = () => err<VersionsError>({ kind: "forbidden", message: "Not permitted." });

async function log(
  ctx: OperationContext,
  operation: string,
  decision: Decision,
  detail: Record<string, unknown> = {},
): Promise<boolean> {
  const logged = await ctx.audit.append([
    {
      ...auditBase(ctx, undefined, "accountability"),
      kind: "policy",
      operation,
      decision: decision.allowed ? "allow" : "deny",
      reason: decision.reason,
      detail,
    },
  ]);
  return logged.ok;
}

/** A stored version, and whether it is the one this request is decided under. */
export interface PolicyVersionOut extends PolicyVersionMeta {
  readonly inForce: boolean;
}

/** Every stored version, newest first (operation `policy.versions`). */
export async function policyVersionsFor(
  ctx: OperationContext,
): Promise<Result<PolicyVersionOut[], VersionsError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("policy.versions");
  if (!(await log(ctx, "policy.versions", decision))) return auditFailed();
  if (!decision.allowed) return forbidden();
  const versions = await listVersions(ctx.db);
  const newestWithHash = [...versions].reverse().find((v) => v.hash === ctx.policy.hash)?.version;
  return ok(versions.reverse().map((v) => ({ ...v, inForce: v.version === newestWithHash })));
}

/** The evaluation due now or within 30 days (operation `policy.evaluations`): empty when none. */
export async function policyEvaluationsDueFor(
  ctx: OperationContext,
): Promise<Result<EvaluationDue[], VersionsError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("policy.versions");
  if (!(await log(ctx, "policy.evaluations", decision))) return auditFailed();
  if (!decision.allowed) return forbidden();
  return ok(await evaluationsDue(ctx.db, ctx.clock));
}

export interface RecordEvaluationArgs {
  readonly motivation: string;
  readonly nextEvaluation?: string | null | undefined;
}

/** The `nextEvaluation` argument's rule (src/server/argument-rules.ts). */
export const NEXT_EVALUATION_RULE = "absent (three years on), or a calendar date YYYY-MM-DD after today";
export const EVALUATION_MOTIVATION_RULE = "1 to 2000 characters, no BSN";

export function checkEvaluationArgs(args: Partial<RecordEvaluationArgs>, today: string): string | undefined {
  const motivation = args.motivation;
  if (typeof motivation !== "string" || motivation.trim() === "" || motivation.length > 2000)
    return `motivation: ${EVALUATION_MOTIVATION_RULE}.`;
  const free = freeText(motivation, "motivation");
  if (!free.ok) return free.error.message;
  const next = args.nextEvaluation;
  if (next !== undefined && next !== null && (!isIsoDate(next) || next <= today))
    return `nextEvaluation: ${NEXT_EVALUATION_RULE}.`;
  return undefined;
}

/**
 * Records today's evaluation of the protocol with the FG (operation `policy.evaluation`, by the
 * privacy officer or the FG; roles.yaml `policy.versions`). Refused: one record (deny), nothing stored.
 */
export async function recordPolicyEvaluationFor(
  ctx: OperationContext,
  args: RecordEvaluationArgs,
): Promise<Result<PolicyEvaluation, VersionsError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("policy.versions");
  if (!decision.allowed) {
    if (!(await log(ctx, "policy.evaluation", decision))) return auditFailed();
    return forbidden();
  }
  const problem = checkEvaluationArgs(args, ctx.clock.now().toISOString().slice(0, 10));
  if (problem) return err({ kind: "bad_input", message: problem });
  const recorded = await recordEvaluation(ctx.db, ctx.audit, {
    by: ctx.actor.subject,
    motivation: args.motivation,
    nextEvaluation: args.nextEvaluation ?? undefined,
    roles: ctx.actor.roles,
    clock: ctx.clock,
    traceId: ctx.traceId,
    policy: ctx.policy,
  });
  if (!recorded.ok)
    return err({
      kind: recorded.error.kind === "no_version" ? "not_found" : recorded.error.kind,
      message: recorded.error.message,
    });
  return ok(recorded.value);
}
