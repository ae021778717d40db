import {
  accessReportMarkdown,
  accessReportWithholdings,
  bsnOfKey,
  caseSubjectRights,
  decideSubjectRequest,
  deferSubjectInforming,
  informingWorklistFor,
  liftRestriction,
  recordSubjectInformed,
  recordSubjectRequest,
  restrictionInForce,
  subjectAccessReportFor,
  type AccessCase,
  type DeferralInput,
  type DeferralRecord,
  type InformedInput,
  type InformingRecord,
  type RequestDecision,
  type SubjectAccessReport,
  type SubjectRequestInput,
  type SubjectRequestRecord,
  type WithholdingRecord,
  type WorklistItem,
} from "../src/rights/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";
import { KIND, STATUS as CHECK_STATUS } from "./privacy-check.ts";

const STATUS = (s: "open" | "closed") => (s === "open" ? "OPEN" : "CLOSED");
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const accessCase = (c: AccessCase) => ({
  ...c,
  status: STATUS(c.status),
  privacyChecks: c.privacyChecks.map((k) => ({ ...k, kind: KIND[k.kind], status: CHECK_STATUS[k.status] })),
});
const accessReport = (r: SubjectAccessReport) => ({
  ...r,
  cases: r.cases.map(accessCase),
  markdown: accessReportMarkdown(r),
});
const worklistItem = (i: WorklistItem) => ({ ...i, caseStatus: STATUS(i.caseStatus) });
const withholding = (w: WithholdingRecord) => ({ ...w, at: w.at.toISOString() });
const informing = (i: InformingRecord) => ({
  ...i,
  bsn: bsnOfKey(i.subjectKey),
  informedAt: i.informedAt.toISOString(),
  recordedAt: i.recordedAt.toISOString(),
});
const deferral = (d: DeferralRecord) => ({
  ...d,
  bsn: bsnOfKey(d.subjectKey),
  reviewAt: d.reviewAt.toISOString(),
  recordedAt: d.recordedAt.toISOString(),
  endedAt: iso(d.endedAt),
});
const request = (r: SubjectRequestRecord) => ({
  ...r,
  bsn: bsnOfKey(r.subjectKey),
  receivedAt: r.receivedAt.toISOString(),
  recordedAt: r.recordedAt.toISOString(),
  decidedAt: iso(r.decidedAt),
  liftedAt: iso(r.liftedAt),
  inForce: restrictionInForce(r),
});

/** The data subject's rights (GDPR art. 15-23): arguments in, use case called, result out. */
export const RightsQuery = {
  subjectAccessReport: async (_: unknown, args: { bsn: string }, ctx: GatewayContext) =>
    accessReport(unwrapCase(await subjectAccessReportFor(ctx, args.bsn))),

  accessReportWithholdings: async (_: unknown, args: { reportId: string }, ctx: GatewayContext) =>
    unwrapCase(await accessReportWithholdings(ctx, args.reportId)).map(withholding),

  informingWorklist: async (_: unknown, __: unknown, ctx: GatewayContext) => {
    const w = unwrapCase(await informingWorklistFor(ctx));
    return {
      generatedAt: w.generatedAt,
      toInform: w.toInform.map(worklistItem),
      reviewsDue: w.reviewsDue.map(worklistItem),
      retentionEnding: w.retentionEnding.map(worklistItem),
    };
  },

  subjectRights: async (_: unknown, args: { caseId: string }, ctx: GatewayContext) => {
    const r = unwrapCase(await caseSubjectRights(ctx, args.caseId));
    return {
      caseId: r.caseId,
      informing: r.informing.map(informing),
      deferrals: r.deferrals.map(deferral),
      requests: r.requests.map(request),
    };
  },
};

/** GraphQL's null as absent. */
const note = (n: string | null | undefined) => (n === null || n === undefined ? {} : { note: n });

export const RightsMutation = {
  recordSubjectInformed: async (
    _: unknown,
    args: { input: Omit<InformedInput, "note"> & { note?: string | null } },
    ctx: GatewayContext,
  ) => {
    const { note: n, ...rest } = args.input;
    return informing(unwrapCase(await recordSubjectInformed(ctx, { ...rest, ...note(n) })));
  },

  deferSubjectInforming: async (_: unknown, args: { input: DeferralInput }, ctx: GatewayContext) =>
    deferral(unwrapCase(await deferSubjectInforming(ctx, args.input))),

  recordSubjectRequest: async (_: unknown, args: { input: SubjectRequestInput }, ctx: GatewayContext) =>
    request(unwrapCase(await recordSubjectRequest(ctx, args.input))),

  decideSubjectRequest: async (
    _: unknown,
    args: { id: string; decision: RequestDecision; motivation: string },
    ctx: GatewayContext,
  ) => request(unwrapCase(await decideSubjectRequest(ctx, args))),

  liftRestriction: async (_: unknown, args: { id: string; motivation: string }, ctx: GatewayContext) =>
    request(unwrapCase(await liftRestriction(ctx, args))),
};

/** The rights enums: GraphQL names outside, the stored values inside. */
export const RightsEnums = {
  InformingMethod: {
    LETTER: "letter",
    EMAIL: "email",
    IN_PERSON: "in_person",
    PHONE: "phone",
    OTHER: "other",
  },
  DeferralGround: {
    NATIONAL_SECURITY: "national_security",
    DEFENCE: "defence",
    PUBLIC_SECURITY: "public_security",
    CRIMINAL_OFFENCES: "criminal_offences",
    PUBLIC_INTEREST: "public_interest",
    JUDICIAL_INDEPENDENCE: "judicial_independence",
    PROFESSIONAL_ETHICS: "professional_ethics",
    SUPERVISION: "supervision",
    PROTECTION_OF_PERSONS: "protection_of_persons",
    CIVIL_CLAIMS: "civil_claims",
  },
  SubjectRequestKind: {
    RECTIFICATION: "rectification",
    ERASURE: "erasure",
    RESTRICTION: "restriction",
    OBJECTION: "objection",
  },
  SubjectRequestDecision: { GRANTED: "granted", PARTIALLY_GRANTED: "partially_granted", REFUSED: "refused" },
};
