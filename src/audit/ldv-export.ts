import { createHash } from "node:crypto";
import { statusOf } from "./ldv-span.ts";
import type { AuditRecord, LdvStatus } from "./types.ts";

/**
 * The processing log in the shape of the Logboek Dataverwerkingen standard (issue 13; reference/
 * logboek-dataverwerkingen-specificaties-index.md "Component: Logboek", and for `status_code` and
 * `foreign_operation` the 2024 chapter reference/logboek-dataverwerkingen.md): one log line per
 * record, and a record has at most one data subject ("Een logregel kan naar 0 of 1 Betrokkenen
 * verwijzen"), so a processing with several subjects already is one line per subject. Delft art.
 * 6b-c (every processing logged) and Maastricht art. 9 make it accountable to anyone who reads the
 * standard; the subject appears only as the log's keyed pseudonym, never as the BSN.
 */
export interface LdvRecord {
  readonly trace_id: string;
  readonly span_id: string;
  readonly parent_span_id?: string;
  readonly name: string;
  /** 2025 chapter: Unset, Ok, Error. */
  readonly status: LdvStatus;
  /** 2024 chapter's enumeration of the same status. */
  readonly status_code: "STATUS_CODE_UNKNOWN" | "STATUS_CODE_OK" | "STATUS_CODE_ERROR";
  /** Milliseconds since the epoch. */
  readonly start_time: number;
  readonly end_time: number;
  readonly resource: { readonly attributes: Readonly<Record<string, string>> };
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * The registry calls that continued this record's trace (2024 chapter's `foreign_operation`
   * message: trace id, operation id, entity), one per call: under these ids the registry logs its
   * part, so its log line and ours can be joined.
   */
  readonly foreign_operation?: readonly {
    readonly trace_id: string;
    readonly operation_id: string;
    readonly entity: string;
  }[];
}

/** Values of `dpl.core.data_subject_id_type`: which identifier the pseudonym was made of. */
export const DATA_SUBJECT_ID_TYPES = {
  bsn: "BSN",
  kvkNummer: "KvK-nummer",
  bagId: "BAG-id",
  adres: "adres",
} as const;

const STATUS_CODES = {
  Unset: "STATUS_CODE_UNKNOWN",
  Ok: "STATUS_CODE_OK",
  Error: "STATUS_CODE_ERROR",
} as const;

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const hexOf = (text: string, length: number) =>
  createHash("sha256").update(text, "utf8").digest("hex").slice(0, length);

/**
 * The record as an LDV log line, with `dpl.core.processing_activity_id` the register's URI of its
 * activity. Undefined for a tombstone: retention destroyed its trace, span and subject, and a line
 * without them is no log line. Ids the standard needs as hex but an older record lacks or holds in
 * another form (a span id before migration 017, a demo seed's trace name) are derived from the
 * record, stably: sha256 of the record id or the trace name.
 */
export function ldvRecordOf(record: AuditRecord, activityUri: (id: string) => string): LdvRecord | undefined {
  if (record.tombstone) return undefined;
  const traceId = HEX32.test(record.traceId) ? record.traceId : hexOf(record.traceId, 32);
  const status = record.status ?? statusOf(record.decision);
  const attributes: Record<string, string> = {
    "dpl.core.processing_activity_id": activityUri(record.processingActivity),
  };
  if (record.subjectPseudonym !== undefined) {
    attributes["dpl.core.data_subject_id"] = record.subjectPseudonym;
    if (record.subjectType)
      attributes["dpl.core.data_subject_id_type"] = DATA_SUBJECT_ID_TYPES[record.subjectType];
  }
  const end = record.at.getTime();
  return {
    trace_id: traceId,
    span_id: record.spanId && HEX16.test(record.spanId) ? record.spanId : hexOf(record.id, 16),
    ...(record.parentSpanId ? { parent_span_id: record.parentSpanId } : {}),
    name: record.operation || record.kind,
    status,
    status_code: STATUS_CODES[status],
    start_time: Math.min(record.startedAt?.getTime() ?? end, end),
    end_time: end,
    resource: { attributes: { "service.name": "poortwachter" } },
    attributes,
    ...(record.foreignOperations && record.foreignOperations.length > 0
      ? {
          foreign_operation: record.foreignOperations.map((f) => ({
            trace_id: traceId,
            operation_id: f.spanId,
            entity: f.target,
          })),
        }
      : {}),
  };
}
