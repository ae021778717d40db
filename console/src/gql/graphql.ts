/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Advice =
  | 'GO'
  | 'NO_GO'
  | 'PARTIAL';

export type AuditLogFilter = {
  /** The staff or client id that acted. */
  actor?: string | null | undefined;
  caseId?: string | number | null | undefined;
  /** allow, deny or error. */
  decision?: string | null | undefined;
  /** From this moment (a date counts from 00:00 UTC), inclusive. */
  from?: string | null | undefined;
  /** e.g. brp.fields, brp.hits, case.transition. */
  operation?: string | null | undefined;
  /** e.g. brp, hr, bag. */
  source?: string | null | undefined;
  subject?: AuditSubjectInput | null | undefined;
  /** Up to this moment, exclusive; a date includes that whole day. */
  to?: string | null | undefined;
};

/** A subject as the searcher knows it; pseudonymised with the log's key and matched, never stored. */
export type AuditSubjectInput = {
  /** A BSN (11-check), KvK number (8 digits), BAG id (16 digits) or address (6211AB-12A-2). */
  id: string;
  type: AuditSubjectType;
};

/** The register a searched subject is in. */
export type AuditSubjectType =
  | 'adres'
  | 'bagId'
  | 'bsn'
  | 'kvkNummer';

export type CaseStatus =
  | 'CLOSED'
  | 'OPEN';

/** The grounds of GDPR art. 23(1)(a)-(j) (Maastricht art. 12.5). */
export type DeferralGround =
  /** (j) enforcement of civil law claims */
  | 'CIVIL_CLAIMS'
  /** (d) prevention, investigation, detection or prosecution of criminal offences (Delft art. 10d) */
  | 'CRIMINAL_OFFENCES'
  /** (b) defence */
  | 'DEFENCE'
  /** (f) protection of judicial independence and judicial proceedings */
  | 'JUDICIAL_INDEPENDENCE'
  /** (a) national security */
  | 'NATIONAL_SECURITY'
  /** (g) breaches of ethics for regulated professions */
  | 'PROFESSIONAL_ETHICS'
  /** (i) protection of the data subject or the rights and freedoms of others */
  | 'PROTECTION_OF_PERSONS'
  /** (e) other important objectives of general public interest */
  | 'PUBLIC_INTEREST'
  /** (c) public security */
  | 'PUBLIC_SECURITY'
  /** (h) monitoring, inspection or regulatory functions */
  | 'SUPERVISION';

/** How the person was informed (Maastricht art. 12.1, 12.4; Delft art. 10b-c). */
export type InformingMethod =
  | 'EMAIL'
  | 'IN_PERSON'
  | 'LETTER'
  | 'OTHER'
  | 'PHONE';

export type PolicyFlipDirection =
  | 'ALLOW_TO_DENY'
  | 'DENY_TO_ALLOW';

export type PrivacyCheckKind =
  /** Before source research: which sources/probes may be consulted (Maastricht art. 18). */
  | 'CHECK_1'
  /** Before the case meeting: what may be shared to draw up the plan (Maastricht art. 20). */
  | 'CHECK_2A'
  /** Before execution: which additional data may be processed and shared (Maastricht art. 20). */
  | 'CHECK_2B';

export type PrivacyCheckStatus =
  | 'APPROVED'
  /** The analyst disagreed with the advice; waiting for the coordinator (unlocks nothing meanwhile). */
  | 'ESCALATED'
  /** The case moved back to a phase outside the check's range: it unlocks nothing from then on. */
  | 'LAPSED'
  | 'PARTIALLY_APPROVED'
  | 'REJECTED'
  | 'REQUESTED'
  /** An approval withdrawn: it unlocks nothing from then on. */
  | 'REVOKED';

export type SubjectRequestDecision =
  | 'GRANTED'
  | 'PARTIALLY_GRANTED'
  | 'REFUSED';

export type SubjectRequestKind =
  /** GDPR art. 17 */
  | 'ERASURE'
  /** GDPR art. 21 */
  | 'OBJECTION'
  /** GDPR art. 16 */
  | 'RECTIFICATION'
  /** GDPR art. 18: stops every disclosure about the person in the case while in force */
  | 'RESTRICTION';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { subject: string, roles: Array<string> } };

export type MyCasesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCasesQuery = { cases: Array<{ id: string, reference: string, theme: string | null, phase: string, status: CaseStatus, openedAt: string, subjects: Array<{ key: string }>, privacyChecks: Array<{ id: string, kind: PrivacyCheckKind, source: string, status: PrivacyCheckStatus, requestedFields: Array<string>, requestedProbes: Array<string>, approvedFields: Array<string>, approvedProbes: Array<string> }> }> };

export type EscalateMutationVariables = Exact<{
  id: string | number;
  motivation: string;
}>;


export type EscalateMutation = { escalatePrivacyCheck: { id: string, status: PrivacyCheckStatus } };

export type QueueQueryVariables = Exact<{ [key: string]: never; }>;


export type QueueQuery = { pendingPrivacyChecks: Array<{ id: string, caseId: string, kind: PrivacyCheckKind, source: string, requestedFields: Array<string>, requestedProbes: Array<string>, subjects: Array<string>, motivation: string, themeDataset: string | null, status: PrivacyCheckStatus, requestedBy: string, requestedAt: string, history: Array<{ kind: string, actor: string, at: string, advice: Advice | null, fields: Array<string>, probes: Array<string>, motivation: string, deviation: boolean }> }>, cases: Array<{ id: string, reference: string, theme: string | null, phase: string }> };

export type AdviseMutationVariables = Exact<{
  id: string | number;
  advice: Advice;
  motivation: string;
  approvedFields?: Array<string> | string | null | undefined;
  approvedProbes?: Array<string> | string | null | undefined;
}>;


export type AdviseMutation = { advisePrivacyCheck: { id: string, status: PrivacyCheckStatus } };

export type DecideMutationVariables = Exact<{
  id: string | number;
  decision: Advice;
  motivation: string;
  approvedFields?: Array<string> | string | null | undefined;
  approvedProbes?: Array<string> | string | null | undefined;
}>;


export type DecideMutation = { decidePrivacyCheck: { id: string, status: PrivacyCheckStatus } };

export type OpinionMutationVariables = Exact<{
  id: string | number;
  opinion: Advice;
  motivation: string;
}>;


export type OpinionMutation = { giveSecondOpinion: { id: string, status: PrivacyCheckStatus } };

export type FgReportQueryVariables = Exact<{
  year: number;
}>;


export type FgReportQuery = { fgReport: { year: number, from: string, to: string, generatedAt: string, protocolId: string, policyHashes: Array<string>, checks: { total: { requested: number, go: number, noGo: number, partial: number, themeApproved: number, pending: number }, byKind: Array<{ kind: PrivacyCheckKind | null, requested: number, go: number, noGo: number, partial: number, themeApproved: number, pending: number }> }, steps: { decisions: number, deviations: number, escalations: number, revocations: number, lapsed: number, secondOpinionsRequested: number, secondOpinionsGiven: number }, cases: { opened: number, closed: number, openAtYearEnd: number, enteredPhase: Array<{ phase: string, cases: number }>, closedByOutcome: Array<{ outcome: string, cases: number }> }, deniedAccess: { total: number, byOperation: Array<{ operation: string, denied: number }> } } };

export type DpiaQueryVariables = Exact<{
  year: number;
  seed: string;
}>;


export type DpiaQuery = { dpiaSample: { year: number, seed: string, fraction: number, population: number, size: number, deviations: number, method: string, entries: Array<{ checkId: string, caseReference: string, kind: PrivacyCheckKind, source: string, status: PrivacyCheckStatus, requestedAt: string, subjectCount: number, drawnFor: Array<string> }> } };

export type AccessReportQueryVariables = Exact<{
  bsn: string;
}>;


export type AccessReportQuery = { subjectAccessReport: { id: string, generatedAt: string, cases: Array<{ caseId: string, reference: string, status: CaseStatus, phase: string, retentionEnd: string, sources: Array<string>, recipients: Array<string>, privacyChecks: Array<{ kind: PrivacyCheckKind, source: string, status: PrivacyCheckStatus }>, requests: Array<{ kind: SubjectRequestKind, receivedAt: string, decision: SubjectRequestDecision | null }> }> } };

export type WorklistQueryVariables = Exact<{ [key: string]: never; }>;


export type WorklistQuery = { informingWorklist: { generatedAt: string, toInform: Array<{ reference: string, bsn: string, phase: string, due: string, retentionEnd: string }>, reviewsDue: Array<{ reference: string, bsn: string, due: string, deferral: { ground: DeferralGround, reviewAt: string } | null }>, retentionEnding: Array<{ reference: string, bsn: string, due: string, retentionEnd: string }> } };

export type CasesListQueryVariables = Exact<{ [key: string]: never; }>;


export type CasesListQuery = { cases: Array<{ id: string, reference: string, phase: string, status: CaseStatus, owner: string, substitute: string | null, theme: string | null, openedAt: string }> };

export type RightsQueryVariables = Exact<{
  caseId: string | number;
}>;


export type RightsQuery = { subjectRights: { informing: Array<{ bsn: string | null, informedAt: string, method: InformingMethod }>, deferrals: Array<{ bsn: string | null, ground: DeferralGround, reviewAt: string, endedAt: string | null }>, requests: Array<{ id: string, bsn: string | null, kind: SubjectRequestKind, receivedAt: string, decision: SubjectRequestDecision | null, inForce: boolean }> } };

export type AssignMutationVariables = Exact<{
  id: string | number;
  owner: string;
  substitute?: string | null | undefined;
  motivation: string;
}>;


export type AssignMutation = { assignCase: { id: string, owner: string, substitute: string | null } };

export type RevocableQueryVariables = Exact<{ [key: string]: never; }>;


export type RevocableQuery = { cases: Array<{ id: string, reference: string, privacyChecks: Array<{ id: string, kind: PrivacyCheckKind, source: string, status: PrivacyCheckStatus, approvedFields: Array<string>, approvedProbes: Array<string> }> }> };

export type AskSecondOpinionMutationVariables = Exact<{
  id: string | number;
  motivation: string;
}>;


export type AskSecondOpinionMutation = { requestSecondOpinion: { id: string, status: PrivacyCheckStatus } };

export type RevokeMutationVariables = Exact<{
  id: string | number;
  motivation: string;
}>;


export type RevokeMutation = { revokePrivacyCheck: { id: string, status: PrivacyCheckStatus } };

export type FlaggedQueryVariables = Exact<{ [key: string]: never; }>;


export type FlaggedQuery = { flaggedEvents: Array<{ id: string, at: string, attempts: number, flag: string, rule: string, reason: string, caseReference: string | null, phase: string | null, actor: string, operation: string, source: string | null, reviewed: boolean }> };

export type ReviewMutationVariables = Exact<{
  id: string | number;
  note: string;
}>;


export type ReviewMutation = { reviewFlaggedEvent: { id: string, reviewed: boolean } };

export type ProtocolQueryVariables = Exact<{ [key: string]: never; }>;


export type ProtocolQuery = { protocol: { id: string, name: string, policyHash: string, phases: Array<{ id: string, name: string, purpose: string }> }, cases: Array<{ id: string, reference: string, phase: string }> };

export type ExplainQueryVariables = Exact<{
  caseId: string | number;
  role: string;
  source: string;
  field?: string | null | undefined;
  probe?: string | null | undefined;
}>;


export type ExplainQuery = { explain: { policyHash: string, phase: string, mode: string, permittedFields: Array<string>, decisions: Array<{ about: string, allowed: boolean, ruleId: string | null, reason: string }> } };

export type AuditSearchQueryVariables = Exact<{
  filter: AuditLogFilter;
}>;


export type AuditSearchQuery = { auditLog: { hasNextPage: boolean, records: Array<{ id: string, seq: number, at: string, actor: string, roles: Array<string>, caseId: string | null, phase: string | null, operation: string, source: string | null, fields: Array<string>, probes: Array<string>, decision: string, reason: string }> } };

export type ConsolePolicyVersionsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePolicyVersionsQuery = { policyVersions: Array<{ version: number, hash: string, author: string, publishedAt: string, motivation: string, adoptedOn: string, nextEvaluation: string, inForce: boolean }>, policyEvaluationsDue: Array<{ version: number, dueOn: string, overdue: boolean, lastEvaluatedOn: string | null, basis: string }> };

export type ConsoleEvaluationsDueQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleEvaluationsDueQuery = { policyEvaluationsDue: Array<{ version: number, dueOn: string, overdue: boolean, basis: string }> };

export type ConsoleRecordEvaluationMutationVariables = Exact<{
  motivation: string;
  nextEvaluation?: string | null | undefined;
}>;


export type ConsoleRecordEvaluationMutation = { recordPolicyEvaluation: { id: string, evaluatedOn: string, nextEvaluation: string } };

export type ConsolePolicyDiffQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type ConsolePolicyDiffQuery = { policyDiff: { from: { ref: string, hash: string }, to: { ref: string, hash: string }, changes: Array<{ area: string, change: string, id: string, sentence: string }>, cells: Array<{ role: string, phase: string, source: string, kind: string, item: string, before: string, after: string, ruleBefore: string | null, ruleAfter: string | null }> } };

export type ConsolePolicyReplayQueryVariables = Exact<{
  candidate: string;
  from: string;
  to: string;
}>;


export type ConsolePolicyReplayQuery = { policyReplay: { records: number, replayed: number, allowToDeny: number, denyToAllow: number, unchanged: number, candidate: { ref: string, hash: string }, flips: Array<{ direction: PolicyFlipDirection, rule: string | null, source: string, kind: string, item: string, phase: string, roles: Array<string>, count: number, examples: Array<{ seq: number }> }>, notReplayable: Array<{ reason: string, count: number }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    subject
    roles
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const MyCasesDocument = new TypedDocumentString(`
    query MyCases {
  cases {
    id
    reference
    theme
    phase
    status
    openedAt
    subjects {
      key
    }
    privacyChecks {
      id
      kind
      source
      status
      requestedFields
      requestedProbes
      approvedFields
      approvedProbes
    }
  }
}
    `) as unknown as TypedDocumentString<MyCasesQuery, MyCasesQueryVariables>;
export const EscalateDocument = new TypedDocumentString(`
    mutation Escalate($id: ID!, $motivation: String!) {
  escalatePrivacyCheck(id: $id, motivation: $motivation) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<EscalateMutation, EscalateMutationVariables>;
export const QueueDocument = new TypedDocumentString(`
    query Queue {
  pendingPrivacyChecks {
    id
    caseId
    kind
    source
    requestedFields
    requestedProbes
    subjects
    motivation
    themeDataset
    status
    requestedBy
    requestedAt
    history {
      kind
      actor
      at
      advice
      fields
      probes
      motivation
      deviation
    }
  }
  cases(status: OPEN) {
    id
    reference
    theme
    phase
  }
}
    `) as unknown as TypedDocumentString<QueueQuery, QueueQueryVariables>;
export const AdviseDocument = new TypedDocumentString(`
    mutation Advise($id: ID!, $advice: Advice!, $motivation: String!, $approvedFields: [String!], $approvedProbes: [String!]) {
  advisePrivacyCheck(
    id: $id
    advice: $advice
    motivation: $motivation
    approvedFields: $approvedFields
    approvedProbes: $approvedProbes
  ) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AdviseMutation, AdviseMutationVariables>;
export const DecideDocument = new TypedDocumentString(`
    mutation Decide($id: ID!, $decision: Advice!, $motivation: String!, $approvedFields: [String!], $approvedProbes: [String!]) {
  decidePrivacyCheck(
    id: $id
    decision: $decision
    motivation: $motivation
    approvedFields: $approvedFields
    approvedProbes: $approvedProbes
  ) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<DecideMutation, DecideMutationVariables>;
export const OpinionDocument = new TypedDocumentString(`
    mutation Opinion($id: ID!, $opinion: Advice!, $motivation: String!) {
  giveSecondOpinion(id: $id, opinion: $opinion, motivation: $motivation) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<OpinionMutation, OpinionMutationVariables>;
export const FgReportDocument = new TypedDocumentString(`
    query FgReport($year: Int!) {
  fgReport(year: $year) {
    year
    from
    to
    generatedAt
    protocolId
    policyHashes
    checks {
      total {
        requested
        go
        noGo
        partial
        themeApproved
        pending
      }
      byKind {
        kind
        requested
        go
        noGo
        partial
        themeApproved
        pending
      }
    }
    steps {
      decisions
      deviations
      escalations
      revocations
      lapsed
      secondOpinionsRequested
      secondOpinionsGiven
    }
    cases {
      opened
      closed
      openAtYearEnd
      enteredPhase {
        phase
        cases
      }
      closedByOutcome {
        outcome
        cases
      }
    }
    deniedAccess {
      total
      byOperation {
        operation
        denied
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FgReportQuery, FgReportQueryVariables>;
export const DpiaDocument = new TypedDocumentString(`
    query Dpia($year: Int!, $seed: String!) {
  dpiaSample(year: $year, seed: $seed) {
    year
    seed
    fraction
    population
    size
    deviations
    method
    entries {
      checkId
      caseReference
      kind
      source
      status
      requestedAt
      subjectCount
      drawnFor
    }
  }
}
    `) as unknown as TypedDocumentString<DpiaQuery, DpiaQueryVariables>;
export const AccessReportDocument = new TypedDocumentString(`
    query AccessReport($bsn: String!) {
  subjectAccessReport(bsn: $bsn) {
    id
    generatedAt
    cases {
      caseId
      reference
      status
      phase
      retentionEnd
      sources
      recipients
      privacyChecks {
        kind
        source
        status
      }
      requests {
        kind
        receivedAt
        decision
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AccessReportQuery, AccessReportQueryVariables>;
export const WorklistDocument = new TypedDocumentString(`
    query Worklist {
  informingWorklist {
    generatedAt
    toInform {
      reference
      bsn
      phase
      due
      retentionEnd
    }
    reviewsDue {
      reference
      bsn
      due
      deferral {
        ground
        reviewAt
      }
    }
    retentionEnding {
      reference
      bsn
      due
      retentionEnd
    }
  }
}
    `) as unknown as TypedDocumentString<WorklistQuery, WorklistQueryVariables>;
export const CasesListDocument = new TypedDocumentString(`
    query CasesList {
  cases {
    id
    reference
    phase
    status
    owner
    substitute
    theme
    openedAt
  }
}
    `) as unknown as TypedDocumentString<CasesListQuery, CasesListQueryVariables>;
export const RightsDocument = new TypedDocumentString(`
    query Rights($caseId: ID!) {
  subjectRights(caseId: $caseId) {
    informing {
      bsn
      informedAt
      method
    }
    deferrals {
      bsn
      ground
      reviewAt
      endedAt
    }
    requests {
      id
      bsn
      kind
      receivedAt
      decision
      inForce
    }
  }
}
    `) as unknown as TypedDocumentString<RightsQuery, RightsQueryVariables>;
export const AssignDocument = new TypedDocumentString(`
    mutation Assign($id: ID!, $owner: String!, $substitute: String, $motivation: String!) {
  assignCase(
    id: $id
    owner: $owner
    substitute: $substitute
    motivation: $motivation
  ) {
    id
    owner
    substitute
  }
}
    `) as unknown as TypedDocumentString<AssignMutation, AssignMutationVariables>;
export const RevocableDocument = new TypedDocumentString(`
    query Revocable {
  cases(status: OPEN) {
    id
    reference
    privacyChecks {
      id
      kind
      source
      status
      approvedFields
      approvedProbes
    }
  }
}
    `) as unknown as TypedDocumentString<RevocableQuery, RevocableQueryVariables>;
export const AskSecondOpinionDocument = new TypedDocumentString(`
    mutation AskSecondOpinion($id: ID!, $motivation: String!) {
  requestSecondOpinion(id: $id, motivation: $motivation) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AskSecondOpinionMutation, AskSecondOpinionMutationVariables>;
export const RevokeDocument = new TypedDocumentString(`
    mutation Revoke($id: ID!, $motivation: String!) {
  revokePrivacyCheck(id: $id, motivation: $motivation) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RevokeMutation, RevokeMutationVariables>;
export const FlaggedDocument = new TypedDocumentString(`
    query Flagged {
  flaggedEvents(first: 50) {
    id
    at
    attempts
    flag
    rule
    reason
    caseReference
    phase
    actor
    operation
    source
    reviewed
  }
}
    `) as unknown as TypedDocumentString<FlaggedQuery, FlaggedQueryVariables>;
export const ReviewDocument = new TypedDocumentString(`
    mutation Review($id: ID!, $note: String!) {
  reviewFlaggedEvent(id: $id, note: $note) {
    id
    reviewed
  }
}
    `) as unknown as TypedDocumentString<ReviewMutation, ReviewMutationVariables>;
export const ProtocolDocument = new TypedDocumentString(`
    query Protocol {
  protocol {
    id
    name
    policyHash
    phases {
      id
      name
      purpose
    }
  }
  cases(status: OPEN) {
    id
    reference
    phase
  }
}
    `) as unknown as TypedDocumentString<ProtocolQuery, ProtocolQueryVariables>;
export const ExplainDocument = new TypedDocumentString(`
    query Explain($caseId: ID!, $role: String!, $source: String!, $field: String, $probe: String) {
  explain(
    caseId: $caseId
    role: $role
    source: $source
    field: $field
    probe: $probe
  ) {
    policyHash
    phase
    mode
    permittedFields
    decisions {
      about
      allowed
      ruleId
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<ExplainQuery, ExplainQueryVariables>;
export const AuditSearchDocument = new TypedDocumentString(`
    query AuditSearch($filter: AuditLogFilter!) {
  auditLog(filter: $filter, first: 50) {
    hasNextPage
    records {
      id
      seq
      at
      actor
      roles
      caseId
      phase
      operation
      source
      fields
      probes
      decision
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<AuditSearchQuery, AuditSearchQueryVariables>;
export const ConsolePolicyVersionsDocument = new TypedDocumentString(`
    query ConsolePolicyVersions {
  policyVersions {
    version
    hash
    author
    publishedAt
    motivation
    adoptedOn
    nextEvaluation
    inForce
  }
  policyEvaluationsDue {
    version
    dueOn
    overdue
    lastEvaluatedOn
    basis
  }
}
    `) as unknown as TypedDocumentString<ConsolePolicyVersionsQuery, ConsolePolicyVersionsQueryVariables>;
export const ConsoleEvaluationsDueDocument = new TypedDocumentString(`
    query ConsoleEvaluationsDue {
  policyEvaluationsDue {
    version
    dueOn
    overdue
    basis
  }
}
    `) as unknown as TypedDocumentString<ConsoleEvaluationsDueQuery, ConsoleEvaluationsDueQueryVariables>;
export const ConsoleRecordEvaluationDocument = new TypedDocumentString(`
    mutation ConsoleRecordEvaluation($motivation: String!, $nextEvaluation: String) {
  recordPolicyEvaluation(motivation: $motivation, nextEvaluation: $nextEvaluation) {
    id
    evaluatedOn
    nextEvaluation
  }
}
    `) as unknown as TypedDocumentString<ConsoleRecordEvaluationMutation, ConsoleRecordEvaluationMutationVariables>;
export const ConsolePolicyDiffDocument = new TypedDocumentString(`
    query ConsolePolicyDiff($from: String!, $to: String!) {
  policyDiff(from: $from, to: $to) {
    from {
      ref
      hash
    }
    to {
      ref
      hash
    }
    changes {
      area
      change
      id
      sentence
    }
    cells {
      role
      phase
      source
      kind
      item
      before
      after
      ruleBefore
      ruleAfter
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePolicyDiffQuery, ConsolePolicyDiffQueryVariables>;
export const ConsolePolicyReplayDocument = new TypedDocumentString(`
    query ConsolePolicyReplay($candidate: String!, $from: String!, $to: String!) {
  policyReplay(candidate: $candidate, from: $from, to: $to) {
    candidate {
      ref
      hash
    }
    records
    replayed
    allowToDeny
    denyToAllow
    unchanged
    flips {
      direction
      rule
      source
      kind
      item
      phase
      roles
      count
      examples {
        seq
      }
    }
    notReplayable {
      reason
      count
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePolicyReplayQuery, ConsolePolicyReplayQueryVariables>;