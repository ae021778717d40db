import type { DisclosureMode } from "../shared/index.ts";

/** What happened, for filtering and reports. */
export type AuditKind =
  | "disclosure"
  | "denial"
  | "case"
  | "privacy_check"
  | "policy"
  | "access"
  /** A destruction by the retention job (issue 5). */
  | "retention"
  /** A data subject's rights: access reports, informing, deferrals, requests (issue 5). */
  | "rights"
  /** The privacy officer's review of a flagged refusal, with a note (issue 11; src/flagged). */
  | "review";
export type AuditDecision = "allow" | "deny" | "error";

/**
 * One processing record as the caller builds it (design.md "Audit"). Fields follow the Logboek
 * Dataverwerkingen standard where it has a name for them (trace_id, span_id,
 * processing_activity_id, data_subject_id). The raw subject identifier is given here and
 * pseudonymised by the audit log with a keyed HMAC before it is stored; it is never stored raw.
 */
export interface AuditEntry {
  readonly kind: AuditKind;
  readonly actor: string;
  readonly roles: readonly string[];
  readonly clientId?: string | undefined;
  readonly caseId?: string | undefined;
  readonly phase?: string | undefined;
  /** Purpose (verwerkingsactiviteit), e.g. `ondermijning.bronnenonderzoek`. */
  readonly processingActivity: string;
  /** What was done, e.g. `brp.hits`, `brp.fields`, `case.transition`, `check.advise`. */
  readonly operation: string;
  readonly source?: string | undefined;
  /** Raw subject id (BSN, KvK number, BAG id); stored only as HMAC pseudonym. */
  readonly subject?: string | undefined;
  readonly subjectType?: "bsn" | "kvkNummer" | "bagId" | "adres" | undefined;
  readonly probes?: readonly string[] | undefined;
  /** Field paths released (allow) or refused (deny). */
  readonly fields?: readonly string[] | undefined;
  readonly mode?: DisclosureMode | undefined;
  readonly decision: AuditDecision;
  /** Reason of the rule that decided (or the default-deny reason). */
  readonly reason: string;
  readonly policyHash: string;
  readonly traceId: string;
  /** This record's own span (LDV `span_id`); the audit log gives it a new one when absent. */
  readonly spanId?: string | undefined;
  /** LDV `parent_span_id`; absent: the span of the request this record is written in, if any. */
  readonly parentSpanId?: string | undefined;
  /** When the processing started (LDV `start_time`): the request's start; absent: the write time. */
  readonly startedAt?: Date | undefined;
  /** Non-personal extras (from/to phase, check id, outcome, probe results). Never registry values. */
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}

/** LDV `status` (Logboek Dataverwerkingen 2025: Unset, Ok, Error). */
export type LdvStatus = "Unset" | "Ok" | "Error";

/**
 * A registry call that continued this record's trace: the span id it was sent with in
 * `traceparent` and its target (URL without query), so the registry's log can be joined.
 */
export interface ForeignOperation {
  readonly spanId: string;
  readonly target: string;
}

/** A stored record: the entry with the subject pseudonymised, plus its place in the hash chain. */
export interface AuditRecord extends Omit<AuditEntry, "subject"> {
  readonly seq: number;
  readonly id: string;
  readonly at: Date;
  readonly subjectPseudonym?: string | undefined;
  /** LDV status from the decision; absent on records written before migration 017. */
  readonly status?: LdvStatus | undefined;
  readonly foreignOperations?: readonly ForeignOperation[] | undefined;
  /** sha256 over the record's canonical content. */
  readonly contentHash: string;
  /** sha256(prevHash + contentHash): the chain link. */
  readonly hash: string;
  readonly prevHash: string;
  /** Set when retention destroyed the personal fields; contentHash and hash are kept. */
  readonly tombstone: boolean;
}

export interface AuditError {
  readonly kind: "audit_write_failed";
  readonly reason: string;
}

export interface AuditFilter {
  readonly caseId?: string | undefined;
  readonly actor?: string | undefined;
  /** Raw subject id; the log pseudonymises it to search. */
  readonly subject?: string | undefined;
  /** Narrows `subject` to one register; without it every subject type is searched. */
  readonly subjectType?: AuditEntry["subjectType"];
  readonly kind?: AuditKind | undefined;
  readonly decision?: AuditDecision | undefined;
  readonly source?: string | undefined;
  readonly operation?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly limit?: number | undefined;
  /** Return records with seq greater than this (paging). */
  readonly afterSeq?: number | undefined;
}

export type ChainVerification =
  | { readonly ok: true; readonly records: number }
  | {
      readonly ok: false;
      readonly records: number;
      readonly firstBrokenSeq: number;
      readonly reason: string;
    };
