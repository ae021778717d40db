import type { AuditRecord } from "../audit/index.ts";

/** The fields of a record as schema/audit-log.graphql and the CLI's CSV give them, in order. */
export const AUDIT_RECORD_COLUMNS = [
  "id",
  "seq",
  "at",
  "kind",
  "actor",
  "roles",
  "clientId",
  "caseId",
  "phase",
  "processingActivity",
  "operation",
  "source",
  "subjectPseudonym",
  "subjectType",
  "fields",
  "probes",
  "mode",
  "decision",
  "reason",
  "policyHash",
  "traceId",
  "detail",
  "tombstone",
] as const;

/** A record as the GraphQL query gives it (schema/audit-log.graphql): the same fields, plain JSON. */
export function auditRecordOut(r: AuditRecord): Record<(typeof AUDIT_RECORD_COLUMNS)[number], unknown> {
  return {
    id: r.id,
    seq: r.seq,
    at: r.at.toISOString(),
    kind: r.kind,
    actor: r.actor,
    roles: r.roles,
    clientId: r.clientId ?? null,
    caseId: r.caseId ?? null,
    phase: r.phase ?? null,
    processingActivity: r.processingActivity,
    operation: r.operation,
    source: r.source ?? null,
    subjectPseudonym: r.subjectPseudonym ?? null,
    subjectType: r.subjectType ?? null,
    fields: r.fields ?? [],
    probes: r.probes ?? [],
    mode: r.mode ?? null,
    decision: r.decision,
    reason: r.reason,
    policyHash: r.policyHash,
    traceId: r.traceId,
    detail: r.detail === undefined ? null : JSON.stringify(r.detail),
    tombstone: r.tombstone,
  };
}
