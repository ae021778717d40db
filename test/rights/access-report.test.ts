import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessReportMarkdown,
  accessReportWithholdings,
  decideSubjectRequest,
  deferSubjectInforming,
  recordSubjectRequest,
  restrictionsInForce,
  subjectAccessReportFor,
  type SubjectAccessReport,
} from "../../src/rights/index.ts";
import { actor, must } from "../reports/report-world.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import { createRightsWorld, legal, OTHER, PERSON, type RightsWorld } from "./rights-world.ts";

/**
 * The access report's queries on both dialects (GDPR art. 15): what the audit log, the checks and
 * the rights tables hold about one person, and nothing of the case withheld under GDPR art. 23.
 */
let w: RightsWorld;
let open: string;
let secret: string;
let report: SubjectAccessReport;

beforeAll(async () => {
  w = await createRightsWorld();
  w.clock.set("2025-03-01T09:00:00Z");
  open = await w.caseWith("ACCESS-OPEN", "bronnenonderzoek", [PERSON]);
  await w.disclosed(open, PERSON);
  // The source failed: consulted, no answer (never a NO_HIT).
  await w.disclosed(open, PERSON, {
    operation: "permits.hits",
    source: "permits",
    probes: ["permits.horeca"],
    decision: "error",
    detail: { upstream: "http_503" },
  });
  // Refused: nothing released, but the question about the person was processed.
  await w.disclosed(open, PERSON, {
    kind: "denial",
    operation: "brp.fields",
    mode: "hit",
    probes: undefined,
    fields: ["naam.geslachtsnaam"],
    decision: "deny",
    detail: undefined,
  });
  await w.disclosed(open, OTHER);
  secret = await w.caseWith("ACCESS-SECRET", "bronnenonderzoek", [PERSON]);
  await w.disclosed(secret, PERSON);
  must(
    await deferSubjectInforming(w.ctx(legal), {
      caseId: secret,
      bsn: PERSON,
      ground: "public_security",
      motivation: "Informing would endanger a witness.",
      decidedBy: "manager.veiligheid",
      adviceBy: "fg",
      advice: "Defer.",
      reviewAt: "2025-09-01",
    }),
  );
  report = must(await subjectAccessReportFor(w.ctx(legal), PERSON));
});
afterAll(() => w.close());

describe(`the access report (${dialectUnderTest()})`, () => {
  it("lists released, unanswered and refused processing of the person, and nobody else's", () => {
    expect(report.cases.map((c) => c.reference)).toEqual(["ACCESS-OPEN"]);
    const c = report.cases[0]!;
    expect(c.processing.map((p) => [p.operation, p.outcome, p.probes, p.fields])).toEqual([
      ["brp.hits", "released", [{ probe: "brp.ingeschreven", result: "HIT" }], []],
      ["permits.hits", "no_answer", [{ probe: "permits.horeca", result: null }], []],
      ["brp.fields", "refused", [], ["naam.geslachtsnaam"]],
    ]);
    expect(c.sources).toEqual(["brp", "permits"]);
    expect(c.recipients).toEqual(["the case's analyst (RO/AVO)"]);
    expect(c.phases.map((p) => p.phase)).toEqual(["intake", "weging", "bronnenonderzoek"]);
    expect(c.privacyChecks).toEqual([
      expect.objectContaining({ kind: "1", source: "brp", status: "approved", namesSubject: true }),
    ]);
    expect(c.retentionEnd).toBe("open");
  });

  it("says nothing of the withheld case, and records it internally", async () => {
    const everything = JSON.stringify(report) + accessReportMarkdown(report);
    for (const trace of [secret, "ACCESS-SECRET", "withh", "art. 23", "public_security", "defer"])
      expect(everything, trace).not.toContain(trace);
    const withheld = must(await accessReportWithholdings(w.ctx(legal), report.id));
    expect(withheld.map((x) => [x.caseId, x.ground, x.subjectKey])).toEqual([
      [secret, "public_security", `persoon:${PERSON}`],
    ]);
    const log = await w.audit.list({ caseId: secret, kind: "rights" });
    expect(log.map((a) => a.operation)).toEqual(["rights.defer", "rights.access.withhold"]);
    expect(log[1]!.reason).toMatch(/GDPR art\. 23\(1\)\(c\)/);
  });

  it("refuses a role without subject.access, audited, before judging the BSN", async () => {
    const r = await subjectAccessReportFor(w.ctx(actor("privacy.officer", "privacy_officer")), "not a bsn");
    expect(r).toEqual({ ok: false, error: { kind: "forbidden", message: "Not permitted." } });
    const denied = await w.audit.list({ actor: "privacy.officer", kind: "rights", decision: "deny" });
    expect(denied.map((a) => a.operation)).toEqual(["rights.access"]);
  });
});

describe(`restrictions in force (${dialectUnderTest()})`, () => {
  it("are those recorded, not refused, not lifted", async () => {
    const ctx = () => w.ctx(legal);
    const request = (bsn: string) =>
      recordSubjectRequest(ctx(), {
        caseId: open,
        bsn,
        kind: "restriction",
        receivedAt: "2025-03-01",
        motivation: "Contested.",
      });
    const mine = must(await request(PERSON));
    const theirs = must(await request(OTHER));
    expect([...(await restrictionsInForce(w.db, open)).keys()].sort()).toEqual(
      [`persoon:${PERSON}`, `persoon:${OTHER}`].sort(),
    );
    must(await decideSubjectRequest(ctx(), { id: theirs.id, decision: "refused", motivation: "Accurate." }));
    expect([...(await restrictionsInForce(w.db, open)).values()]).toEqual([
      { requestId: mine.id, subjectKey: `persoon:${PERSON}`, receivedAt: new Date("2025-03-01T00:00:00Z") },
    ]);
    expect(await restrictionsInForce(w.db, secret)).toEqual(new Map());
  });
});
