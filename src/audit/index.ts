export type {
  AuditDecision,
  AuditEntry,
  AuditError,
  AuditFilter,
  AuditKind,
  AuditRecord,
  ChainVerification,
  ForeignOperation,
  LdvStatus,
} from "./types.ts";
export {
  AUDIT_CHAIN_LOCK_KEY,
  createAuditLog,
  DEFAULT_LIST_LIMIT,
  type AuditLog,
  type AuditLogOptions,
} from "./audit-log.ts";
export { createAuditBatcher, type AuditBatcher } from "./audit-batcher.ts";
export { canonicalJson, GENESIS_HASH } from "./hash-chain.ts";
export { pseudonymiseSubject, SUBJECT_TYPES, type SubjectType } from "./pseudonym.ts";
export { verifyChain } from "./verify-chain.ts";
export { activityContentHash, nextVersion, pinActivityVersions } from "./activity-versions.ts";
export { DATA_SUBJECT_ID_TYPES, ldvRecordOf, type LdvRecord } from "./ldv-export.ts";
export { statusOf, type UpstreamUrls } from "./ldv-span.ts";
export {
  countRecordsBefore,
  TOMBSTONE_ASSIGNMENTS,
  tombstoneCaseRecords,
  tombstoneRecordsBefore,
} from "./tombstone.ts";
export {
  FLAG_REVIEW_OPERATION,
  flaggedEventOf,
  listFlagged,
  type FlaggedFilter,
  type FlaggedGroup,
  type FlagReview,
} from "./flagged-records.ts";
export { createReadLedger, type ReadGroup, type ReadLedger, type ReadNote } from "./read-ledger.ts";
export {
  detectPatterns,
  PATTERN_FLAGS,
  PATTERNS,
  type OpenPattern,
  type PatternKind,
  type PatternRecord,
  type PatternSettings,
  type PatternWrite,
} from "./flag-patterns.ts";
export {
  checkTimeZone,
  localDay,
  localTime,
  OFFICE_HOURS_RULE,
  parseOfficeHours,
  withinOfficeHours,
  type OfficeHours,
  type OfficeSpan,
} from "./office-hours.ts";
export {
  destroyFlaggedPatterns,
  listPatterns,
  MAX_LINKED_RECORDS,
  patternAuditRecords,
  patternEventOf,
  scanPatterns,
  type PatternEventRow,
  type PatternFilter,
  type ScanReport,
} from "./pattern-records.ts";
export {
  createPatternDetector,
  type PatternDetector,
  type PatternDetectorOptions,
} from "./pattern-detector.ts";
