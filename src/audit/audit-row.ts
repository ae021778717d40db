import type { AuditRecord } from "./types.ts";

/** A row of `audit_log` as both dialects return it. */
export interface AuditRow {
  seq: number;
  id: string;
  at: Date;
  kind: AuditRecord["kind"];
  actor: string | null;
  roles: string[] | null;
  client_id: string | null;
  case_id: string | null;
  phase: string | null;
  processing_activity: string | null;
  operation: string | null;
  source: string | null;
  subject_pseudonym: string | null;
  subject_type: AuditRecord["subjectType"] | null;
  probes: string[] | null;
  fields: string[] | null;
  mode: AuditRecord["mode"] | null;
  decision: AuditRecord["decision"];
  reason: string | null;
  policy_hash: string | null;
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
  started_at: Date | null;
  status: AuditRecord["status"] | null;
  foreign_operations: AuditRecord["foreignOperations"] | null;
  detail: Record<string, unknown> | null;
  content_hash: string;
  prev_hash: string;
  hash: string;
  tombstone: boolean;
}

/** Columns written on insert, with the cast each parameter needs, in parameter order. */
const INSERT_COLUMNS = [
  ["id", "text"],
  ["at", "timestamptz"],
  ["kind", "text"],
  ["actor", "text"],
  ["roles", "text[]"],
  ["client_id", "text"],
  ["case_id", "text"],
  ["phase", "text"],
  ["processing_activity", "text"],
  ["operation", "text"],
  ["source", "text"],
  ["subject_pseudonym", "text"],
  ["subject_type", "text"],
  ["probes", "jsonb"],
  ["fields", "jsonb"],
  ["mode", "text"],
  ["decision", "text"],
  ["reason", "text"],
  ["policy_hash", "text"],
  ["trace_id", "text"],
  ["span_id", "text"],
  ["parent_span_id", "text"],
  ["started_at", "timestamptz"],
  ["status", "text"],
  ["foreign_operations", "jsonb"],
  ["detail", "jsonb"],
  ["content_hash", "text"],
  ["prev_hash", "text"],
  ["hash", "text"],
] as const;

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Parameters of one record, in {@link INSERT_COLUMNS} order. jsonb goes as JSON text. */
function insertParams(r: Omit<AuditRecord, "seq" | "tombstone">): unknown[] {
  return [
    r.id,
    r.at.toISOString(),
    r.kind,
    r.actor,
    [...r.roles],
    r.clientId ?? null,
    r.caseId ?? null,
    r.phase ?? null,
    r.processingActivity,
    r.operation,
    r.source ?? null,
    r.subjectPseudonym ?? null,
    r.subjectType ?? null,
    json(r.probes),
    json(r.fields),
    r.mode ?? null,
    r.decision,
    r.reason,
    r.policyHash,
    r.traceId,
    r.spanId ?? null,
    r.parentSpanId ?? null,
    r.startedAt?.toISOString() ?? null,
    r.status ?? null,
    json(r.foreignOperations),
    json(r.detail),
    r.contentHash,
    r.prevHash,
    r.hash,
  ];
}

/** A multi-row INSERT of `records`, returning `id` and `seq` of each. */
export function insertStatement(records: readonly Omit<AuditRecord, "seq" | "tombstone">[]): {
  sql: string;
  params: unknown[];
} {
  const params: unknown[] = [];
  const tuples = records.map((record) => {
    const placeholders = INSERT_COLUMNS.map(([, type], i) => `$${params.length + i + 1}::${type}`);
    params.push(...insertParams(record));
    return `(${placeholders.join(", ")})`;
  });
  const columns = INSERT_COLUMNS.map(([name]) => name).join(", ");
  return {
    sql: `INSERT INTO audit_log (${columns}) VALUES ${tuples.join(", ")} RETURNING id, seq`,
    params,
  };
}

/** A record before the database links it into the chain: everything but its place in it. */
export type UnlinkedRecord = Omit<AuditRecord, "seq" | "tombstone" | "prevHash" | "hash">;

/** The row the database links and inserts (migration 021): `audit_append($1)`. */
export const APPEND_SQL =
  "SELECT record_id, record_seq, record_prev_hash, record_hash FROM audit_append($1::jsonb)";

/**
 * The `audit_append` parameter: a JSON array of objects keyed by column name, in chain order,
 * with the values {@link insertStatement} binds (jsonb columns as JSON values, not JSON text).
 */
export function appendParam(records: readonly UnlinkedRecord[]): string {
  return JSON.stringify(
    records.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      kind: r.kind,
      actor: r.actor,
      roles: r.roles,
      client_id: r.clientId ?? null,
      case_id: r.caseId ?? null,
      phase: r.phase ?? null,
      processing_activity: r.processingActivity,
      operation: r.operation,
      source: r.source ?? null,
      subject_pseudonym: r.subjectPseudonym ?? null,
      subject_type: r.subjectType ?? null,
      probes: r.probes ?? null,
      fields: r.fields ?? null,
      mode: r.mode ?? null,
      decision: r.decision,
      reason: r.reason,
      policy_hash: r.policyHash,
      trace_id: r.traceId,
      span_id: r.spanId ?? null,
      parent_span_id: r.parentSpanId ?? null,
      started_at: r.startedAt?.toISOString() ?? null,
      status: r.status ?? null,
      foreign_operations: r.foreignOperations ?? null,
      detail: r.detail ?? null,
      content_hash: r.contentHash,
    })),
  );
}

/** Adds `key: value` only when the column is not NULL, so absent fields stay absent. */
const optional = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: V };

/**
 * A stored row as a record. The personal columns of a tombstone may be NULL; the record then
 * carries empty strings/lists for the required ones.
 */
export function recordFromRow(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    kind: row.kind,
    actor: row.actor ?? "",
    roles: row.roles ?? [],
    ...optional("clientId", row.client_id),
    ...optional("caseId", row.case_id),
    ...optional("phase", row.phase),
    processingActivity: row.processing_activity ?? "",
    operation: row.operation ?? "",
    ...optional("source", row.source),
    ...optional("subjectPseudonym", row.subject_pseudonym),
    ...optional("subjectType", row.subject_type),
    ...optional("probes", row.probes),
    ...optional("fields", row.fields),
    ...optional("mode", row.mode),
    decision: row.decision,
    reason: row.reason ?? "",
    policyHash: row.policy_hash ?? "",
    traceId: row.trace_id ?? "",
    ...optional("spanId", row.span_id),
    ...optional("parentSpanId", row.parent_span_id),
    ...optional("startedAt", row.started_at),
    ...optional("status", row.status),
    ...optional("foreignOperations", row.foreign_operations),
    ...optional("detail", row.detail),
    contentHash: row.content_hash,
    prevHash: row.prev_hash,
    hash: row.hash,
    tombstone: row.tombstone,
  };
}
