import type { AuditEntry, AuditLog, PatternDetector } from "../audit/index.ts";
import type { ActivityWork, LoadedPolicySet, PolicyRefSources } from "../policy/index.ts";
import type { Actor, Clock } from "../shared/index.ts";
import type { SubjectRate } from "../cases/subject-rate.ts";
import type { CaseView } from "../cases/case-repository.ts";
import type { Db } from "../store/index.ts";

/**
 * What every use case gets: who asks, under which policy version, and the dependencies. Built
 * once per GraphQL request (or per CLI/demo action); the policy is a snapshot, so one request is
 * decided by one policy version from start to end.
 */
export interface OperationContext {
  readonly actor: Actor;
  readonly traceId: string;
  readonly policy: LoadedPolicySet;
  readonly db: Db;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly newId: () => string;
  /** When the request started: LDV `start_time` of its audit records. Absent: their write time. */
  readonly startedAt?: Date | undefined;
  /**
   * The subjects this operation has disclosed or tried to disclose anything about, and how many it
   * may (LIMIT_MAX_REACHED_SUBJECTS): hops reach subjects nobody named, so the count goes on while
   * the operation runs. Absent outside a GraphQL request (CLI, demo seeding): no limit.
   */
  readonly reach?: { readonly subjects: Set<string>; readonly max: number } | undefined;
  /** Distinct subjects per actor per case within a window, across requests (SUBJECT_RATE_MAX). */
  readonly subjectRate?: SubjectRate | undefined;
  /** Looks for flagged patterns in the audit log before the queue is read (src/audit/pattern-detector.ts). */
  readonly flagPatterns?: PatternDetector | undefined;
  /**
   * The case views this operation read, by case id (src/cases/case-view.ts; issue 15): one read
   * per case per request, forgotten when the operation changes something. Absent: no memo.
   */
  readonly caseViews?: Map<string, Promise<CaseView>> | undefined;
  /** The working files and stored versions `policyDiff` and `policyReplay` may name (issue 14). */
  readonly policySources?: PolicyRefSources | undefined;
}

/**
 * Fields every audit record of this operation shares. The processing activity comes from the
 * register (`processing-activities.yaml`, issue 13): `work` when the record is rights, retention or
 * accountability work, else the activity of the case's phase, else the gateway's own activity.
 */
export function auditBase(
  ctx: OperationContext,
  c?: { readonly id: string; readonly phase: string } | undefined,
  work?: ActivityWork,
): Pick<
  AuditEntry,
  | "actor"
  | "roles"
  | "clientId"
  | "traceId"
  | "policyHash"
  | "caseId"
  | "phase"
  | "processingActivity"
  | "startedAt"
> {
  return {
    actor: ctx.actor.subject,
    roles: ctx.actor.roles,
    clientId: ctx.actor.clientId,
    traceId: ctx.traceId,
    policyHash: ctx.policy.hash,
    caseId: c?.id,
    phase: c?.phase,
    startedAt: ctx.startedAt,
    processingActivity: work
      ? ctx.policy.processingActivities.forWork(work)
      : c
        ? ctx.policy.processingActivities.forPhase(c.phase)
        : ctx.policy.processingActivities.forWork("gateway"),
  };
}
