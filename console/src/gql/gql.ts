/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      subject\n      roles\n    }\n  }\n": typeof types.MeDocument,
    "\n  query MyCases {\n    cases {\n      id\n      reference\n      theme\n      phase\n      status\n      openedAt\n      subjects {\n        key\n      }\n      privacyChecks {\n        id\n        kind\n        source\n        status\n        requestedFields\n        requestedProbes\n        approvedFields\n        approvedProbes\n      }\n    }\n  }\n": typeof types.MyCasesDocument,
    "\n  mutation Escalate($id: ID!, $motivation: String!) {\n    escalatePrivacyCheck(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": typeof types.EscalateDocument,
    "\n  query Queue {\n    pendingPrivacyChecks {\n      id\n      caseId\n      kind\n      source\n      requestedFields\n      requestedProbes\n      subjects\n      motivation\n      themeDataset\n      status\n      requestedBy\n      requestedAt\n      history {\n        kind\n        actor\n        at\n        advice\n        fields\n        probes\n        motivation\n        deviation\n      }\n    }\n    cases(status: OPEN) {\n      id\n      reference\n      theme\n      phase\n    }\n  }\n": typeof types.QueueDocument,
    "\n  mutation Advise(\n    $id: ID!\n    $advice: Advice!\n    $motivation: String!\n    $approvedFields: [String!]\n    $approvedProbes: [String!]\n  ) {\n    advisePrivacyCheck(\n      id: $id\n      advice: $advice\n      motivation: $motivation\n      approvedFields: $approvedFields\n      approvedProbes: $approvedProbes\n    ) {\n      id\n      status\n    }\n  }\n": typeof types.AdviseDocument,
    "\n  mutation Decide(\n    $id: ID!\n    $decision: Advice!\n    $motivation: String!\n    $approvedFields: [String!]\n    $approvedProbes: [String!]\n  ) {\n    decidePrivacyCheck(\n      id: $id\n      decision: $decision\n      motivation: $motivation\n      approvedFields: $approvedFields\n      approvedProbes: $approvedProbes\n    ) {\n      id\n      status\n    }\n  }\n": typeof types.DecideDocument,
    "\n  mutation Opinion($id: ID!, $opinion: Advice!, $motivation: String!) {\n    giveSecondOpinion(id: $id, opinion: $opinion, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": typeof types.OpinionDocument,
    "\n  query FgReport($year: Int!) {\n    fgReport(year: $year) {\n      year\n      from\n      to\n      generatedAt\n      protocolId\n      policyHashes\n      checks {\n        total {\n          requested\n          go\n          noGo\n          partial\n          themeApproved\n          pending\n        }\n        byKind {\n          kind\n          requested\n          go\n          noGo\n          partial\n          themeApproved\n          pending\n        }\n      }\n      steps {\n        decisions\n        deviations\n        escalations\n        revocations\n        lapsed\n        secondOpinionsRequested\n        secondOpinionsGiven\n      }\n      cases {\n        opened\n        closed\n        openAtYearEnd\n        enteredPhase {\n          phase\n          cases\n        }\n        closedByOutcome {\n          outcome\n          cases\n        }\n      }\n      deniedAccess {\n        total\n        byOperation {\n          operation\n          denied\n        }\n      }\n    }\n  }\n": typeof types.FgReportDocument,
    "\n  query Dpia($year: Int!, $seed: String!) {\n    dpiaSample(year: $year, seed: $seed) {\n      year\n      seed\n      fraction\n      population\n      size\n      deviations\n      method\n      entries {\n        checkId\n        caseReference\n        kind\n        source\n        status\n        requestedAt\n        subjectCount\n        drawnFor\n      }\n    }\n  }\n": typeof types.DpiaDocument,
    "\n  query AccessReport($bsn: String!) {\n    subjectAccessReport(bsn: $bsn) {\n      id\n      generatedAt\n      cases {\n        caseId\n        reference\n        status\n        phase\n        retentionEnd\n        sources\n        recipients\n        privacyChecks {\n          kind\n          source\n          status\n        }\n        requests {\n          kind\n          receivedAt\n          decision\n        }\n      }\n    }\n  }\n": typeof types.AccessReportDocument,
    "\n  query Worklist {\n    informingWorklist {\n      generatedAt\n      toInform {\n        reference\n        bsn\n        phase\n        due\n        retentionEnd\n      }\n      reviewsDue {\n        reference\n        bsn\n        due\n        deferral {\n          ground\n          reviewAt\n        }\n      }\n      retentionEnding {\n        reference\n        bsn\n        due\n        retentionEnd\n      }\n    }\n  }\n": typeof types.WorklistDocument,
    "\n  query CasesList {\n    cases {\n      id\n      reference\n      phase\n      status\n      owner\n      substitute\n      theme\n      openedAt\n    }\n  }\n": typeof types.CasesListDocument,
    "\n  query Rights($caseId: ID!) {\n    subjectRights(caseId: $caseId) {\n      informing {\n        bsn\n        informedAt\n        method\n      }\n      deferrals {\n        bsn\n        ground\n        reviewAt\n        endedAt\n      }\n      requests {\n        id\n        bsn\n        kind\n        receivedAt\n        decision\n        inForce\n      }\n    }\n  }\n": typeof types.RightsDocument,
    "\n  mutation Assign($id: ID!, $owner: String!, $substitute: String, $motivation: String!) {\n    assignCase(id: $id, owner: $owner, substitute: $substitute, motivation: $motivation) {\n      id\n      owner\n      substitute\n    }\n  }\n": typeof types.AssignDocument,
    "\n  query Revocable {\n    cases(status: OPEN) {\n      id\n      reference\n      privacyChecks {\n        id\n        kind\n        source\n        status\n        approvedFields\n        approvedProbes\n      }\n    }\n  }\n": typeof types.RevocableDocument,
    "\n  mutation AskSecondOpinion($id: ID!, $motivation: String!) {\n    requestSecondOpinion(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": typeof types.AskSecondOpinionDocument,
    "\n  mutation Revoke($id: ID!, $motivation: String!) {\n    revokePrivacyCheck(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": typeof types.RevokeDocument,
    "\n  query Flagged {\n    flaggedEvents(first: 50) {\n      id\n      at\n      attempts\n      flag\n      rule\n      reason\n      caseReference\n      phase\n      actor\n      operation\n      source\n      reviewed\n    }\n  }\n": typeof types.FlaggedDocument,
    "\n  mutation Review($id: ID!, $note: String!) {\n    reviewFlaggedEvent(id: $id, note: $note) {\n      id\n      reviewed\n    }\n  }\n": typeof types.ReviewDocument,
    "\n  query Protocol {\n    protocol {\n      id\n      name\n      policyHash\n      phases {\n        id\n        name\n        purpose\n      }\n    }\n    cases(status: OPEN) {\n      id\n      reference\n      phase\n    }\n  }\n": typeof types.ProtocolDocument,
    "\n  query Explain($caseId: ID!, $role: String!, $source: String!, $field: String, $probe: String) {\n    explain(caseId: $caseId, role: $role, source: $source, field: $field, probe: $probe) {\n      policyHash\n      phase\n      mode\n      permittedFields\n      decisions {\n        about\n        allowed\n        ruleId\n        reason\n      }\n    }\n  }\n": typeof types.ExplainDocument,
    "\n  query AuditSearch($filter: AuditLogFilter!) {\n    auditLog(filter: $filter, first: 50) {\n      hasNextPage\n      records {\n        id\n        seq\n        at\n        actor\n        roles\n        caseId\n        phase\n        operation\n        source\n        fields\n        probes\n        decision\n        reason\n      }\n    }\n  }\n": typeof types.AuditSearchDocument,
    "\n  query ConsolePolicyVersions {\n    policyVersions {\n      version\n      hash\n      author\n      publishedAt\n      motivation\n      adoptedOn\n      nextEvaluation\n      inForce\n    }\n    policyEvaluationsDue {\n      version\n      dueOn\n      overdue\n      lastEvaluatedOn\n      basis\n    }\n  }\n": typeof types.ConsolePolicyVersionsDocument,
    "\n  query ConsoleEvaluationsDue {\n    policyEvaluationsDue {\n      version\n      dueOn\n      overdue\n      basis\n    }\n  }\n": typeof types.ConsoleEvaluationsDueDocument,
    "\n  mutation ConsoleRecordEvaluation($motivation: String!, $nextEvaluation: String) {\n    recordPolicyEvaluation(motivation: $motivation, nextEvaluation: $nextEvaluation) {\n      id\n      evaluatedOn\n      nextEvaluation\n    }\n  }\n": typeof types.ConsoleRecordEvaluationDocument,
    "\n  query ConsolePolicyDiff($from: String!, $to: String!) {\n    policyDiff(from: $from, to: $to) {\n      from {\n        ref\n        hash\n      }\n      to {\n        ref\n        hash\n      }\n      changes {\n        area\n        change\n        id\n        sentence\n      }\n      cells {\n        role\n        phase\n        source\n        kind\n        item\n        before\n        after\n        ruleBefore\n        ruleAfter\n      }\n    }\n  }\n": typeof types.ConsolePolicyDiffDocument,
    "\n  query ConsolePolicyReplay($candidate: String!, $from: String!, $to: String!) {\n    policyReplay(candidate: $candidate, from: $from, to: $to) {\n      candidate {\n        ref\n        hash\n      }\n      records\n      replayed\n      allowToDeny\n      denyToAllow\n      unchanged\n      flips {\n        direction\n        rule\n        source\n        kind\n        item\n        phase\n        roles\n        count\n        examples {\n          seq\n        }\n      }\n      notReplayable {\n        reason\n        count\n      }\n    }\n  }\n": typeof types.ConsolePolicyReplayDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      subject\n      roles\n    }\n  }\n": types.MeDocument,
    "\n  query MyCases {\n    cases {\n      id\n      reference\n      theme\n      phase\n      status\n      openedAt\n      subjects {\n        key\n      }\n      privacyChecks {\n        id\n        kind\n        source\n        status\n        requestedFields\n        requestedProbes\n        approvedFields\n        approvedProbes\n      }\n    }\n  }\n": types.MyCasesDocument,
    "\n  mutation Escalate($id: ID!, $motivation: String!) {\n    escalatePrivacyCheck(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": types.EscalateDocument,
    "\n  query Queue {\n    pendingPrivacyChecks {\n      id\n      caseId\n      kind\n      source\n      requestedFields\n      requestedProbes\n      subjects\n      motivation\n      themeDataset\n      status\n      requestedBy\n      requestedAt\n      history {\n        kind\n        actor\n        at\n        advice\n        fields\n        probes\n        motivation\n        deviation\n      }\n    }\n    cases(status: OPEN) {\n      id\n      reference\n      theme\n      phase\n    }\n  }\n": types.QueueDocument,
    "\n  mutation Advise(\n    $id: ID!\n    $advice: Advice!\n    $motivation: String!\n    $approvedFields: [String!]\n    $approvedProbes: [String!]\n  ) {\n    advisePrivacyCheck(\n      id: $id\n      advice: $advice\n      motivation: $motivation\n      approvedFields: $approvedFields\n      approvedProbes: $approvedProbes\n    ) {\n      id\n      status\n    }\n  }\n": types.AdviseDocument,
    "\n  mutation Decide(\n    $id: ID!\n    $decision: Advice!\n    $motivation: String!\n    $approvedFields: [String!]\n    $approvedProbes: [String!]\n  ) {\n    decidePrivacyCheck(\n      id: $id\n      decision: $decision\n      motivation: $motivation\n      approvedFields: $approvedFields\n      approvedProbes: $approvedProbes\n    ) {\n      id\n      status\n    }\n  }\n": types.DecideDocument,
    "\n  mutation Opinion($id: ID!, $opinion: Advice!, $motivation: String!) {\n    giveSecondOpinion(id: $id, opinion: $opinion, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": types.OpinionDocument,
    "\n  query FgReport($year: Int!) {\n    fgReport(year: $year) {\n      year\n      from\n      to\n      generatedAt\n      protocolId\n      policyHashes\n      checks {\n        total {\n          requested\n          go\n          noGo\n          partial\n          themeApproved\n          pending\n        }\n        byKind {\n          kind\n          requested\n          go\n          noGo\n          partial\n          themeApproved\n          pending\n        }\n      }\n      steps {\n        decisions\n        deviations\n        escalations\n        revocations\n        lapsed\n        secondOpinionsRequested\n        secondOpinionsGiven\n      }\n      cases {\n        opened\n        closed\n        openAtYearEnd\n        enteredPhase {\n          phase\n          cases\n        }\n        closedByOutcome {\n          outcome\n          cases\n        }\n      }\n      deniedAccess {\n        total\n        byOperation {\n          operation\n          denied\n        }\n      }\n    }\n  }\n": types.FgReportDocument,
    "\n  query Dpia($year: Int!, $seed: String!) {\n    dpiaSample(year: $year, seed: $seed) {\n      year\n      seed\n      fraction\n      population\n      size\n      deviations\n      method\n      entries {\n        checkId\n        caseReference\n        kind\n        source\n        status\n        requestedAt\n        subjectCount\n        drawnFor\n      }\n    }\n  }\n": types.DpiaDocument,
    "\n  query AccessReport($bsn: String!) {\n    subjectAccessReport(bsn: $bsn) {\n      id\n      generatedAt\n      cases {\n        caseId\n        reference\n        status\n        phase\n        retentionEnd\n        sources\n        recipients\n        privacyChecks {\n          kind\n          source\n          status\n        }\n        requests {\n          kind\n          receivedAt\n          decision\n        }\n      }\n    }\n  }\n": types.AccessReportDocument,
    "\n  query Worklist {\n    informingWorklist {\n      generatedAt\n      toInform {\n        reference\n        bsn\n        phase\n        due\n        retentionEnd\n      }\n      reviewsDue {\n        reference\n        bsn\n        due\n        deferral {\n          ground\n          reviewAt\n        }\n      }\n      retentionEnding {\n        reference\n        bsn\n        due\n        retentionEnd\n      }\n    }\n  }\n": types.WorklistDocument,
    "\n  query CasesList {\n    cases {\n      id\n      reference\n      phase\n      status\n      owner\n      substitute\n      theme\n      openedAt\n    }\n  }\n": types.CasesListDocument,
    "\n  query Rights($caseId: ID!) {\n    subjectRights(caseId: $caseId) {\n      informing {\n        bsn\n        informedAt\n        method\n      }\n      deferrals {\n        bsn\n        ground\n        reviewAt\n        endedAt\n      }\n      requests {\n        id\n        bsn\n        kind\n        receivedAt\n        decision\n        inForce\n      }\n    }\n  }\n": types.RightsDocument,
    "\n  mutation Assign($id: ID!, $owner: String!, $substitute: String, $motivation: String!) {\n    assignCase(id: $id, owner: $owner, substitute: $substitute, motivation: $motivation) {\n      id\n      owner\n      substitute\n    }\n  }\n": types.AssignDocument,
    "\n  query Revocable {\n    cases(status: OPEN) {\n      id\n      reference\n      privacyChecks {\n        id\n        kind\n        source\n        status\n        approvedFields\n        approvedProbes\n      }\n    }\n  }\n": types.RevocableDocument,
    "\n  mutation AskSecondOpinion($id: ID!, $motivation: String!) {\n    requestSecondOpinion(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": types.AskSecondOpinionDocument,
    "\n  mutation Revoke($id: ID!, $motivation: String!) {\n    revokePrivacyCheck(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n": types.RevokeDocument,
    "\n  query Flagged {\n    flaggedEvents(first: 50) {\n      id\n      at\n      attempts\n      flag\n      rule\n      reason\n      caseReference\n      phase\n      actor\n      operation\n      source\n      reviewed\n    }\n  }\n": types.FlaggedDocument,
    "\n  mutation Review($id: ID!, $note: String!) {\n    reviewFlaggedEvent(id: $id, note: $note) {\n      id\n      reviewed\n    }\n  }\n": types.ReviewDocument,
    "\n  query Protocol {\n    protocol {\n      id\n      name\n      policyHash\n      phases {\n        id\n        name\n        purpose\n      }\n    }\n    cases(status: OPEN) {\n      id\n      reference\n      phase\n    }\n  }\n": types.ProtocolDocument,
    "\n  query Explain($caseId: ID!, $role: String!, $source: String!, $field: String, $probe: String) {\n    explain(caseId: $caseId, role: $role, source: $source, field: $field, probe: $probe) {\n      policyHash\n      phase\n      mode\n      permittedFields\n      decisions {\n        about\n        allowed\n        ruleId\n        reason\n      }\n    }\n  }\n": types.ExplainDocument,
    "\n  query AuditSearch($filter: AuditLogFilter!) {\n    auditLog(filter: $filter, first: 50) {\n      hasNextPage\n      records {\n        id\n        seq\n        at\n        actor\n        roles\n        caseId\n        phase\n        operation\n        source\n        fields\n        probes\n        decision\n        reason\n      }\n    }\n  }\n": types.AuditSearchDocument,
    "\n  query ConsolePolicyVersions {\n    policyVersions {\n      version\n      hash\n      author\n      publishedAt\n      motivation\n      adoptedOn\n      nextEvaluation\n      inForce\n    }\n    policyEvaluationsDue {\n      version\n      dueOn\n      overdue\n      lastEvaluatedOn\n      basis\n    }\n  }\n": types.ConsolePolicyVersionsDocument,
    "\n  query ConsoleEvaluationsDue {\n    policyEvaluationsDue {\n      version\n      dueOn\n      overdue\n      basis\n    }\n  }\n": types.ConsoleEvaluationsDueDocument,
    "\n  mutation ConsoleRecordEvaluation($motivation: String!, $nextEvaluation: String) {\n    recordPolicyEvaluation(motivation: $motivation, nextEvaluation: $nextEvaluation) {\n      id\n      evaluatedOn\n      nextEvaluation\n    }\n  }\n": types.ConsoleRecordEvaluationDocument,
    "\n  query ConsolePolicyDiff($from: String!, $to: String!) {\n    policyDiff(from: $from, to: $to) {\n      from {\n        ref\n        hash\n      }\n      to {\n        ref\n        hash\n      }\n      changes {\n        area\n        change\n        id\n        sentence\n      }\n      cells {\n        role\n        phase\n        source\n        kind\n        item\n        before\n        after\n        ruleBefore\n        ruleAfter\n      }\n    }\n  }\n": types.ConsolePolicyDiffDocument,
    "\n  query ConsolePolicyReplay($candidate: String!, $from: String!, $to: String!) {\n    policyReplay(candidate: $candidate, from: $from, to: $to) {\n      candidate {\n        ref\n        hash\n      }\n      records\n      replayed\n      allowToDeny\n      denyToAllow\n      unchanged\n      flips {\n        direction\n        rule\n        source\n        kind\n        item\n        phase\n        roles\n        count\n        examples {\n          seq\n        }\n      }\n      notReplayable {\n        reason\n        count\n      }\n    }\n  }\n": types.ConsolePolicyReplayDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      subject\n      roles\n    }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyCases {\n    cases {\n      id\n      reference\n      theme\n      phase\n      status\n      openedAt\n      subjects {\n        key\n      }\n      privacyChecks {\n        id\n        kind\n        source\n        status\n        requestedFields\n        requestedProbes\n        approvedFields\n        approvedProbes\n      }\n    }\n  }\n"): typeof import('./graphql').MyCasesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Escalate($id: ID!, $motivation: String!) {\n    escalatePrivacyCheck(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').EscalateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Queue {\n    pendingPrivacyChecks {\n      id\n      caseId\n      kind\n      source\n      requestedFields\n      requestedProbes\n      subjects\n      motivation\n      themeDataset\n      status\n      requestedBy\n      requestedAt\n      history {\n        kind\n        actor\n        at\n        advice\n        fields\n        probes\n        motivation\n        deviation\n      }\n    }\n    cases(status: OPEN) {\n      id\n      reference\n      theme\n      phase\n    }\n  }\n"): typeof import('./graphql').QueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Advise(\n    $id: ID!\n    $advice: Advice!\n    $motivation: String!\n    $approvedFields: [String!]\n    $approvedProbes: [String!]\n  ) {\n    advisePrivacyCheck(\n      id: $id\n      advice: $advice\n      motivation: $motivation\n      approvedFields: $approvedFields\n      approvedProbes: $approvedProbes\n    ) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').AdviseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Decide(\n    $id: ID!\n    $decision: Advice!\n    $motivation: String!\n    $approvedFields: [String!]\n    $approvedProbes: [String!]\n  ) {\n    decidePrivacyCheck(\n      id: $id\n      decision: $decision\n      motivation: $motivation\n      approvedFields: $approvedFields\n      approvedProbes: $approvedProbes\n    ) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').DecideDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Opinion($id: ID!, $opinion: Advice!, $motivation: String!) {\n    giveSecondOpinion(id: $id, opinion: $opinion, motivation: $motivation) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').OpinionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FgReport($year: Int!) {\n    fgReport(year: $year) {\n      year\n      from\n      to\n      generatedAt\n      protocolId\n      policyHashes\n      checks {\n        total {\n          requested\n          go\n          noGo\n          partial\n          themeApproved\n          pending\n        }\n        byKind {\n          kind\n          requested\n          go\n          noGo\n          partial\n          themeApproved\n          pending\n        }\n      }\n      steps {\n        decisions\n        deviations\n        escalations\n        revocations\n        lapsed\n        secondOpinionsRequested\n        secondOpinionsGiven\n      }\n      cases {\n        opened\n        closed\n        openAtYearEnd\n        enteredPhase {\n          phase\n          cases\n        }\n        closedByOutcome {\n          outcome\n          cases\n        }\n      }\n      deniedAccess {\n        total\n        byOperation {\n          operation\n          denied\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').FgReportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dpia($year: Int!, $seed: String!) {\n    dpiaSample(year: $year, seed: $seed) {\n      year\n      seed\n      fraction\n      population\n      size\n      deviations\n      method\n      entries {\n        checkId\n        caseReference\n        kind\n        source\n        status\n        requestedAt\n        subjectCount\n        drawnFor\n      }\n    }\n  }\n"): typeof import('./graphql').DpiaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessReport($bsn: String!) {\n    subjectAccessReport(bsn: $bsn) {\n      id\n      generatedAt\n      cases {\n        caseId\n        reference\n        status\n        phase\n        retentionEnd\n        sources\n        recipients\n        privacyChecks {\n          kind\n          source\n          status\n        }\n        requests {\n          kind\n          receivedAt\n          decision\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AccessReportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Worklist {\n    informingWorklist {\n      generatedAt\n      toInform {\n        reference\n        bsn\n        phase\n        due\n        retentionEnd\n      }\n      reviewsDue {\n        reference\n        bsn\n        due\n        deferral {\n          ground\n          reviewAt\n        }\n      }\n      retentionEnding {\n        reference\n        bsn\n        due\n        retentionEnd\n      }\n    }\n  }\n"): typeof import('./graphql').WorklistDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CasesList {\n    cases {\n      id\n      reference\n      phase\n      status\n      owner\n      substitute\n      theme\n      openedAt\n    }\n  }\n"): typeof import('./graphql').CasesListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rights($caseId: ID!) {\n    subjectRights(caseId: $caseId) {\n      informing {\n        bsn\n        informedAt\n        method\n      }\n      deferrals {\n        bsn\n        ground\n        reviewAt\n        endedAt\n      }\n      requests {\n        id\n        bsn\n        kind\n        receivedAt\n        decision\n        inForce\n      }\n    }\n  }\n"): typeof import('./graphql').RightsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Assign($id: ID!, $owner: String!, $substitute: String, $motivation: String!) {\n    assignCase(id: $id, owner: $owner, substitute: $substitute, motivation: $motivation) {\n      id\n      owner\n      substitute\n    }\n  }\n"): typeof import('./graphql').AssignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Revocable {\n    cases(status: OPEN) {\n      id\n      reference\n      privacyChecks {\n        id\n        kind\n        source\n        status\n        approvedFields\n        approvedProbes\n      }\n    }\n  }\n"): typeof import('./graphql').RevocableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AskSecondOpinion($id: ID!, $motivation: String!) {\n    requestSecondOpinion(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').AskSecondOpinionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Revoke($id: ID!, $motivation: String!) {\n    revokePrivacyCheck(id: $id, motivation: $motivation) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').RevokeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Flagged {\n    flaggedEvents(first: 50) {\n      id\n      at\n      attempts\n      flag\n      rule\n      reason\n      caseReference\n      phase\n      actor\n      operation\n      source\n      reviewed\n    }\n  }\n"): typeof import('./graphql').FlaggedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Review($id: ID!, $note: String!) {\n    reviewFlaggedEvent(id: $id, note: $note) {\n      id\n      reviewed\n    }\n  }\n"): typeof import('./graphql').ReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Protocol {\n    protocol {\n      id\n      name\n      policyHash\n      phases {\n        id\n        name\n        purpose\n      }\n    }\n    cases(status: OPEN) {\n      id\n      reference\n      phase\n    }\n  }\n"): typeof import('./graphql').ProtocolDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Explain($caseId: ID!, $role: String!, $source: String!, $field: String, $probe: String) {\n    explain(caseId: $caseId, role: $role, source: $source, field: $field, probe: $probe) {\n      policyHash\n      phase\n      mode\n      permittedFields\n      decisions {\n        about\n        allowed\n        ruleId\n        reason\n      }\n    }\n  }\n"): typeof import('./graphql').ExplainDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditSearch($filter: AuditLogFilter!) {\n    auditLog(filter: $filter, first: 50) {\n      hasNextPage\n      records {\n        id\n        seq\n        at\n        actor\n        roles\n        caseId\n        phase\n        operation\n        source\n        fields\n        probes\n        decision\n        reason\n      }\n    }\n  }\n"): typeof import('./graphql').AuditSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePolicyVersions {\n    policyVersions {\n      version\n      hash\n      author\n      publishedAt\n      motivation\n      adoptedOn\n      nextEvaluation\n      inForce\n    }\n    policyEvaluationsDue {\n      version\n      dueOn\n      overdue\n      lastEvaluatedOn\n      basis\n    }\n  }\n"): typeof import('./graphql').ConsolePolicyVersionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleEvaluationsDue {\n    policyEvaluationsDue {\n      version\n      dueOn\n      overdue\n      basis\n    }\n  }\n"): typeof import('./graphql').ConsoleEvaluationsDueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRecordEvaluation($motivation: String!, $nextEvaluation: String) {\n    recordPolicyEvaluation(motivation: $motivation, nextEvaluation: $nextEvaluation) {\n      id\n      evaluatedOn\n      nextEvaluation\n    }\n  }\n"): typeof import('./graphql').ConsoleRecordEvaluationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePolicyDiff($from: String!, $to: String!) {\n    policyDiff(from: $from, to: $to) {\n      from {\n        ref\n        hash\n      }\n      to {\n        ref\n        hash\n      }\n      changes {\n        area\n        change\n        id\n        sentence\n      }\n      cells {\n        role\n        phase\n        source\n        kind\n        item\n        before\n        after\n        ruleBefore\n        ruleAfter\n      }\n    }\n  }\n"): typeof import('./graphql').ConsolePolicyDiffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePolicyReplay($candidate: String!, $from: String!, $to: String!) {\n    policyReplay(candidate: $candidate, from: $from, to: $to) {\n      candidate {\n        ref\n        hash\n      }\n      records\n      replayed\n      allowToDeny\n      denyToAllow\n      unchanged\n      flips {\n        direction\n        rule\n        source\n        kind\n        item\n        phase\n        roles\n        count\n        examples {\n          seq\n        }\n      }\n      notReplayable {\n        reason\n        count\n      }\n    }\n  }\n"): typeof import('./graphql').ConsolePolicyReplayDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
