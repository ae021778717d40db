import { auditBase, type OperationContext } from "../context/index.ts";
import {
  buildActorAbility,
  createPolicyResolver,
  diffPolicies,
  parsePolicyRef,
  parseReplayPeriod,
  refText,
  type LoadedPolicySet,
  type PolicyDiff,
  type PolicyRef,
  type PolicyReplay,
} from "../policy/index.ts";
import { err, ok, type Decision, type Result } from "../shared/index.ts";
import type { CaseError } from "./case-record.ts";
import { replayPeriod } from "./replay-history.ts";

/**
 * The privacy officer's diff and replay as GraphQL (issue 14), for the roles granted
 * `policy.explain` (roles.yaml: the privacy officer and the FG); deny by default. References are
 * only `current`, `files` (the gateway's POLICY_DIR) and `v<N>`: never a path from a request. Every
 * call, a refused one too, is one audit record (kind `access`, operation `policy.diff` or
 * `policy.replay`), written before anything is read or answered.
 */

export const POLICY_DIFF_OPERATION = "policy.diff";
export const POLICY_REPLAY_OPERATION = "policy.replay";

type Failure = Pick<CaseError, "kind" | "message">;

async function log(
  ctx: OperationContext,
  operation: string,
  decision: Decision,
  detail: Record<string, unknown>,
): Promise<boolean> {
  const logged = await ctx.audit.append([
    {
      ...auditBase(ctx, undefined, "accountability"),
      kind: "access",
      operation,
      decision: decision.allowed ? "allow" : "deny",
      reason: decision.reason,
      detail,
    },
  ]);
  return logged.ok;
}

const auditFailed = (): Result<never, Failure> =>
  err({ kind: "audit_failed", message: "The audit log could not be written." });

/** The permission, then the audit record; a refused caller learns nothing about its arguments. */
async function admitted(
  ctx: OperationContext,
  operation: string,
  detail: Record<string, unknown>,
): Promise<Result<void, Failure>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("policy.explain");
  if (!(await log(ctx, operation, decision, detail))) return auditFailed();
  return decision.allowed ? ok(undefined) : err({ kind: "forbidden", message: "Not permitted." });
}

function resolverOf(ctx: OperationContext) {
  const sources = ctx.policySources;
  const resolver = createPolicyResolver({
    current: ctx.policy,
    filesDir: sources?.filesDir ?? "",
    protocolFile: sources?.protocolFile,
    loadVersion: sources?.loadVersion,
  });
  return async (ref: PolicyRef, name: string): Promise<Result<LoadedPolicySet, Failure>> => {
    if (ref.kind === "files" && !sources)
      return err({ kind: "bad_input", message: `${name}: the working files are not available here.` });
    const r = await resolver.resolve(ref);
    return r.ok ? r : err({ kind: "bad_input", message: `${name}: ${r.error.message}` });
  };
}

const refOf = (text: string, name: string): Result<PolicyRef, Failure> => {
  const r = parsePolicyRef(text, { dirs: false });
  return r.ok ? r : err({ kind: "bad_input", message: `${name}: ${r.error}` });
};

/** `policyDiff(from, to)`: what changes between two policies, in words and matrix cells. */
export async function policyDiffFor(
  ctx: OperationContext,
  args: { readonly from: string; readonly to: string },
): Promise<Result<PolicyDiff, Failure>> {
  const from = refOf(args.from, "from");
  const to = refOf(args.to, "to");
  const detail =
    from.ok && to.ok ? { from: refText(from.value), to: refText(to.value) } : { query: "invalid" };
  const allowed = await admitted(ctx, POLICY_DIFF_OPERATION, detail);
  if (!allowed.ok) return allowed;
  if (!from.ok) return from;
  if (!to.ok) return to;
  const resolve = resolverOf(ctx);
  const a = await resolve(from.value, "from");
  if (!a.ok) return a;
  const b = await resolve(to.value, "to");
  if (!b.ok) return b;
  return ok(
    diffPolicies({ ref: refText(from.value), policy: a.value }, { ref: refText(to.value), policy: b.value }),
  );
}

/** `policyReplay(candidate, from, to)`: the recorded decisions of a period re-decided under a candidate. */
export async function policyReplayFor(
  ctx: OperationContext,
  args: { readonly candidate: string; readonly from: string; readonly to: string },
): Promise<Result<PolicyReplay, Failure>> {
  const ref = refOf(args.candidate, "candidate");
  const period = parseReplayPeriod(args.from, args.to, { from: "from", to: "to" });
  const detail =
    ref.ok && period.ok
      ? {
          candidate: refText(ref.value),
          from: period.value.from.toISOString(),
          to: period.value.to.toISOString(),
        }
      : { query: "invalid" };
  const allowed = await admitted(ctx, POLICY_REPLAY_OPERATION, detail);
  if (!allowed.ok) return allowed;
  if (!ref.ok) return ref;
  if (!period.ok) return err({ kind: "bad_input", message: `${period.error}.` });
  const resolve = resolverOf(ctx);
  const candidate = await resolve(ref.value, "candidate");
  if (!candidate.ok) return candidate;
  // The policies a record may have been decided under that this gateway can load.
  let files: LoadedPolicySet | undefined;
  const policyByHash = async (hash: string): Promise<LoadedPolicySet | undefined> => {
    if (hash === ctx.policy.hash) return ctx.policy;
    if (hash === candidate.value.hash) return candidate.value;
    if (ctx.policySources && !files) {
      const loaded = await resolve({ kind: "files" }, "files");
      if (loaded.ok) files = loaded.value;
    }
    if (files?.hash === hash) return files;
    return ctx.policySources?.loadByHash?.(hash);
  };
  return ok(
    await replayPeriod({
      db: ctx.db,
      audit: ctx.audit,
      candidate: { ref: refText(ref.value), policy: candidate.value },
      from: period.value.from,
      to: period.value.to,
      policyByHash,
    }),
  );
}
