import { auditBase, auditedTransaction, type OperationContext } from "../context/index.ts";
import {
  buildActorAbility,
  ruleMaximum,
  sharedScopeRoles,
  themeCovering,
  themeDatasetRef,
  type ActorAbility,
  type LoadedPolicySet,
} from "../policy/index.ts";
import { checkSubjectKey, err, freeText, ok, type Result } from "../shared/index.ts";
import { checkPhases, loadVisibleCase, refuseAudited } from "./case-access.ts";
import { checkFor } from "./check-access.ts";
import type { Advice, CaseError, CheckKind, CheckStatus, PrivacyCheckRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";
import { fourEyesRefusal, needsSteps, type Weighing } from "./four-eyes.ts";

export interface PrivacyCheckRequest {
  readonly caseId: string;
  readonly kind: CheckKind;
  readonly source: string;
  readonly fields: readonly string[];
  readonly probes: readonly string[];
  /** Subject keys (`persoon:<bsn>`, …); empty: the case as a whole (never with recipients). */
  readonly subjects?: readonly string[] | undefined;
  /** Departments a check 2a/2b shares with. */
  readonly recipients?: readonly string[] | undefined;
  readonly motivation: string;
}

const badInput = (message: string) => err<CaseError>({ kind: "bad_input", message });

/**
 * Where in a list argument the offending entries are (`fields[0], fields[2]`): a message names
 * the argument and the rule, never the caller's value (README "Errors").
 */
function positions(argument: string, values: readonly string[], bad: (v: string) => boolean): string {
  return values.flatMap((v, i) => (bad(v) ? [`${argument}[${i}]`] : [])).join(", ");
}

/** A motivation: at least 3 characters, and no BSN (src/shared/free-text.ts). */
export function motivationProblem(
  motivation: string,
  missing: string,
): { ok: false; error: CaseError } | undefined {
  if (motivation.trim().length < 3) return badInput(`motivation: ${missing}`);
  const text = freeText(motivation, "motivation");
  return text.ok ? undefined : badInput(text.error.message);
}

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

/** Everything wrong with a request, checked before anything is written (one message, every problem). */
function validateRequest(
  policy: LoadedPolicySet,
  actor: ActorAbility,
  input: PrivacyCheckRequest,
): Result<{ units: string[]; probes: string[]; subjects: string[]; recipients: string[] }, CaseError> {
  const kindName = `a privacy check ${input.kind}`;
  const phases = checkPhases(policy, input.kind);
  if (phases.length === 0)
    return badInput(
      `kind: the protocol ${policy.protocol.id} defines no phases for privacy check ${input.kind}.`,
    );
  const missing = motivationProblem(input.motivation, "a motivation is required.");
  if (missing) return missing;
  if (!policy.sources.includes(input.source))
    return badInput(`source: not a source of the policy; known: ${policy.sources.join(", ")}.`);

  const subjects: string[] = [];
  const badSubjects: string[] = [];
  for (const [i, raw] of (input.subjects ?? []).entries()) {
    const key = checkSubjectKey(raw);
    if (key.ok) subjects.push(key.value);
    else badSubjects.push(`subjects[${i}]: ${key.error}`);
  }
  if (badSubjects.length > 0) return badInput(badSubjects.join(" "));
  const recipients = [...new Set(input.recipients ?? [])].sort();
  const unknownRecipient = (r: string) => !policy.departments.some((d) => d.id === r);
  if (recipients.some(unknownRecipient))
    return badInput(
      `${positions("recipients", input.recipients ?? [], unknownRecipient)}: not a department of the policy; known: ${policy.departments.map((d) => d.id).join(", ") || "none"}.`,
    );
  if (input.kind === "1" && recipients.length > 0)
    return badInput(
      "recipients: a privacy check 1 is for source research and shares nothing with departments.",
    );
  if (recipients.length > 0 && subjects.length === 0)
    return badInput(
      "subjects: a check that shares with departments names the subjects it shares (Maastricht art. 20.3).",
    );

  const { units, unknown } = expandFields(policy, input.source, input.fields);
  if (unknown.length > 0)
    return badInput(
      `${positions("fields", input.fields, (f) => unknown.includes(f))}: not in the ${input.source} catalogue.`,
    );
  const probes = [...new Set(input.probes)].sort();
  const knownProbes = policy.probes.filter((p) => p.source === input.source).map((p) => p.id);
  const unknownProbe = (p: string) => !knownProbes.includes(p);
  if (probes.some(unknownProbe))
    return badInput(
      `${positions("probes", input.probes, unknownProbe)}: not a probe of ${input.source}; known: ${knownProbes.join(", ") || "none"}.`,
    );
  if (input.kind === "1") {
    if (units.length > 0)
      return badInput(
        "fields: a privacy check 1 decides which probes may answer hit / no hit; fields are asked with a check 2a or 2b.",
      );
    if (probes.length === 0) return badInput("probes: name at least one probe for a privacy check 1.");
  } else {
    if (probes.length > 0)
      return badInput(`probes: probes are asked with a privacy check 1, not with ${kindName}.`);
    if (units.length === 0) return badInput(`fields: name at least one field for ${kindName}.`);
  }

  const where = `in ${phases.join(", ")}`;
  const max = actor.maximum(input.source, phases);
  const beyondProbes = probes.filter((p) => !max.probes.has(p));
  if (beyondProbes.length > 0)
    return badInput(
      `probes: beyond the policy's maximum for ${input.source} ${where} (open data needs no check): ${beyondProbes.join(", ")}.`,
    );
  const beyond = units.filter((u) => !max.fields.has(u));
  if (beyond.length > 0)
    return badInput(
      `fields: beyond the policy's maximum for ${input.source} ${where}: ${beyond.join(", ")}.`,
    );
  // Every department receives by the rules of the roles with case scope `shared` (department members).
  const [recipient] = recipients;
  if (recipient !== undefined) {
    const theirs = ruleMaximum(policy, sharedScopeRoles(policy), input.source, phases).fields;
    const outside = units.filter((u) => !theirs.has(u));
    if (outside.length > 0)
      return badInput(
        `fields: beyond what the policy lets department ${recipient} receive from ${input.source} ${where}: ${outside.join(", ")}.`,
      );
  }
  return ok({ units, probes, subjects: [...new Set(subjects)].sort(), recipients });
}

/**
 * The analyst asks for a recorded weighing before closed data are used (Maastricht art. 18.1
 * and 20: checks are recorded in writing, with a motivation). A request unlocks nothing; only an
 * approval does — by the privacy officer's advice, the coordinator's decision, or a theme dataset
 * the request fits (Delft art. 16g-h, 19g).
 */
export async function requestPrivacyCheck(
  ctx: OperationContext,
  input: PrivacyCheckRequest,
): Promise<Result<PrivacyCheckRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, input.caseId, "check.request");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("check.request");
  // A refused request is a processing fact too (Delft art. 6b): a denial record, then FORBIDDEN.
  if (!decision.allowed)
    return refuseAudited(ctx, record, {
      kind: "privacy_check",
      operation: "check.request",
      reason: decision.reason,
      detail: { kind: input.kind, source: input.source },
    });
  if (record.status === "closed") return err({ kind: "phase_conflict", message: "The case is closed." });
  const valid = validateRequest(ctx.policy, buildActorAbility(ctx.policy, ctx.actor), input);
  if (!valid.ok) return valid;
  const order = ctx.policy.protocol.phases.map((p) => p.id);
  const range = checkPhases(ctx.policy, input.kind);
  if (order.indexOf(record.phase) > Math.max(...range.map((p) => order.indexOf(p))))
    return err({
      kind: "phase_conflict",
      message: `A privacy check ${input.kind} takes effect in ${range.join(", ")}, which this case has passed.`,
    });
  const { units, probes, subjects, recipients } = valid.value;
  // GDPR art. 18: nothing more is weighed for a subject whose processing here is restricted.
  const restricted = (raw: string) => {
    const key = checkSubjectKey(raw);
    return key.ok && visible.value.restricted(key.value);
  };
  if (subjects.some((s) => visible.value.restricted(s)))
    return badInput(
      `${positions("subjects", input.subjects ?? [], restricted)}: processing of this subject is restricted in this case (GDPR art. 18); no privacy check can name it until the restriction is lifted.`,
    );

  // A request that fits the dataset the privacy officer defined for the case's theme is approved
  // by that dataset without advice, recorded with its version (Delft art. 16g-h, 19g).
  const dataset = themeCovering(ctx.policy, record.theme, {
    kind: input.kind,
    source: input.source,
    fields: units,
    probes,
    recipients,
  });
  const requestedAt = ctx.clock.now();
  const check: PrivacyCheckRecord = {
    id: ctx.newId(),
    caseId: record.id,
    kind: input.kind,
    source: input.source,
    requestedFields: units,
    requestedProbes: probes,
    motivation: input.motivation,
    requestedBy: ctx.actor.subject,
    requestedAt,
    status: dataset ? "approved" : "requested",
    approvedFields: dataset ? units : [],
    approvedProbes: dataset ? probes : [],
    subjects,
    recipients,
    themeDataset: dataset ? themeDatasetRef(dataset) : null,
    version: 1,
  };
  const base = {
    ...auditBase(ctx, record),
    kind: "privacy_check" as const,
    source: check.source,
    decision: "allow" as const,
  };
  const detail = {
    checkId: check.id,
    checkKind: check.kind,
    subjects: check.subjects.length,
    recipients: check.recipients,
  };
  const written = await auditedTransaction(ctx, async (tx) => {
    await caseRepository.insertCheck(tx, check);
    await caseRepository.appendStep(tx, {
      checkId: check.id,
      kind: "requested",
      actor: ctx.actor.subject,
      at: requestedAt,
      advice: null,
      fields: check.requestedFields,
      probes: check.requestedProbes,
      motivation: check.motivation,
      deviation: false,
    });
    const requested = {
      ...base,
      operation: "check.request",
      fields: check.requestedFields,
      probes: check.requestedProbes,
      reason: decision.reason,
      detail,
    };
    if (!dataset || !check.themeDataset) return { value: check, audit: [requested] };
    await caseRepository.appendStep(tx, {
      checkId: check.id,
      kind: "theme_approved",
      actor: `theme:${check.themeDataset}`,
      at: requestedAt,
      advice: null,
      fields: check.approvedFields,
      probes: check.approvedProbes,
      motivation: `Fits theme dataset ${check.themeDataset}: ${dataset.reason}`,
      deviation: false,
    });
    const approved = {
      ...base,
      operation: "check.theme_approve",
      fields: check.approvedFields,
      probes: check.approvedProbes,
      reason: `fits theme dataset ${check.themeDataset} (${dataset.article})`,
      detail: { ...detail, themeDataset: check.themeDataset },
    };
    return { value: check, audit: [requested, approved] };
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
  const fields = input.approvedFields ?? [];
  const { units } = expandFields(policy, check.source, fields);
  const outsideField = (f: string) => {
    const one = expandFields(policy, check.source, [f]);
    return one.unknown.length > 0 || one.units.some((u) => !check.requestedFields.includes(u));
  };
  const asked = (names: readonly string[]) => `it asked ${names.join(", ") || "none"}`;
  if (fields.some(outsideField))
    return badInput(
      `${positions("approvedFields", fields, outsideField)}: not part of the request (${asked(check.requestedFields)}).`,
    );
  const probes = input.approvedProbes ?? [];
  const outsideProbe = (p: string) => !check.requestedProbes.includes(p);
  if (probes.some(outsideProbe))
    return badInput(
      `${positions("approvedProbes", probes, outsideProbe)}: not part of the request (${asked(check.requestedProbes)}).`,
    );
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
  const loaded = await checkFor(ctx, input.id, "check.advise", ["check.advise"], "check.advise");
  if (!loaded.ok) return loaded;
  const { check, record, reason } = loaded.value;
  if (check.status !== "requested") return badInput("This privacy check has already been advised.");
  const missing = motivationProblem(input.motivation, "explain necessity, proportionality and subsidiarity.");
  if (missing) return missing;

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
          reason,
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
 * for a decision (coordinator), checks waiting for a second opinion (FG) — each only if the caller
 * may take that step on it (four eyes: not on their own requests or cases).
 */
export async function pendingChecks(ctx: OperationContext): Promise<PrivacyCheckRecord[]> {
  const ability = buildActorAbility(ctx.policy, ctx.actor);
  const waiting: [PrivacyCheckRecord, Weighing][] = [];
  const add = (checks: readonly PrivacyCheckRecord[], weighing: Weighing) =>
    waiting.push(...checks.map((c): [PrivacyCheckRecord, Weighing] => [c, weighing]));
  if (ability.can("check.advise").allowed)
    add(await caseRepository.checksWithStatus(ctx.db, "requested"), "check.advise");
  if (ability.can("check.decide").allowed)
    add(await caseRepository.checksWithStatus(ctx.db, "escalated"), "check.decide");
  if (ability.can("check.opinion").allowed)
    add(await caseRepository.checksAwaitingOpinion(ctx.db), "check.opinion");
  const cases = new Map(
    (await caseRepository.getMany(ctx.db, [...new Set(waiting.map(([c]) => c.caseId))])).map((r) => [
      r.id,
      r,
    ]),
  );
  const out: PrivacyCheckRecord[] = [];
  for (const [check, weighing] of waiting) {
    const record = cases.get(check.caseId);
    if (!record) continue;
    const steps = needsSteps(weighing) ? await caseRepository.steps(ctx.db, check.id) : [];
    if (!fourEyesRefusal(ctx.actor, weighing, { record, check, steps })) out.push(check);
  }
  // An actor with several of these roles sees a check that waits for two of them once.
  return [...new Map(out.map((c) => [c.id, c])).values()];
}
