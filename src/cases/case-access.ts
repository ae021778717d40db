import type { AuditEntry } from "../audit/index.ts";
import { auditBase, type OperationContext } from "../context/index.ts";
import {
  buildCaseAbility,
  bindingOf,
  unboundAbility,
  type Approval,
  type CaseAbility,
  type CaseSubjects,
  type CaseFacts,
  type LoadedPolicySet,
  restrictedCaseAbility,
  RATE_RULE,
  REACH_RULE,
} from "../policy/index.ts";
// Directly, not through src/rights/index.ts: that module builds on this one (a leaf, no cycle).
import { restrictionReason } from "../rights/restrictions.ts";
import { err, ok, type Actor, type Result } from "../shared/index.ts";
import { decisionSpans } from "../observability/decision-spans.ts";
import type { Queryable } from "../store/index.ts";
import type { CaseError, CaseEvent, CaseRecord, PrivacyCheckRecord } from "./case-record.ts";
import { exitRepository, type CaseExit } from "./case-exit.ts";
import { caseRepository, type CaseView } from "./case-repository.ts";
import { caseSubjectRepository, type CaseSubject } from "./case-subjects.ts";
import { caseViewOf } from "./case-view.ts";

/** A case the actor may see, with the ability that governs everything asked about it. */
export interface VisibleCase {
  readonly record: CaseRecord;
  /** Case actions, and what the case-wide approvals (checks naming no subjects) unlock. */
  readonly ability: CaseAbility;
  /**
   * What may be disclosed about one subject (`persoon:<bsn>`, …, see `subjectKey`): the case-wide
   * approvals plus those that name this subject (Maastricht art. 18.1, 20.1-20.3); nothing at all
   * while the subject's processing in this case is restricted (GDPR art. 18).
   */
  readonly forSubject: (subjectKey: string) => CaseAbility;
  /** Whether a restriction of processing (GDPR art. 18) is in force for this subject in this case. */
  readonly restricted: (subjectKey: string) => boolean;
  /**
   * Records that an approved hop (`via`, e.g. `bewoning.bewoners`) reached this subject from one
   * the case may answer about: for the rest of this operation the case answers about it too, by
   * its own sources' rules (issue 11). Nothing else widens the circle within an operation.
   */
  readonly reach: (subjectKey: string, via: string) => void;
  /** The hop that reached this subject in this operation, if it is not one of the case's own. */
  readonly reachedVia: (subjectKey: string) => string | undefined;
}

/** The actor's department if it is one the policy knows; any other claim value counts for nothing. */
export function knownDepartment(policy: LoadedPolicySet, actor: Actor): string | undefined {
  return actor.department !== undefined && policy.departments.some((d) => d.id === actor.department)
    ? actor.department
    : undefined;
}

/** The phases in which approvals of a check's kind take effect (protocol file `checks`). */
export const checkPhases = (policy: LoadedPolicySet, kind: PrivacyCheckRecord["kind"]): readonly string[] =>
  policy.protocol.checks.find((d) => d.kind === kind)?.phases ?? [];

/**
 * Approvals (never requests) in effect for a case now: approved or partially approved, and the
 * case is inside the phase range of the check's kind. Escalated, rejected, revoked and lapsed
 * checks unlock nothing.
 */
export function checksInEffect(
  policy: LoadedPolicySet,
  record: CaseRecord,
  checks: readonly PrivacyCheckRecord[],
): PrivacyCheckRecord[] {
  return checks.filter(
    (c) =>
      (c.status === "approved" || c.status === "partially_approved") &&
      checkPhases(policy, c.kind).includes(record.phase),
  );
}

const toApproval = (c: PrivacyCheckRecord): Approval => ({
  checkId: c.id,
  source: c.source,
  fields: c.approvedFields,
  probes: c.approvedProbes,
  recipients: c.recipients,
});

/** Every approval in effect for the case, whoever it is for (used by `explain`). */
export async function approvalsForCase(
  policy: LoadedPolicySet,
  db: Queryable,
  record: CaseRecord,
): Promise<Approval[]> {
  return checksInEffect(policy, record, await caseRepository.checksForCase(db, record.id)).map(toApproval);
}

export const caseFacts = (c: CaseRecord, sharedWithDepartment = false): CaseFacts => ({
  id: c.id,
  phase: c.phase,
  status: c.status,
  owner: c.owner,
  substitute: c.substitute,
  sharedWithDepartment,
  theme: c.theme,
  reference: c.reference,
});

/**
 * The case's abilities for this actor. Every approval in effect goes to the policy layer with the
 * departments its check names; there each of the actor's roles counts only what its own case scope
 * gives it (`approvalCountsFor`): the case's own analysts (a role with scope `assigned`, held by
 * the owner or substitute) every approval, a department member (scope `shared`) only the approvals
 * of checks 2a/2b that name their department, and those always name subjects, so nothing of the
 * case's other subjects is unlocked for them (Maastricht art. 20.3: only to the named recipients).
 * Being the case's owner lends nothing to a department role (issue 10).
 */
export async function abilityFor(
  ctx: OperationContext,
  db: Queryable,
  record: CaseRecord,
  /** The case's checks, restrictions and subjects if already read (its case view); else read here. */
  known?: Omit<CaseView, "record">,
): Promise<Pick<VisibleCase, "ability" | "forSubject" | "restricted" | "reach" | "reachedVia">> {
  // One statement for all three (issue 15); `db` may be the transaction that just changed them.
  const read = known ?? (await caseRepository.view(db, record.id));
  const inEffect = checksInEffect(ctx.policy, record, read.checks);
  const restrictions = read.restrictions;
  // Purpose binding (issue 11): whom the case is about, and whom approved hops reached from them.
  const reached = new Map<string, string>();
  const subjects: CaseSubjects = { named: read.subjectKeys, reached };
  let unbound: CaseAbility | undefined;
  const department = knownDepartment(ctx.policy, ctx.actor);
  const shared = department !== undefined && inEffect.some((c) => c.recipients.includes(department));
  const facts = caseFacts(record, shared);
  const build = (approvals: readonly PrivacyCheckRecord[]) =>
    buildCaseAbility(ctx.policy, { actor: ctx.actor, case: facts, approvals: approvals.map(toApproval) });
  const caseWide = inEffect.filter((c) => c.subjects.length === 0);
  // Per subject, built once for this case view (every field and hop about it asks again).
  const bySubject = new Map<string, CaseAbility>();
  const view: Pick<VisibleCase, "ability" | "forSubject" | "restricted" | "reach" | "reachedVia"> = {
    ability: build(caseWide),
    forSubject: (key) => {
      // Outside the case's subjects every mode is refused before anything else is decided or
      // counted, whether or not any registry knows the subject (Maastricht art. 3, 14, 18).
      if (!bindingOf(subjects, key).bound) return (unbound ??= unboundAbility(build(caseWide)));
      const known = bySubject.get(key);
      if (known) return known;
      // An operation discloses about at most so many subjects, hops included (issue 11): each
      // further one is refused whatever the approvals, audited like any refusal.
      const reach = ctx.reach;
      if (reach && !reach.subjects.has(key)) {
        if (reach.subjects.size >= reach.max) {
          const over = reachLimitedAbility(build(caseWide), reach.max);
          bySubject.set(key, over);
          return over;
        }
        reach.subjects.add(key);
      }
      // Across requests: so many distinct subjects per actor and case within the window.
      const rate = ctx.subjectRate;
      if (rate && !rate.admit(`${ctx.actor.subject}|${record.id}`, key, ctx.clock.now())) {
        const over = restrictedCaseAbility(
          build(caseWide),
          `${ctx.actor.subject} already disclosed about ${rate.maxSubjects} distinct subjects in this case within ${rate.windowS} s, at most ${rate.maxSubjects} (SUBJECT_RATE_MAX, SUBJECT_RATE_WINDOW_S)`,
          RATE_RULE,
        );
        bySubject.set(key, over);
        return over;
      }
      const approved = build(inEffect.filter((c) => c.subjects.length === 0 || c.subjects.includes(key)));
      const restriction = restrictions.get(key);
      // GDPR art. 18: while restricted, every disclosure about the subject is refused, for everyone.
      const ability = restriction
        ? restrictedCaseAbility(approved, restrictionReason(restriction))
        : approved;
      bySubject.set(key, ability);
      return ability;
    },
    restricted: (key) => restrictions.has(key),
    reach: (key, via) => {
      if (!subjects.named.has(key) && !reached.has(key)) reached.set(key, via);
    },
    reachedVia: (key) => reached.get(key),
  };
  // Issue 13: with tracing on, a span per decision about a subject (never the subject itself).
  const traced = decisionSpans((probeId) => ctx.policy.probes.find((p) => p.id === probeId)?.source);
  return { ...view, forSubject: (key) => traced(view.forSubject(key)) };
}

/** A stand-in with the asked id for a case that does not exist; nobody is assigned to it. */
const absentCase = (policy: LoadedPolicySet, id: string): CaseRecord => ({
  id,
  reference: "",
  theme: null,
  protocolId: policy.protocol.id,
  phase: policy.protocol.initialPhase,
  status: "open",
  outcome: null,
  owner: "",
  substitute: null,
  openedAt: new Date(0),
  closedAt: null,
  version: 0,
});

/**
 * The case (undefined if there is none) and the actor's abilities on it. A case that does not
 * exist costs the same queries and decisions as one the actor may not see, on a stand-in nobody is
 * assigned to, so the answer's timing tells nothing either (issue 10). Audits nothing.
 */
export async function caseAndAbility(
  ctx: OperationContext,
  id: string | undefined,
): Promise<
  { readonly record: CaseRecord | undefined } & Pick<
    VisibleCase,
    "ability" | "forSubject" | "restricted" | "reach" | "reachedVia"
  >
> {
  // The case, its checks, restrictions and subjects: one statement, once per request (case-view.ts).
  const view = await caseViewOf(ctx, id ?? "");
  const record = view.record;
  return { record, ...(await abilityFor(ctx, ctx.db, record ?? absentCase(ctx.policy, id ?? ""), view)) };
}

export { RATE_RULE, REACH_RULE } from "../policy/index.ts";

/** Every mode, probe and field refused for a subject one operation may no longer reach. */
function reachLimitedAbility(base: CaseAbility, max: number): CaseAbility {
  return restrictedCaseAbility(
    base,
    `this operation already disclosed about ${max} subjects, at most ${max} (LIMIT_MAX_REACHED_SUBJECTS)`,
    REACH_RULE,
  );
}

/**
 * Loads a case for the actor. A case that does not exist and a case the actor may not see give
 * the same `not_found` (Maastricht art. 8.2: only the assigned analyst and substitute have access),
 * and both are written to the audit log as a denied access attempt.
 */
export async function loadVisibleCase(
  ctx: OperationContext,
  id: string,
  operation: string,
): Promise<Result<VisibleCase, CaseError>> {
  const { record, ...abilities } = await caseAndAbility(ctx, id);
  const decision = abilities.ability.can("case.read");
  if (!record || !decision.allowed) {
    const logged = await ctx.audit.append([
      {
        ...auditBase(ctx),
        caseId: id,
        kind: "access",
        operation,
        decision: "deny",
        reason: record ? decision.reason : "no such case",
      },
    ]);
    if (!logged.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
    return err({ kind: "not_found", message: "Case not found." });
  }
  return ok({ record, ...abilities });
}

/**
 * A refused step on a case the actor may see: one denial record (Delft art. 6b: a refusal is a
 * processing fact), then FORBIDDEN; if the record cannot be written, the audit failure instead.
 * `record` is undefined for a question asked before any case is loaded (its `caseId` goes in `extra`).
 */
export async function refuseAudited(
  ctx: OperationContext,
  record: CaseRecord | undefined,
  entry: Pick<AuditEntry, "kind" | "operation" | "reason"> & Partial<Pick<AuditEntry, "caseId" | "detail">>,
): Promise<Result<never, CaseError>> {
  const logged = await ctx.audit.append([{ ...auditBase(ctx, record), decision: "deny", ...entry }]);
  if (!logged.ok) return err({ kind: "audit_failed", message: "The audit log could not be written." });
  return err({ kind: "forbidden", message: "Not permitted." });
}

/**
 * The case's privacy checks, for an actor whose role reads checks (roles.yaml `check.read`); else
 * none. From this request's case view (read once per request, afresh after a change it made).
 */
export async function visibleChecks(ctx: OperationContext, c: VisibleCase): Promise<PrivacyCheckRecord[]> {
  return c.ability.can("check.read").allowed ? [...(await caseViewOf(ctx, c.record.id)).checks] : [];
}

/** The case's phase history with its motivations, for roles granted `case.history`; else none. */
export async function visibleHistory(db: Queryable, c: VisibleCase): Promise<CaseEvent[]> {
  return c.ability.can("case.history").allowed ? caseRepository.events(db, c.record.id) : [];
}

/** Whom the case is about, and when and how its signal came in, for roles granted `case.history`. */
export async function visibleSubjects(db: Queryable, c: VisibleCase): Promise<CaseSubject[]> {
  return c.ability.can("case.history").allowed ? caseSubjectRepository.list(db, c.record.id) : [];
}

export async function visibleSignal(
  db: Queryable,
  c: VisibleCase,
): Promise<{ readonly signalDate: string | null; readonly channel: string | null } | undefined> {
  return c.ability.can("case.history").allowed ? caseSubjectRepository.signal(db, c.record.id) : undefined;
}

/** Where the closed case's signal went, for roles granted `case.history`; else none. */
export async function visibleExit(
  db: Queryable,
  c: VisibleCase,
): Promise<(CaseExit & { readonly at: Date }) | undefined> {
  return c.ability.can("case.history").allowed ? exitRepository.get(db, c.record.id) : undefined;
}

/** The phases the actor may move the case to now: none unless open and `case.transition` is granted. */
export function visibleTransitions(policy: LoadedPolicySet, c: VisibleCase): string[] {
  return c.record.status === "open" && c.ability.can("case.transition").allowed
    ? policy.protocol.transitions.filter((t) => t.from === c.record.phase).map((t) => t.to)
    : [];
}
