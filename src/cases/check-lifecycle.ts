import { auditBase, auditedTransaction, type OperationContext } from "../context/index.ts";
import { buildActorAbility } from "../policy/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import { checkFor, checkForCaseAnalyst, type LoadedCheck as Loaded } from "./check-access.ts";
import type { Advice, CaseError, CheckStatus, PrivacyCheckRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";
import { approvedSets, motivationProblem, STATUS_FOR } from "./privacy-check-service.ts";

/**
 * What follows an advice (Delft art. 16-20): the analyst escalates a disagreement, the coordinator
 * decides (a decision that differs from the advice is a recorded deviation, Delft art. 16d-e),
 * and an approval can be revoked, which ends the access it gave at once.
 */

const badInput = (message: string) => err<CaseError>({ kind: "bad_input", message });
const ADVISED: readonly CheckStatus[] = ["approved", "partially_approved", "rejected"];
const APPROVED: readonly CheckStatus[] = ["approved", "partially_approved"];

async function write(
  ctx: OperationContext,
  loaded: Loaded,
  step: {
    readonly kind: "escalated" | "decided" | "revoked" | "opinion_requested" | "opinion_given";
    readonly operation: string;
    readonly status: CheckStatus;
    readonly advice: Advice | null;
    readonly approvedFields: readonly string[];
    readonly approvedProbes: readonly string[];
    readonly motivation: string;
    readonly deviation: boolean;
  },
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const { check, record } = loaded;
  const written = await auditedTransaction(ctx, async (tx) => {
    const updated = await caseRepository.updateCheck(tx, check, {
      status: step.status,
      approvedFields: step.approvedFields,
      approvedProbes: step.approvedProbes,
    });
    if (!updated) return undefined;
    await caseRepository.appendStep(tx, {
      checkId: check.id,
      kind: step.kind,
      actor: ctx.actor.subject,
      at: ctx.clock.now(),
      advice: step.advice,
      fields: step.approvedFields,
      probes: step.approvedProbes,
      motivation: step.motivation,
      deviation: step.deviation,
    });
    return {
      value: updated,
      audit: [
        {
          ...auditBase(ctx, record),
          kind: "privacy_check" as const,
          operation: step.operation,
          source: check.source,
          fields: step.approvedFields,
          probes: step.approvedProbes,
          decision: "allow" as const,
          reason: loaded.reason,
          detail: {
            checkId: check.id,
            status: step.status,
            ...(step.advice ? { decision: step.advice } : {}),
            ...(step.deviation ? { deviation: true } : {}),
          },
        },
      ],
    };
  });
  if (!written.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  if (!written.value) return badInput("The privacy check changed meanwhile; read it again.");
  return ok(written.value);
}

const motivated = motivationProblem;

/** The analyst disagrees with the advice and asks the coordinator to decide (Delft art. 16d). */
export async function escalatePrivacyCheck(
  ctx: OperationContext,
  input: { readonly id: string; readonly motivation: string },
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const loaded = await checkForCaseAnalyst(ctx, input.id, "check.escalate");
  if (!loaded.ok) return loaded;
  const { check } = loaded.value;
  if (!ADVISED.includes(check.status))
    return badInput(`Only an advised check can be escalated; this one is ${check.status}.`);
  const missing = motivated(input.motivation, "say why the advice should not stand.");
  if (missing) return missing;
  // While the coordinator decides, the check unlocks nothing (deny by default).
  return write(ctx, loaded.value, {
    kind: "escalated",
    operation: "check.escalate",
    status: "escalated",
    advice: null,
    approvedFields: [],
    approvedProbes: [],
    motivation: input.motivation,
    deviation: false,
  });
}

/**
 * The coordinator decides an escalated check. A decision that differs from the privacy officer's
 * advice (another outcome, or another subset) is a deviation, stored with its motivation and
 * counted in the FG's report (Delft art. 16e, art. 9a).
 */
export async function decidePrivacyCheck(
  ctx: OperationContext,
  input: {
    readonly id: string;
    readonly decision: Advice;
    readonly motivation: string;
    readonly approvedFields?: readonly string[] | undefined;
    readonly approvedProbes?: readonly string[] | undefined;
  },
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const loaded = await checkFor(ctx, input.id, "check.decide", ["check.decide"], "check.decide");
  if (!loaded.ok) return loaded;
  const { check } = loaded.value;
  if (check.status !== "escalated")
    return badInput(`Only an escalated check is decided by the coordinator; this one is ${check.status}.`);
  const missing = motivated(input.motivation, "a decision needs its grounds, above all when it deviates.");
  if (missing) return missing;
  const sets = approvedSets(ctx.policy, check, { ...input, advice: input.decision });
  if (!sets.ok) return sets;
  const advised = (await caseRepository.steps(ctx.db, check.id)).filter((s) => s.kind === "advised").at(-1);
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  const deviation =
    advised !== undefined &&
    (advised.advice !== input.decision ||
      !same(advised.fields, sets.value.approvedFields) ||
      !same(advised.probes, sets.value.approvedProbes));
  return write(ctx, loaded.value, {
    kind: "decided",
    operation: "check.decide",
    status: STATUS_FOR[input.decision],
    advice: input.decision,
    ...sets.value,
    motivation: input.motivation,
    deviation,
  });
}

/** Withdraws an approval (privacy officer or coordinator): its access ends with the next request. */
export async function revokePrivacyCheck(
  ctx: OperationContext,
  input: { readonly id: string; readonly motivation: string },
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const loaded = await checkFor(ctx, input.id, "check.revoke", ["check.advise", "check.decide"]);
  if (!loaded.ok) return loaded;
  const { check } = loaded.value;
  if (!APPROVED.includes(check.status))
    return badInput(`Only an approval can be revoked; this check is ${check.status}.`);
  const missing = motivated(input.motivation, "say why the approval is withdrawn.");
  if (missing) return missing;
  return write(ctx, loaded.value, {
    kind: "revoked",
    operation: "check.revoke",
    status: "revoked",
    advice: null,
    approvedFields: [],
    approvedProbes: [],
    motivation: input.motivation,
    deviation: false,
  });
}

/** Whether the last second-opinion step of a check is a request still waiting for the FG. */
async function opinionPending(ctx: OperationContext, checkId: string): Promise<boolean> {
  const steps = (await caseRepository.steps(ctx.db, checkId)).filter(
    (s) => s.kind === "opinion_requested" || s.kind === "opinion_given",
  );
  return steps.at(-1)?.kind === "opinion_requested";
}

/** An unchanged check with one more step: a second opinion changes no status and no approval. */
const keep = (check: PrivacyCheckRecord) => ({
  status: check.status,
  advice: null,
  approvedFields: check.approvedFields,
  approvedProbes: check.approvedProbes,
  deviation: false,
});

/**
 * Anyone involved (the case's analysts, the privacy officer, the coordinator) asks the FG for a
 * second opinion on a check (Delft art. 8b, 19f; Maastricht art. 18.1: in doubt, the FG).
 */
export async function requestSecondOpinion(
  ctx: OperationContext,
  input: { readonly id: string; readonly motivation: string },
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const ability = buildActorAbility(ctx.policy, ctx.actor);
  let loaded: Result<Loaded, CaseError>;
  if (ability.can("check.advise").allowed || ability.can("check.decide").allowed)
    loaded = await checkFor(ctx, input.id, "check.opinion_request", ["check.advise", "check.decide"]);
  else loaded = await checkForCaseAnalyst(ctx, input.id, "check.opinion_request");
  if (!loaded.ok) return loaded;
  if (await opinionPending(ctx, input.id))
    return badInput("A second opinion is already asked for this check.");
  const missing = motivated(input.motivation, "say what the FG should weigh.");
  if (missing) return missing;
  return write(ctx, loaded.value, {
    kind: "opinion_requested",
    operation: "check.opinion_request",
    ...keep(loaded.value.check),
    motivation: input.motivation,
  });
}

/** The FG gives the asked second opinion: its view (GO / NO_GO / PARTIAL) and its grounds. */
export async function giveSecondOpinion(
  ctx: OperationContext,
  input: { readonly id: string; readonly opinion: Advice; readonly motivation: string },
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const loaded = await checkFor(ctx, input.id, "check.opinion", ["check.opinion"], "check.opinion");
  if (!loaded.ok) return loaded;
  if (!(await opinionPending(ctx, input.id))) return badInput("No second opinion is asked for this check.");
  const missing = motivated(input.motivation, "a second opinion needs its grounds.");
  if (missing) return missing;
  return write(ctx, loaded.value, {
    kind: "opinion_given",
    operation: "check.opinion",
    ...keep(loaded.value.check),
    advice: input.opinion,
    motivation: input.motivation,
  });
}
