export {
  AFTER_RULE,
  checkFirst,
  DECISIONS,
  DEFAULT_FIRST,
  FILTER_RULE,
  FIRST_RULE,
  MAX_FIRST,
  parseAfter,
  parseAuditFilter,
  type AuditLogFilterArgs,
  type AuditSearch,
} from "./audit-search-input.ts";
export {
  AUDIT_SEARCH_OPERATION,
  searchAuditLog,
  type AuditLogPage,
  type AuditSearchArgs,
} from "./audit-search-service.ts";
export { AUDIT_RECORD_COLUMNS, auditRecordOut } from "./audit-record-out.ts";
