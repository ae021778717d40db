export * from "./case-record.ts";
export { caseRepository, type CaseView } from "./case-repository.ts";
export { caseViewOf, casesOf } from "./case-view.ts";
export {
  loadVisibleCase,
  checkPhases,
  visibleChecks,
  visibleHistory,
  visibleExit,
  visibleTransitions,
  type VisibleCase,
} from "./case-access.ts";
export {
  openCase,
  registerSignal,
  transitionCase,
  closeCase,
  listCases,
  abilityFor,
  type OpenCaseInput,
} from "./case-service.ts";
export { assignCase, type AssignCaseInput } from "./assignment.ts";
export {
  requestPrivacyCheck,
  advisePrivacyCheck,
  pendingChecks,
  expandFields,
  type PrivacyCheckRequest,
} from "./privacy-check-service.ts";
export { explainForCase, type CaseExplanation } from "./explain-case.ts";
export { fourEyesRefusal, type Weighing, type WeighedMatter } from "./four-eyes.ts";
export {
  decidePrivacyCheck,
  escalatePrivacyCheck,
  giveSecondOpinion,
  requestSecondOpinion,
  revokePrivacyCheck,
} from "./check-lifecycle.ts";
export { exitRepository, validateExit, type CaseExit, type CaseExitInput } from "./case-exit.ts";
export {
  acknowledgeSignalReceipt,
  visibleReporter,
  type ReporterInput,
  type ReporterRecord,
} from "./reporter.ts";
export {
  caseSubjectRepository,
  MAX_SIGNAL_PERSONS,
  MAX_SIGNAL_SUBJECTS,
  SIGNAL_CHANNELS,
  type CaseSubject,
  type PersonDescriptionInput,
  type PersonResolutionResult,
  type PersonResolver,
} from "./case-subjects.ts";
export { addCaseSubject } from "./subject-service.ts";
export { visibleSignal, visibleSubjects } from "./case-access.ts";
export {
  recordWeighing,
  visibleWeighing,
  answersInForce,
  missingSteps,
  weighingRepository,
  type WeighingAnswerInput,
  type WeighingAnswerRecord,
} from "./weighing.ts";
export { replayCases, replayPeriod } from "./replay-history.ts";
export {
  policyDiffFor,
  policyReplayFor,
  POLICY_DIFF_OPERATION,
  POLICY_REPLAY_OPERATION,
} from "./policy-explain-service.ts";
