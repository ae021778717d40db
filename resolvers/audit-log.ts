import type { AuditRecord } from "../src/audit/index.ts";
import { searchAuditLog, type AuditSearchArgs } from "../src/audit-search/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** One stored record as schema/audit-log.graphql gives it. */
export const auditRecordOut = (r: AuditRecord) => ({
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
});

/** The privacy officer's and FG's search of the processing log (src/audit-search). */
export const AuditLogQuery = {
  auditLog: async (_: unknown, args: AuditSearchArgs, ctx: GatewayContext) => {
    const page = unwrapCase(await searchAuditLog(ctx, args));
    return { ...page, records: page.records.map(auditRecordOut) };
  },
};
