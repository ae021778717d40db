import type { AuditEntry, AuditLog, PatternDetector } from "../audit/index.ts";
import type { LoadedPolicySet } from "../policy/index.ts";
import type { Actor, Clock } from "../shared/index.ts";
import type { SubjectRate } from "../cases/subject-rate.ts";
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
}

/** Fields every audit record of this operation shares. */
export function auditBase(
  ctx: OperationContext,
  c?: { readonly id: string; readonly phase: string } | undefined,
): Pick<
  AuditEntry,
  "actor" | "roles" | "clientId" | "traceId" | "policyHash" | "caseId" | "phase" | "processingActivity"
> {
  return {
    actor: ctx.actor.subject,
    roles: ctx.actor.roles,
    clientId: ctx.actor.clientId,
    traceId: ctx.traceId,
    policyHash: ctx.policy.hash,
    caseId: c?.id,
    phase: c?.phase,
    processingActivity: c ? `ondermijning.${c.phase}` : "ondermijning",
  };
}
