import {
  probeRunnerOf,
  parseObjectRef,
  registersFor,
  validateVerify,
  type SubjectKind,
  type VerifyInput,
} from "../disclosure/index.ts";
import {
  AFTER_RULE,
  checkFirst as checkAuditFirst,
  FILTER_RULE,
  FIRST_RULE as AUDIT_FIRST_RULE,
  parseAfter,
  parseAuditFilter,
  type AuditLogFilterArgs,
} from "../audit-search/index.ts";
import { checkFirst, checkFlag, FIRST_RULE, FLAG_RULE, parseSince, SINCE_RULE } from "../flagged/index.ts";
import { parsePolicyRef, parseReplayPeriod, type LoadedPolicySet } from "../policy/index.ts";
import {
  checkRecordsFirst,
  checkRecordsPeriod,
  parseRecordsAfter,
  RECORDS_AFTER_RULE,
  RECORDS_FIRST_RULE,
  RECORDS_PERIOD_RULE,
} from "../retention/index.ts";
import { ISO_DATE_RULE, isIsoDate, parseBsn, parseKvkNummer } from "../shared/index.ts";

/**
 * Every argument of every field, checked at the edge before the operation runs
 * (src/server/edge-validation.ts): one bad argument anywhere and nothing at all happens, no
 * upstream call and no write. The use cases and the disclosure layer check again (defence in
 * depth); these rules reuse their parsers, so both say the same.
 *
 * Keyed by `Type.field.argument`. An argument is either in ARGUMENT_RULES or in
 * VALIDATED_ELSEWHERE with the reason; test/server/argument-rules.test.ts fails for any argument
 * of the schema that is in neither, and the edge refuses such an argument (fail closed).
 */

/** What a rule sees: the field's coerced arguments (variables filled in) and the request's policy. */
export interface RuleInput {
  readonly args: Readonly<Record<string, unknown>>;
  readonly policy: LoadedPolicySet;
}

export interface ArgumentRule {
  /** The rule in words. */
  readonly rule: string;
  /**
   * The problem, naming the argument and the rule and never repeating the value; undefined when
   * the arguments are fine. One check may cover several arguments of a field (`object(…)`).
   */
  readonly check: (input: RuleInput) => string | undefined;
}

const bsn: ArgumentRule = {
  rule: "a BSN: 9 digits that pass the 11-check",
  check: ({ args }) => {
    const parsed = parseBsn(String(args["bsn"]));
    return parsed.ok ? undefined : `bsn: ${parsed.error.reason}`;
  },
};

const kvkNummer: ArgumentRule = {
  rule: "a KvK number: 8 digits",
  check: ({ args }) => {
    const parsed = parseKvkNummer(String(args["kvkNummer"]));
    return parsed.ok ? undefined : `kvkNummer: ${parsed.error.reason}`;
  },
};

/** The five arguments of `object(…)` are one reference: a BAG id, or a postcode with a huisnummer. */
const objectRef: ArgumentRule = {
  rule: "a BAG id of a verblijfsobject, ligplaats or standplaats, or postcode and huisnummer (with huisletter and toevoeging), not both",
  check: ({ args }) => {
    const parsed = parseObjectRef(args);
    return parsed.ok ? undefined : (parsed.error.message ?? "object: invalid reference.");
  },
};

const SUBJECT_NAMES: Readonly<Record<SubjectKind, string>> = {
  persoon: "a person",
  onderneming: "a company",
  object: "an object",
};

/** The probes `hits` can answer about this kind of subject: the same set src/disclosure/hits.ts checks. */
export const probesFor = (policy: LoadedPolicySet, kind: SubjectKind): string[] =>
  policy.probes.filter((p) => probeRunnerOf(policy, p.id)?.subjects.includes(kind)).map((p) => p.id);

const probes = (kind: SubjectKind): ArgumentRule => ({
  rule: `probe ids of the policy that can be asked about ${SUBJECT_NAMES[kind]}; at least one when given`,
  check: ({ args, policy }) => {
    const asked = args["probes"];
    if (asked === undefined || asked === null) return undefined;
    if (!Array.isArray(asked) || asked.length === 0)
      return "probes: give at least one probe, or leave the argument out for every permitted probe.";
    const applicable = probesFor(policy, kind);
    if (asked.some((p) => !applicable.includes(String(p))))
      return `probes: a name given cannot be asked about ${SUBJECT_NAMES[kind]}; probes for ${SUBJECT_NAMES[kind]}: ${applicable.join(", ") || "none"}.`;
    return undefined;
  },
});

const peildatum: ArgumentRule = {
  rule: ISO_DATE_RULE,
  check: ({ args }) =>
    args["peildatum"] === undefined || args["peildatum"] === null || isIsoDate(args["peildatum"])
      ? undefined
      : `peildatum: ${ISO_DATE_RULE}.`,
};

const verifyInput: ArgumentRule = {
  rule: "the signal's name, birth date (YYYY-MM-DD) and/or address (postcode with huisnummer), each at most 200 characters",
  check: ({ args }) => {
    const checked = validateVerify((args["input"] ?? {}) as VerifyInput);
    return checked.ok ? undefined : (checked.error.message ?? "input: invalid.");
  },
};

/** `from` and `to` of destructionRecords are one period: each a moment, from before to. */
const recordsPeriod: ArgumentRule = {
  rule: RECORDS_PERIOD_RULE,
  check: ({ args }) => checkRecordsPeriod(args),
};

/** A policy reference of policyDiff/policyReplay (issue 14): current, files or v<N>, never a path. */
const policyRef = (name: string): ArgumentRule => ({
  rule: "current, files or v<N> (a stored policy version)",
  check: ({ args }) => {
    const r = parsePolicyRef(String(args[name] ?? ""), { dirs: false });
    return r.ok ? undefined : `${name}: not a policy reference; use current, files or v<N> (N from 1).`;
  },
});

/** `from` and `to` of policyReplay are one period: each a date or date-time, from before to. */
const replayPeriod: ArgumentRule = {
  rule: "from and to: a date (YYYY-MM-DD) or an ISO 8601 date-time with offset, from before to",
  check: ({ args }) => {
    const r = parseReplayPeriod(String(args["from"] ?? ""), String(args["to"] ?? ""), {
      from: "from",
      to: "to",
    });
    return r.ok ? undefined : `${r.error}.`;
  },
};

/** A register of the policy about this kind of subject (issue 16), named by its source name. */
const registerName = (kind: SubjectKind): ArgumentRule => ({
  rule: `the name of a register of the policy that can be asked about ${SUBJECT_NAMES[kind]}`,
  check: ({ args, policy }) => {
    const names = registersFor({ policy }, kind);
    return names.includes(String(args["name"]))
      ? undefined
      : `name: not a register that can be asked about ${SUBJECT_NAMES[kind]}; registers for ${SUBJECT_NAMES[kind]}: ${names.join(", ") || "none"}.`;
  },
});

/** The arguments of the fields that reach a source: persons, companies, objects and their views. */
export const ARGUMENT_RULES: Readonly<Record<string, ArgumentRule>> = {
  "Case.persoon.bsn": bsn,
  "Case.onderneming.kvkNummer": kvkNummer,
  "Case.object.postcode": objectRef,
  "Case.object.huisnummer": objectRef,
  "Case.object.huisletter": objectRef,
  "Case.object.huisnummertoevoeging": objectRef,
  "Case.object.adresseerbaarObjectIdentificatie": objectRef,
  "PersoonView.hits.probes": probes("persoon"),
  "PersoonView.verify.input": verifyInput,
  "ObjectView.hits.probes": probes("object"),
  "ObjectView.bewoners.peildatum": peildatum,
  "OndernemingView.hits.probes": probes("onderneming"),
  // Issue 16: the municipality's own registers; a value's field is decided by the policy (deny by default).
  "PersoonView.register.name": registerName("persoon"),
  "OndernemingView.register.name": registerName("onderneming"),
  "ObjectView.register.name": registerName("object"),
  "RegisterRecord.value.field": {
    rule: "a field name of the register: a lower-camel-case word of at most 63 characters",
    check: ({ args }) =>
      /^[a-z][a-zA-Z0-9]{0,62}$/.test(String(args["field"]))
        ? undefined
        : "field: a lower-camel-case word of at most 63 characters.",
  },
  // The privacy officer's queue of flagged refusals (src/flagged): the same parsers as its use case.
  "Query.flaggedEvents.since": {
    rule: SINCE_RULE,
    check: ({ args }) => {
      const since = parseSince(args["since"]);
      return since.ok ? undefined : since.error;
    },
  },
  "Query.flaggedEvents.flag": { rule: FLAG_RULE, check: ({ args }) => checkFlag(args["flag"]) },
  "Query.flaggedEvents.first": { rule: FIRST_RULE, check: ({ args }) => checkFirst(args["first"]) },
  // The search of the audit log (src/audit-search): a bad BSN is refused here, before anything runs.
  "Query.auditLog.filter": {
    rule: FILTER_RULE,
    check: ({ args }) => {
      const filter = parseAuditFilter((args["filter"] ?? {}) as AuditLogFilterArgs);
      return filter.ok ? undefined : filter.error;
    },
  },
  "Query.auditLog.first": { rule: AUDIT_FIRST_RULE, check: ({ args }) => checkAuditFirst(args["first"]) },
  "Query.auditLog.after": {
    rule: AFTER_RULE,
    check: ({ args }) => {
      const after = parseAfter(args["after"]);
      return after.ok ? undefined : after.error;
    },
  },
  // The records manager's view of the destruction records (src/retention): its use case's parsers.
  // The privacy officer's diff and replay (src/cases/policy-explain-service.ts): its parsers.
  "Query.policyDiff.from": policyRef("from"),
  "Query.policyDiff.to": policyRef("to"),
  "Query.policyReplay.candidate": policyRef("candidate"),
  "Query.policyReplay.from": replayPeriod,
  "Query.policyReplay.to": replayPeriod,
  "Query.destructionRecords.from": recordsPeriod,
  "Query.destructionRecords.to": recordsPeriod,
  "Query.destructionRecords.first": {
    rule: RECORDS_FIRST_RULE,
    check: ({ args }) => checkRecordsFirst(args["first"]),
  },
  "Query.destructionRecords.after": {
    rule: RECORDS_AFTER_RULE,
    check: ({ args }) => {
      const after = parseRecordsAfter(args["after"]);
      return after.ok ? undefined : after.error;
    },
  },
};

const USE_CASE =
  "checked by its use case before anything is written; reaches no registry (the gateway's own tables)";
const ENUM = "an enum: GraphQL validation refuses any other value before the operation runs";
const ID =
  "an id looked up as a query parameter in the gateway's own tables; unknown or foreign ids are NOT_FOUND";
const elsewhere = (reason: string, ...keys: string[]) => Object.fromEntries(keys.map((k) => [k, reason]));

/** Arguments of fields that reach no registry, each with where and why it is checked instead. */
export const VALIDATED_ELSEWHERE: Readonly<Record<string, string>> = {
  ...elsewhere(ID, "Query.case.id", "Query.explain.caseId", "Query.subjectRights.caseId"),
  ...elsewhere(ENUM, "Query.cases.status"),
  ...elsewhere(
    "names of the policy, checked by the explain use case; reaches no registry",
    "Query.explain.role",
    "Query.explain.source",
    "Query.explain.field",
    "Query.explain.probe",
  ),
  ...elsewhere(
    "checked by the report use case (a year in range, a seed, a fraction in (0, 1]); reads only the gateway's own tables",
    "Query.fgReport.year",
    "Query.dpiaSample.year",
    "Query.dpiaSample.seed",
    "Query.dpiaSample.fraction",
  ),
  ...elsewhere(
    "11-check by the access-report use case; it searches the audit log by pseudonym and asks no registry",
    "Query.subjectAccessReport.bsn",
  ),
  ...elsewhere(ID, "Query.accessReportWithholdings.reportId"),
  ...elsewhere(ID, "Query.flaggedEvents.caseId", "Mutation.reviewFlaggedEvent.id"),
  ...elsewhere("a Boolean: GraphQL validation refuses anything else", "Query.flaggedEvents.includeReviewed"),
  ...elsewhere(USE_CASE, "Mutation.reviewFlaggedEvent.note"),
  // Issue 14: the evaluation of the protocol (src/policy/versions/service.ts checkEvaluationArgs).
  ...elsewhere(
    USE_CASE,
    "Mutation.recordPolicyEvaluation.motivation",
    "Mutation.recordPolicyEvaluation.nextEvaluation",
  ),
  ...elsewhere(
    USE_CASE,
    "Mutation.openCase.input",
    "Mutation.registerSignal.input",
    "Mutation.addCaseSubject.id",
    "Mutation.addCaseSubject.subject",
    "Mutation.addCaseSubject.motivation",
    "Mutation.addCaseSubject.checkId",
    "Mutation.transitionCase.id",
    "Mutation.transitionCase.to",
    "Mutation.transitionCase.motivation",
    "Mutation.closeCase.id",
    "Mutation.closeCase.outcome",
    "Mutation.closeCase.motivation",
    "Mutation.assignCase.id",
    "Mutation.assignCase.owner",
    "Mutation.assignCase.substitute",
    "Mutation.assignCase.motivation",
    "Mutation.closeCase.exit",
    "Mutation.acknowledgeSignalReceipt.id",
    "Mutation.recordWeighing.id",
    "Mutation.recordWeighing.answers",
    "Mutation.recordWeighing.motivation",
    "Mutation.requestPrivacyCheck.input",
    "Mutation.advisePrivacyCheck.id",
    "Mutation.advisePrivacyCheck.motivation",
    "Mutation.advisePrivacyCheck.approvedFields",
    "Mutation.advisePrivacyCheck.approvedProbes",
    "Mutation.escalatePrivacyCheck.id",
    "Mutation.escalatePrivacyCheck.motivation",
    "Mutation.decidePrivacyCheck.id",
    "Mutation.decidePrivacyCheck.motivation",
    "Mutation.decidePrivacyCheck.approvedFields",
    "Mutation.decidePrivacyCheck.approvedProbes",
    "Mutation.revokePrivacyCheck.id",
    "Mutation.revokePrivacyCheck.motivation",
    "Mutation.requestSecondOpinion.id",
    "Mutation.requestSecondOpinion.motivation",
    "Mutation.giveSecondOpinion.id",
    "Mutation.giveSecondOpinion.motivation",
    "Mutation.recordSubjectInformed.input",
    "Mutation.deferSubjectInforming.input",
    "Mutation.recordSubjectRequest.input",
    "Mutation.decideSubjectRequest.id",
    "Mutation.decideSubjectRequest.motivation",
    "Mutation.liftRestriction.id",
    "Mutation.liftRestriction.motivation",
  ),
  ...elsewhere(
    ENUM,
    "Mutation.advisePrivacyCheck.advice",
    "Mutation.decidePrivacyCheck.decision",
    "Mutation.giveSecondOpinion.opinion",
    "Mutation.decideSubjectRequest.decision",
  ),
};
