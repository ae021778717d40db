/** Policy module: loading and validating the policy files, the CASL ability, explain. */
export * from "./types.ts";
export {
  ACTIVITIES_FILE,
  loadPolicySet,
  rulesFileFor,
  canonicalJson,
  folderSource,
  memorySource,
  recordingSource,
  type LoadOptions,
  type PolicyFileSource,
} from "./load-policies.ts";
export type { LoadedPolicySet } from "./policy-set.ts";
export type { Catalogue, CatalogueEntry } from "./catalogue.ts";
export type { CompiledRule } from "./disclosure.ts";
export type { DisclosureRule, RoleDef, CaseScope, ThemeFile } from "./schemas.ts";
export {
  screenText,
  specialCategoryMessage,
  hitsDetail,
  type SpecialCategoryHit,
  type SpecialCategoryList,
} from "./special-categories.ts";
export { SPECIAL_CATEGORIES, type SpecialCategory } from "./schemas.ts";
export { themeCovering, themeDatasetRef, type ThemeCheckRequest, type ThemeDataset } from "./themes.ts";
export {
  buildActorAbility,
  buildCaseAbility,
  restrictedCaseAbility,
  ruleMaximum,
  sharedScopeRoles,
} from "./ability.ts";
export { MUTATING_ACTIONS, CLOSED_CASE_RULE } from "./compile-rules.ts";
export {
  BINDING_RULE,
  FLAGGED_RULES,
  NOT_A_CASE_SUBJECT,
  RATE_RULE,
  REACH_RULE,
  VERIFY_CHANGES_RULE,
  bindingOf,
  flagOf,
  unboundAbility,
  type CaseSubjects,
} from "./binding.ts";
export { explain, type ExplainQuestion, type Explanation } from "./explain.ts";
export { policyJsonSchemas, writePolicyJsonSchemas, staleJsonSchemas } from "./json-schema.ts";
export {
  CLIENT_CASES_RULE,
  PERSON_ONLY_ROLES,
  clientCaseDecision,
  clientOf,
  type ClientDef,
} from "./clients.ts";
export {
  TRUSTED_DOCUMENTS_MODES,
  TRUSTED_DOCUMENTS_RULE,
  documentDecision,
  sha256Hex,
  type DocumentAsk,
  type TrustedDocument,
  type TrustedDocumentSettings,
  type TrustedDocumentsMode,
} from "./trusted-documents.ts";
export {
  ACTIVITY_WORK,
  rvvaVersion,
  type ActivityWork,
  type ProcessingActivities,
  type ProcessingActivityDef,
} from "./processing-activities.ts";
export {
  diffPolicies,
  diffText,
  cellSentence,
  DIFF_AREAS,
  type CellChange,
  type DiffArea,
  type PolicyChange,
  type PolicyDiff,
} from "./diff.ts";
export {
  approvalsAt,
  replayDecisions,
  replayText,
  type FlipGroup,
  type NotReplayable,
  type PolicyReplay,
  type ReplayCase,
  type ReplayCheck,
  type ReplayInput,
  type ReplayRecord,
} from "./replay.ts";
export {
  createPolicyResolver,
  parsePolicyRef,
  refText,
  type PolicyRef,
  type PolicyRefError,
  type PolicyRefSources,
  type PolicyResolver,
  type PolicyResolverOptions,
  type StoredVersionLoader,
} from "./policy-ref.ts";
export { parseReplayPeriod } from "./replay-period.ts";
export {
  REGISTER_KEYS,
  registerSubject,
  type RegisterCondition,
  type RegisterDef,
  type RegisterKey,
} from "./registers.ts";
export { REGISTERS_FOLDER } from "./register-files.ts";
