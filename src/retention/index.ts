/** Retention and destruction (Maastricht art. 10, 21; Delft art. 7): the purge job and its records. */
export {
  DEFAULT_CASE_DESTROYERS,
  destroyAuditData,
  destroyCaseData,
  DESTROYED,
  destroyedReference,
  DESTRUCTION_METHOD,
  type CaseDataDestroyer,
} from "./case-destroyers.ts";
export { destructionRecords, type DestructionRecord } from "./destruction-records.ts";
export { addDuration, parseIsoDuration, subtractDuration, type IsoDuration } from "../shared/index.ts";
export {
  AFTER_RULE as RECORDS_AFTER_RULE,
  checkFirst as checkRecordsFirst,
  checkPeriod as checkRecordsPeriod,
  FIRST_RULE as RECORDS_FIRST_RULE,
  parseAfter as parseRecordsAfter,
  parseRecordsQuery,
  PERIOD_RULE as RECORDS_PERIOD_RULE,
  yearPeriod,
  type RecordsArgs,
} from "./records-input.ts";
export {
  buildRecordsReport,
  PGLITE_COPIES_NOTICE,
  recordOut,
  recordsReportMarkdown,
  type DestructionRecordsReport,
  type RecordOut,
} from "./records-report.ts";
export {
  destructionRecordsFor,
  destructionRecordsOfYear,
  operatorNoticeFor,
  RECORDS_OPERATION,
  type DestructionRecordPage,
  type RecordsError,
} from "./records-service.ts";
export { planPurge, type DueCase, type PassedOverCase, type PurgePlan } from "./purge-plan.ts";
export {
  POSTGRES_DESTRUCTION_NOTICE,
  purge,
  RETENTION_RUN_SETTING,
  type DestroyedCase,
  type PurgeOptions,
  type PurgeReport,
} from "./purge.ts";
export {
  auditRetentionRule,
  caseRetentionRule,
  retentionEnd,
  type CaseRetentionRule,
  type RetentionRule,
} from "./retention-rules.ts";
export {
  startRetentionSchedule,
  type RetentionSchedule,
  type RetentionScheduleOptions,
  type ScheduleLogger,
  type ScheduleTimers,
} from "./retention-schedule.ts";
