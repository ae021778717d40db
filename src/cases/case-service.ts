import { reporterRepository, validateReporter, type ReporterInput } from "./reporter.ts";
import { exitRepository, validateExit, type CaseExitInput } from "./case-exit.ts";
import { auditBase, auditedTransaction, type OperationContext } from "../context/index.ts";
import {
  buildActorAbility,
  buildCaseAbility,
  clientCaseDecision,
  CLOSED_CASE_RULE,
  type CaseAbility,
} from "../policy/index.ts";
import { auditIdOfKey, err, freeText, ok, type Decision, type Result } from "../shared/index.ts";
import type { Queryable } from "../store/index.ts";
import type { AuditEntry } from "../audit/index.ts";
import {
  caseSubjectRepository,
  checkPersons,
  checkSignalMeta,
  parseSubjectKeys,
  subjectAddedAudit,
  type PersonDescriptionInput,
  type PersonResolutionResult,
  type PersonResolver,
  type ResolutionOutcome,
} from "./case-subjects.ts";
import {
  abilityFor,
  caseFacts,
  checkPhases,
  knownDepartment,
  loadVisibleCase,
  type VisibleCase,
} from "./case-access.ts";
import type { CaseError, CaseEvent, CaseRecord } from "./case-record.ts";
import { caseRepository } from "./case-repository.ts";
import { screenSignal } from "./signal-screening.ts";
import { weighingGate } from "./weighing.ts";

export interface OpenCaseInput {
  readonly reference: string;
  readonly theme?: string | null | undefined;
  readonly substitute?: string | null | undefined;
  readonly motivation: string;
  /**
   * The analyst confirms the signal text was reviewed and holds no special personal data, so a
   * text the screening flags is stored anyway, audited (Maastricht art. 6.4).
   */
  readonly anonymised?: boolean | null | undefined;
  readonly anonymisedMotivation?: string | null | undefined;
  /** Who reported the signal, stored apart from it (Maastricht art. 6.1; Delft art. 4). */
  readonly reporter?: ReporterInput | null | undefined;
  /** The subjects the signal names, as subject keys (`persoon:<bsn>`, …; issue 11). */
  readonly subjects?: readonly string[] | null | undefined;
  /** Persons the signal names without a BSN, resolved in intake with the BRP's search types. */
  readonly persons?: readonly PersonDescriptionInput[] | null | undefined;
  /** When the signal came in (YYYY-MM-DD), and how. */
  readonly signalDate?: string | null | undefined;
  readonly channel?: string | null | undefined;
}

const badInput = (message: string) => err<CaseError>({ kind: "bad_input", message });
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,79}$/;
export const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;

export function requireMotivation(motivation: string): CaseError | undefined {
  if (motivation.trim().length < 3)
    return { kind: "bad_input", message: "motivation: required (at least 3 characters)." };
  if (motivation.length > 4000) return { kind: "bad_input", message: "motivation: at most 4000 characters." };
  return textProblem(motivation, "motivation");
}

/** Free text that names a person by BSN is refused (src/shared/free-text.ts). */
function textProblem(value: string, argument: string): CaseError | undefined {
  const text = freeText(value, argument);
  return text.ok ? undefined : { kind: "bad_input", message: text.error.message };
}

/** A closed case refuses changes because of its phase, not the actor: that is a phase conflict. */
export const refusal = (decision: Decision): CaseError =>
  decision.ruleId === CLOSED_CASE_RULE
    ? { kind: "phase_conflict", message: "The case is closed." }
    : { kind: "forbidden", message: "Not permitted." };

/** Logs a refused case change; the refusal itself is a processing fact (Delft art. 6b). */
export async function logDenied(
  ctx: OperationContext,
  record: CaseRecord | undefined,
  operation: string,
  e: CaseError,
  detail?: Record<string, unknown>,
): Promise<Result<never, CaseError>> {
  const logged = await ctx.audit.append([
    { ...auditBase(ctx, record), kind: "case", operation, decision: "deny", reason: e.message, detail },
  ]);
  if (!logged.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  return err(e);
}

/**
 * A case change with its history entry and audit record, committed together; `write` may return
 * more audit records for what the change did to the case's checks.
 */
export async function commitChange(
  ctx: OperationContext,
  write: (tx: Queryable) => Promise<CaseRecord | { record: CaseRecord; audit: AuditEntry[] } | undefined>,
  event: (c: CaseRecord) => Omit<CaseEvent, "seq">,
  operation: string,
  reason: string,
  detail: Record<string, unknown>,
): Promise<Result<CaseRecord, CaseError>> {
  const result = await auditedTransaction(ctx, async (tx) => {
    const written = await write(tx);
    if (!written) return undefined;
    const { record: updated, audit: more } = "record" in written ? written : { record: written, audit: [] };
    await caseRepository.appendEvent(tx, event(updated));
    return {
      value: updated,
      audit: [
        { ...auditBase(ctx, updated), kind: "case", operation, decision: "allow", reason, detail },
        ...more,
      ],
    };
  });
  if (!result.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  if (!result.value)
    return err({ kind: "phase_conflict", message: "The case was changed meanwhile; reload it." });
  return ok(result.value);
}

/**
 * Opens a case from a signal (`openCase`, for callers that use it; `registerSignal` also answers
 * what intake's BRP search made of the persons named without a BSN).
 */
export async function openCase(
  ctx: OperationContext,
  input: OpenCaseInput,
  resolver?: PersonResolver,
): Promise<Result<CaseRecord, CaseError>> {
  const registered = await registerSignal(ctx, input, resolver);
  return registered.ok ? ok(registered.value.record) : registered;
}

/**
 * Signal intake (Maastricht art. 6, 14; Delft art. 4, 12): the signal becomes a case in the
 * protocol's first phase, owned by the registering analyst, with the subjects it names. Everything
 * is checked before anything is asked or written: the text (special categories, no BSN), the
 * reporter, the subject keys (BSN 11-check, KvK number, postcode, BAG id) and the described persons.
 * A person named without a BSN is then looked up with the BRP's search types, asking only for the
 * BSN: exactly one match becomes a subject (audited as a disclosure of the BSN only); none, several
 * or a failed BRP answer NO_MATCH, AMBIGUOUS or UNKNOWN and reveal nothing else.
 */
export async function registerSignal(
  ctx: OperationContext,
  input: OpenCaseInput,
  resolver?: PersonResolver,
): Promise<Result<{ record: CaseRecord; resolutions: PersonResolutionResult[] }, CaseError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can("case.open");
  if (!decision.allowed)
    return logDenied(ctx, undefined, "case.open", { kind: "forbidden", message: "Not permitted." });
  const reference = input.reference.trim();
  if (!REFERENCE.test(reference))
    return badInput("reference: 1-80 letters, digits, spaces or . _ / -, starting with a letter or digit.");
  const referenceProblem = textProblem(reference, "reference");
  if (referenceProblem) return err(referenceProblem);
  const theme = input.theme?.trim() || null;
  if (theme !== null && theme.length > 80) return badInput("theme: at most 80 characters.");
  const themeProblem = theme === null ? undefined : textProblem(theme, "theme");
  if (themeProblem) return err(themeProblem);
  // A service account opens only cases its clients.yaml entry names (issue 12).
  const bound = clientCaseDecision(ctx.policy.clients, ctx.actor, { theme, reference });
  if (!bound.allowed)
    return logDenied(ctx, undefined, "case.open", { kind: "forbidden", message: `theme: ${bound.reason}.` });
  const substitute = input.substitute?.trim() || null;
  if (substitute !== null && !SUBJECT.test(substitute)) return badInput("substitute: not a valid user id.");
  if (substitute === ctx.actor.subject)
    return badInput("substitute: the owner cannot be their own substitute.");
  const motivationProblem = requireMotivation(input.motivation);
  if (motivationProblem) return err(motivationProblem);
  const screened = screenSignal(ctx.policy, input);
  if (!screened.ok) return screened;
  const reporter = validateReporter(input.reporter);
  if (!reporter.ok) return reporter;
  const subjects = parseSubjectKeys(input.subjects, "subjects");
  if (!subjects.ok) return subjects;
  const persons = checkPersons(input.persons, resolver);
  if (!persons.ok) return persons;
  const meta = checkSignalMeta(input.signalDate, input.channel, ctx.clock.now().toISOString().slice(0, 10));
  if (!meta.ok) return meta;
  // Unique among the caller's own cases only: whether another team uses it is not theirs to learn.
  if (await caseRepository.ownerHasReference(ctx.db, ctx.actor.subject, reference))
    return badInput("reference: you already own a case with this reference.");

  const protocol = ctx.policy.protocol;
  const record: CaseRecord = {
    id: ctx.newId(),
    reference,
    theme,
    protocolId: protocol.id,
    phase: protocol.initialPhase,
    status: "open",
    outcome: null,
    owner: ctx.actor.subject,
    substitute,
    openedAt: ctx.clock.now(),
    closedAt: null,
    version: 1,
  };
  // The BRP search is a disclosure of the BSN: only for an actor the rules give the BRP in the
  // first phase (deny by default), decided for the case as it will be.
  let brp = { mode: "none", decision: { allowed: false, reason: "" } } as ReturnType<CaseAbility["mode"]>;
  if (persons.value.length > 0) {
    brp = buildCaseAbility(ctx.policy, { actor: ctx.actor, case: caseFacts(record), approvals: [] }).mode(
      "brp",
    );
    if (brp.mode === "none")
      return logDenied(ctx, undefined, "case.open", {
        kind: "forbidden",
        message: "persons: your role may not search the BRP in this phase; name the persons by BSN.",
      });
  }
  const resolutions: PersonResolutionResult[] = [];
  const resolutionAudit: ((base: ReturnType<typeof auditBase>) => AuditEntry)[] = [];
  for (const [index, person] of persons.value.entries()) {
    const found = await resolver!.resolve(person);
    const outcome: ResolutionOutcome = !found.ok
      ? "UNKNOWN"
      : found.value.kind === "match"
        ? "MATCH"
        : found.value.kind === "no_match"
          ? "NO_MATCH"
          : "AMBIGUOUS";
    const subject = found.ok && found.value.kind === "match" ? `persoon:${found.value.bsn}` : undefined;
    resolutions.push({ index, outcome, ...(subject ? { subject } : {}) });
    resolutionAudit.push((base) => ({
      ...base,
      kind: subject ? "disclosure" : "access",
      operation: "brp.resolve",
      source: "brp",
      ...(subject ? { ...auditIdOfKey(subject), fields: ["burgerservicenummer"], mode: brp.mode } : {}),
      decision: found.ok ? "allow" : "error",
      reason: `intake: the BRP's search for a person the signal names without a BSN (Maastricht art. 14; ${brp.decision.reason})`,
      detail: { index, outcome, ...(found.ok ? {} : { upstream: found.error.reason }) },
    }));
  }
  const resolved = resolutions.flatMap((r) =>
    r.subject && !subjects.value.includes(r.subject) ? [r.subject] : [],
  );
  const result = await commitChange(
    ctx,
    async (tx) => {
      await caseRepository.insert(tx, record);
      if (reporter.value) await reporterRepository.insert(tx, record.id, reporter.value, record.openedAt);
      await caseSubjectRepository.insertSignal(tx, record.id, meta.value);
      const row = { checkId: null, motivation: null, addedBy: ctx.actor.subject, addedAt: record.openedAt };
      const named = await caseSubjectRepository.insert(tx, record.id, subjects.value, {
        ...row,
        origin: "signal",
      });
      const found = await caseSubjectRepository.insert(tx, record.id, [...new Set(resolved)], {
        ...row,
        origin: "resolved",
      });
      const base = auditBase(ctx, record);
      return {
        record,
        audit: [
          ...screened.value.map((confirmed) => confirmed(base)),
          ...resolutionAudit.map((a) => a(base)),
          ...named.map((k) => subjectAddedAudit(ctx, record, k, "signal", "a subject the signal names")),
          ...found.map((k) =>
            subjectAddedAudit(ctx, record, k, "resolved", "a person the signal names, identified in intake"),
          ),
        ],
      };
    },
    (c) => ({
      caseId: c.id,
      kind: "opened",
      fromPhase: null,
      toPhase: c.phase,
      outcome: null,
      actor: ctx.actor.subject,
      at: c.openedAt,
      motivation: input.motivation,
    }),
    "case.open",
    decision.reason,
    {
      reference,
      protocol: protocol.id,
      phase: record.phase,
      subjects: subjects.value.length + new Set(resolved).size,
      ...(meta.value.channel ? { channel: meta.value.channel } : {}),
    },
  );
  return result.ok ? ok({ record: result.value, resolutions }) : result;
}

/** Moves a case along a transition the protocol file allows; anything else is a phase conflict. */
export async function transitionCase(
  ctx: OperationContext,
  id: string,
  to: string,
  motivation: string,
): Promise<Result<CaseRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, id, "case.transition");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("case.transition");
  if (!decision.allowed) return logDenied(ctx, record, "case.transition", refusal(decision));
  const motivationProblem = requireMotivation(motivation);
  if (motivationProblem) return err(motivationProblem);
  const protocol = ctx.policy.protocol;
  if (!protocol.phases.some((p) => p.id === to))
    return badInput(
      `to: not a phase of the protocol; it has ${protocol.phases.map((p) => p.id).join(", ")}.`,
    );
  if (!protocol.transitions.some((t) => t.from === record.phase && t.to === to)) {
    const message =
      to === protocol.closedPhase
        ? `Close the case with closeCase and an outcome instead of moving it to ${to}.`
        : `The protocol does not allow ${record.phase} -> ${to}.`;
    return logDenied(
      ctx,
      record,
      "case.transition",
      { kind: "phase_conflict", message },
      { from: record.phase, to },
    );
  }
  // Maastricht art. 16.3, Delft art. 15e: on to source research only with the checklist complete.
  const gate = await weighingGate(ctx.db, protocol, record, to);
  if (gate)
    return logDenied(ctx, record, "case.transition", gate.error, {
      from: record.phase,
      to,
      missing: gate.missing,
    });
  const at = ctx.clock.now();
  const phaseIds = protocol.phases.map((p) => p.id);
  const back = phaseIds.indexOf(to) < phaseIds.indexOf(record.phase);
  return commitChange(
    ctx,
    async (tx) => {
      const updated = await caseRepository.update(tx, record, {
        phase: to,
        status: "open",
        outcome: null,
        closedAt: null,
      });
      if (!updated || !back) return updated;
      const lapsed = await lapseApprovals(ctx, tx, updated, record.phase, at, motivation);
      return { record: updated, audit: lapsed };
    },
    (c) => ({
      caseId: c.id,
      kind: "transitioned",
      fromPhase: record.phase,
      toPhase: to,
      outcome: null,
      actor: ctx.actor.subject,
      at,
      motivation,
    }),
    "case.transition",
    decision.reason,
    { from: record.phase, to },
  );
}

/**
 * Moving a case back (Delft ch. 5) ends, for good, every approval that was not in effect both in
 * the phase it leaves and in the phase it moves back to: the new round is weighed again with a new
 * check. Each
 * lapse is a step in the check's history and an audit record, in the transition's transaction.
 */
async function lapseApprovals(
  ctx: OperationContext,
  tx: Queryable,
  moved: CaseRecord,
  from: string,
  at: Date,
  motivation: string,
): Promise<AuditEntry[]> {
  const audit: AuditEntry[] = [];
  for (const check of await caseRepository.checksForCase(tx, moved.id)) {
    if (check.status !== "approved" && check.status !== "partially_approved") continue;
    // Only an approval in effect both before and after the move survives it; one whose phases the
    // case had already left (a check 1 once the case went on) does not come back with the case.
    const range = checkPhases(ctx.policy, check.kind);
    if (range.includes(from) && range.includes(moved.phase)) continue;
    const updated = await caseRepository.updateCheck(tx, check, {
      status: "lapsed",
      approvedFields: check.approvedFields,
      approvedProbes: check.approvedProbes,
    });
    if (!updated) throw new Error(`privacy check ${check.id} changed during the transition`);
    await caseRepository.appendStep(tx, {
      checkId: check.id,
      kind: "lapsed",
      actor: ctx.actor.subject,
      at,
      advice: null,
      fields: check.approvedFields,
      probes: check.approvedProbes,
      motivation: `The case moved back from ${from} to ${moved.phase}: ${motivation}`,
      deviation: false,
    });
    audit.push({
      ...auditBase(ctx, moved),
      kind: "privacy_check",
      operation: "check.lapse",
      source: check.source,
      fields: check.approvedFields,
      probes: check.approvedProbes,
      decision: "allow",
      reason: `the case moved back from ${from} to ${moved.phase}; privacy check ${check.kind} takes effect only in ${range.join(", ")}`,
      detail: { checkId: check.id, from, to: moved.phase },
    });
  }
  return audit;
}

/** Closes a case with one of the protocol's outcomes, from a phase that outcome allows. */
export async function closeCase(
  ctx: OperationContext,
  id: string,
  outcome: string,
  motivation: string,
  exitInput?: CaseExitInput | null,
): Promise<Result<CaseRecord, CaseError>> {
  const visible = await loadVisibleCase(ctx, id, "case.close");
  if (!visible.ok) return visible;
  const { record, ability } = visible.value;
  const decision = ability.can("case.close");
  if (!decision.allowed) return logDenied(ctx, record, "case.close", refusal(decision));
  const motivationProblem = requireMotivation(motivation);
  if (motivationProblem) return err(motivationProblem);
  const protocol = ctx.policy.protocol;
  const def = protocol.outcomes.find((o) => o.id === outcome);
  if (!def)
    return badInput(
      `outcome: not an outcome of the protocol; it has ${protocol.outcomes.map((o) => o.id).join(", ")}.`,
    );
  if (!def.fromPhases.includes(record.phase))
    return logDenied(
      ctx,
      record,
      "case.close",
      { kind: "phase_conflict", message: `Outcome ${outcome} is not possible from phase ${record.phase}.` },
      { outcome, from: record.phase },
    );
  // Where the signal goes, checked before anything is written (Maastricht art. 14c, 16.2, 18.3).
  const exit = validateExit(ctx.policy, def, exitInput);
  if (!exit.ok) return exit;
  const at = ctx.clock.now();
  return commitChange(
    ctx,
    async (tx) => {
      const closed = await caseRepository.update(tx, record, {
        phase: protocol.closedPhase,
        status: "closed",
        outcome,
        closedAt: at,
      });
      if (closed && exit.value) await exitRepository.insert(tx, closed.id, exit.value, at);
      return closed;
    },
    (c) => ({
      caseId: c.id,
      kind: "closed",
      fromPhase: record.phase,
      toPhase: c.phase,
      outcome,
      actor: ctx.actor.subject,
      at,
      motivation,
    }),
    "case.close",
    decision.reason,
    {
      from: record.phase,
      to: protocol.closedPhase,
      outcome,
      retention: def.retention,
      ...(exit.value ? { exit: exit.value.receiverKind } : {}),
    },
  );
}

/**
 * Cases the actor may list: assigned ones for analysts, those shared with their department for
 * department members (then checked against the phase ranges by the ability), all for scope `all`.
 */
export async function listCases(ctx: OperationContext, status?: "open" | "closed"): Promise<VisibleCase[]> {
  const scope = buildActorAbility(ctx.policy, ctx.actor).caseScope;
  if (scope === "none") return [];
  const department = knownDepartment(ctx.policy, ctx.actor);
  if (scope === "shared" && department === undefined) return [];
  const records = await caseRepository.list(ctx.db, {
    assignedTo: scope === "assigned" ? ctx.actor.subject : undefined,
    sharedWith: scope === "shared" ? department : undefined,
    status,
  });
  const visible: VisibleCase[] = [];
  for (const record of records) {
    const abilities = await abilityFor(ctx, ctx.db, record);
    if (abilities.ability.can("case.read").allowed) visible.push({ record, ...abilities });
  }
  return visible;
}

export { abilityFor };
