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
