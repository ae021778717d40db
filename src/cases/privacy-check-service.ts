import { auditBase, auditedTransaction, type OperationContext } from "../context/index.ts";
import { buildActorAbility, type LoadedPolicySet } from "../policy/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import { loadVisibleCase } from "./case-access.ts";
import type { Advice, CaseError, CheckKind, CheckStatus, PrivacyCheckRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";

export interface PrivacyCheckRequest {
  readonly caseId: string;
  readonly kind: CheckKind;
  readonly source: string;
  readonly fields: readonly string[];
  readonly probes: readonly string[];
  readonly motivation: string;
}

const badInput = (message: string) => err<CaseError>({ kind: "bad_input", message });

/**
 * Expands field paths to grantable catalogue units: a unit stays, a container (`naam`) becomes
 * every grantable unit under it (automatically delivered ones such as `inOnderzoek` are never
 * grantable). Paths that name nothing grantable are returned separately so the caller can name them.
 */
export function expandFields(
  policy: LoadedPolicySet,
  source: string,
  fields: readonly string[],
): { units: string[]; unknown: string[] } {
  const units = new Set<string>();
  const unknown: string[] = [];
  for (const f of fields) {
    const under = policy.catalogue.grantableUnder(source, f);
    if (under.length === 0) unknown.push(f);
    for (const u of under) units.add(u);
  }
  return { units: [...units].sort(), unknown };
}

/**
 * The analyst asks for a recorded weighing before closed data are used (Maastricht art. 18.1
 * and 20: checks are recorded in writing, with a motivation). A request unlocks nothing;
 * only an approval does.
 */
export async function requestPrivacyCheck(
  ctx: OperationContext,
  input: PrivacyCheckRequest,
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, input.caseId, "check.request");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("check.request");
  if (!decision.allowed) return err({ kind: "forbidden", message: "Not permitted." });
  if (record.status === "closed") return err({ kind: "phase_conflict", message: "The case is closed." });
  if (input.motivation.trim().length < 3) return badInput("motivation: a motivation is required.");
  if (!ctx.policy.sources.includes(input.source))
    return badInput(`source: unknown source '${input.source}'; known: ${ctx.policy.sources.join(", ")}.`);
  const { units, unknown } = expandFields(ctx.policy, input.source, input.fields);
  if (unknown.length > 0)
    return badInput(`fields: not in the ${input.source} catalogue: ${unknown.join(", ")}.`);
  const knownProbes = ctx.policy.probes.filter((p) => p.source === input.source).map((p) => p.id);
  const badProbes = input.probes.filter((p) => !knownProbes.includes(p));
  if (badProbes.length > 0) return badInput(`probes: unknown for ${input.source}: ${badProbes.join(", ")}.`);
  if (units.length === 0 && input.probes.length === 0) return badInput("Name at least one field or probe.");
  const max = new Set(buildActorAbility(ctx.policy, ctx.actor).maxFields(input.source));
  const beyond = units.filter((u) => !max.has(u));
  if (beyond.length > 0)
    return badInput(
      `fields: beyond what the policy can ever grant for ${input.source}: ${beyond.join(", ")}.`,
    );

  const check: PrivacyCheckRecord = {
    id: ctx.newId(),
    caseId: record.id,
    kind: input.kind,
    source: input.source,
    requestedFields: units,
    requestedProbes: [...new Set(input.probes)].sort(),
    motivation: input.motivation,
    requestedBy: ctx.actor.subject,
    requestedAt: ctx.clock.now(),
    status: "requested",
    approvedFields: [],
    approvedProbes: [],
    subjects: [],
    recipients: [],
    themeDataset: null,
    version: 1,
  };
  const written = await auditedTransaction(ctx, async (tx) => {
    await caseRepository.insertCheck(tx, check);
    await caseRepository.appendStep(tx, {
      checkId: check.id,
      kind: "requested",
      actor: ctx.actor.subject,
      at: check.requestedAt,
      advice: null,
      fields: check.requestedFields,
      probes: check.requestedProbes,
      motivation: check.motivation,
      deviation: false,
    });
    return {
      value: check,
      audit: [
        {
          ...auditBase(ctx, record),
          kind: "privacy_check",
          operation: "check.request",
          source: check.source,
          fields: check.requestedFields,
          probes: check.requestedProbes,
          decision: "allow",
          reason: decision.reason,
          detail: { checkId: check.id, checkKind: check.kind },
        },
      ],
    };
  });
  if (!written.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  return ok(check);
}

/**
 * What an advice or a decision approves: GO the whole request, NO_GO nothing, PARTIAL the given
 * subset, which must lie inside the request.
 */
export function approvedSets(
  policy: LoadedPolicySet,
  check: PrivacyCheckRecord,
  input: {
    readonly advice: Advice;
    readonly approvedFields?: readonly string[] | undefined;
    readonly approvedProbes?: readonly string[] | undefined;
  },
): Result<{ approvedFields: readonly string[]; approvedProbes: readonly string[] }, CaseError> {
  if (input.advice === "GO")
    return ok({ approvedFields: check.requestedFields, approvedProbes: check.requestedProbes });
  if (input.advice === "NO_GO") {
    if (input.approvedFields?.length || input.approvedProbes?.length)
      return badInput("approvedFields and approvedProbes go only with PARTIAL.");
    return ok({ approvedFields: [], approvedProbes: [] });
  }
  const { units, unknown } = expandFields(policy, check.source, input.approvedFields ?? []);
  const outside = [...unknown, ...units.filter((u) => !check.requestedFields.includes(u))];
  if (outside.length > 0) return badInput(`approvedFields: not part of the request: ${outside.join(", ")}.`);
  const probes = input.approvedProbes ?? [];
  const outsideProbes = probes.filter((p) => !check.requestedProbes.includes(p));
  if (outsideProbes.length > 0)
    return badInput(`approvedProbes: not part of the request: ${outsideProbes.join(", ")}.`);
  if (units.length === 0 && probes.length === 0)
    return badInput("PARTIAL needs approvedFields or approvedProbes; use NO_GO to approve nothing.");
  return ok({ approvedFields: units, approvedProbes: [...new Set(probes)].sort() });
}

export const STATUS_FOR: Record<Advice, CheckStatus> = {
  GO: "approved",
  NO_GO: "rejected",
  PARTIAL: "partially_approved",
};

/**
 * The privacy officer's advice (Delft art. 16). In this minimal workflow the advice decides the
 * check; escalation to the coordinator and FG second opinions build on these steps later.
 */
export async function advisePrivacyCheck(
  ctx: OperationContext,
  input: {
    readonly id: string;
    readonly advice: Advice;
    readonly motivation: string;
    readonly approvedFields?: readonly string[] | undefined;
    readonly approvedProbes?: readonly string[] | undefined;
  },
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("check.advise");
  const check = await caseRepository.getCheck(ctx.db, input.id);
  if (!check || !decision.allowed) {
    const logged = await ctx.audit.append([
      {
        ...auditBase(ctx),
        kind: "privacy_check",
        operation: "check.advise",
        decision: "deny",
        reason: check ? decision.reason : "no such privacy check",
        detail: { checkId: input.id },
      },
    ]);
    if (!logged.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
    return err({ kind: "not_found", message: "Privacy check not found." });
  }
  const record = await caseRepository.get(ctx.db, check.caseId);
  if (!record) return err({ kind: "not_found", message: "Privacy check not found." });
  if (check.status !== "requested") return badInput("This privacy check has already been advised.");
  if (input.motivation.trim().length < 3)
    return badInput("motivation: explain necessity, proportionality and subsidiarity.");

  const sets = approvedSets(ctx.policy, check, input);
  if (!sets.ok) return sets;
  const { approvedFields, approvedProbes } = sets.value;

  const at = ctx.clock.now();
  const written = await auditedTransaction(ctx, async (tx) => {
    const updated = await caseRepository.updateCheck(tx, check, {
      status: STATUS_FOR[input.advice],
      approvedFields,
      approvedProbes,
    });
    if (!updated) return undefined;
    await caseRepository.appendStep(tx, {
      checkId: check.id,
      kind: "advised",
      actor: ctx.actor.subject,
      at,
      advice: input.advice,
      fields: approvedFields,
      probes: approvedProbes,
      motivation: input.motivation,
      deviation: false,
    });
    return {
      value: updated,
      audit: [
        {
          ...auditBase(ctx, record),
          kind: "privacy_check",
          operation: "check.advise",
          source: check.source,
          fields: approvedFields,
          probes: approvedProbes,
          decision: "allow",
          reason: decision.reason,
          detail: { checkId: check.id, advice: input.advice },
        },
      ],
    };
  });
  if (!written.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  if (!written.value) return badInput("This privacy check has already been advised.");
  return ok(written.value);
}

/**
 * The queue of the caller: checks waiting for advice (privacy officer), escalated checks waiting
 * for a decision (coordinator), checks waiting for a second opinion (FG).
 */
export async function pendingChecks(ctx: OperationContext): Promise<PrivacyCheckRecord[]> {
  const ability = buildActorAbility(ctx.policy, ctx.actor);
  const out: PrivacyCheckRecord[] = [];
  if (ability.can("check.advise").allowed)
    out.push(...(await caseRepository.checksWithStatus(ctx.db, "requested")));
  if (ability.can("check.decide").allowed)
    out.push(...(await caseRepository.checksWithStatus(ctx.db, "escalated")));
  if (ability.can("check.opinion").allowed) out.push(...(await caseRepository.checksAwaitingOpinion(ctx.db)));
  return out;
}
