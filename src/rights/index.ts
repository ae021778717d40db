/** The data subject's rights (GDPR art. 15-23; Maastricht art. 11-12; Delft art. 10-11). */
export * from "./rights-record.ts";
export type {
  AccessCase,
  AccessCheck,
  AccessProcessing,
  SubjectAccessReport,
} from "./access-report-types.ts";
export { subjectAccessReportFor, accessReportWithholdings } from "./access-service.ts";
export { accessReportMarkdown } from "./access-markdown.ts";
export {
  recordSubjectInformed,
  deferSubjectInforming,
  type DeferralInput,
  type InformedInput,
} from "./informing-service.ts";
export {
  recordSubjectRequest,
  decideSubjectRequest,
  liftRestriction,
  type SubjectRequestInput,
} from "./request-service.ts";
export {
  buildInformingWorklist,
  informingWorklistFor,
  type InformingWorklist,
  type WorklistItem,
} from "./worklist.ts";
export { caseSubjectRights, type CaseSubjectRights } from "./case-rights.ts";
export { destroySubjectRights } from "./destroy.ts";
export { retentionEnd } from "./retention-end.ts";
export { restrictionsInForce, type RestrictionInForce } from "./restrictions.ts";
