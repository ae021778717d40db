import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advisePrivacyCheck, closeCase, requestPrivacyCheck } from "../../src/cases/index.ts";
import {
  buildInformingWorklist,
  caseSubjectRights,
  deferSubjectInforming,
  informingWorklistFor,
  recordSubjectInformed,
  type InformingWorklist,
} from "../../src/rights/index.ts";
import { must } from "../reports/report-world.ts";
import { dialectUnderTest } from "../utils/test-db.ts";
import {
  analyst,
  createRightsWorld,
  legal,
  officer,
  OTHER,
  PERSON,
  type RightsWorld,
} from "./rights-world.ts";

/**
 * The informing worklist (Maastricht art. 12; Delft art. 10) with a driven clock: who must still
 * be informed, which deferrals are due for review, and who is uninformed while the retention
 * period ends within 3 months (Delft art. 10f). Runs on PGlite and on PostgreSQL.
 */
const THIRD = "111222333";
let w: RightsWorld;
let caseId: string;
let closedAt: Date;
let retentionEnds: Date;

const who = (items: InformingWorklist["toInform"]) => items.map((i) => `${i.reference}:${i.bsn}`);
const at = (now: Date) => buildInformingWorklist(w.db, { protocol: w.policy.protocol, now });

beforeAll(async () => {
  w = await createRightsWorld();
  w.clock.set("2025-01-10T09:00:00Z");
  caseId = await w.caseWith("WORK-1", "bronnenonderzoek", [PERSON, OTHER]);
  // A check that was refused names nobody to inform: nothing was consulted under it.
  const refused = must(
    await requestPrivacyCheck(w.ctx(analyst), {
      caseId,
      kind: "1",
      source: "permits",
      fields: [],
      probes: ["permits.horeca"],
      subjects: [`persoon:${THIRD}`],
      motivation: "Perhaps needed.",
    }),
  );
  must(
    await advisePrivacyCheck(w.ctx(officer), { id: refused.id, advice: "NO_GO", motivation: "Not needed." }),
  );
  // Maastricht art. 10.2b: source research without a case, kept one year (P1Y).
  closedAt = must(await closeCase(w.ctx(analyst), caseId, "geen_casus", "No case.")).closedAt!;
  retentionEnds = new Date(closedAt);
  retentionEnds.setUTCFullYear(closedAt.getUTCFullYear() + 1);
});
afterAll(() => w.close());

describe(`the informing worklist (${dialectUnderTest()})`, () => {
  it("lists the persons named by approved checks who were not informed", async () => {
    const list = must(await informingWorklistFor(w.ctx(legal)));
    expect(who(list.toInform)).toEqual([`WORK-1:${OTHER}`, `WORK-1:${PERSON}`].sort());
    expect(list.toInform[0]).toMatchObject({
      caseId,
      caseStatus: "closed",
      retentionEnd: retentionEnds.toISOString(),
      due: expect.stringMatching(/Maastricht art\. 12\.1/),
      deferral: null,
    });
    expect(list.reviewsDue).toEqual([]);
    expect(list.retentionEnding).toEqual([]);
    const logged = await w.audit.list({ kind: "rights", actor: "jurist" });
    expect(logged.at(-1)).toMatchObject({
      operation: "rights.worklist",
      decision: "allow",
      detail: { toInform: 2, reviewsDue: 0, retentionEnding: 0 },
    });
  });

  it("moves a deferred person out of 'to inform', and into 'reviews due' on the review date", async () => {
    const deferral = must(
      await deferSubjectInforming(w.ctx(legal), {
        caseId,
        bsn: OTHER,
        ground: "criminal_offences",
        motivation: "The police investigation is still running.",
        decidedBy: "manager.veiligheid",
        adviceBy: "fg",
        advice: "Defer; review in a month.",
        reviewAt: "2025-02-10",
      }),
    );
    const now = await at(new Date("2025-02-09T23:59:59Z"));
    expect(who(now.toInform)).toEqual([`WORK-1:${PERSON}`]);
    expect(now.reviewsDue).toEqual([]);
    const due = await at(new Date("2025-02-10T00:00:00Z"));
    expect(who(due.reviewsDue)).toEqual([`WORK-1:${OTHER}`]);
    expect(due.reviewsDue[0]!.deferral).toEqual({
      id: deferral.id,
      ground: "criminal_offences",
      reviewAt: "2025-02-10T00:00:00.000Z",
    });
  });

  it("lists everyone uninformed, deferred or not, from 3 months before the retention period ends (Delft art. 10f)", async () => {
    const threeMonthsBefore = new Date(retentionEnds);
    threeMonthsBefore.setUTCMonth(threeMonthsBefore.getUTCMonth() - 3);
    expect((await at(new Date(threeMonthsBefore.getTime() - 1000))).retentionEnding).toEqual([]);
    const ending = await at(threeMonthsBefore);
    expect(who(ending.retentionEnding)).toEqual([`WORK-1:${OTHER}`, `WORK-1:${PERSON}`].sort());
    // Still there once the period has ended and the purge has not run yet.
    expect(who((await at(new Date(retentionEnds.getTime() + 86_400_000))).retentionEnding)).toHaveLength(2);
  });

  it("drops a person once informed, and a review that keeps the deferral supersedes the old one", async () => {
    w.clock.set("2025-02-11T09:00:00Z");
    must(
      await recordSubjectInformed(w.ctx(legal), {
        caseId,
        bsn: PERSON,
        informedAt: "2025-02-11",
        method: "letter",
      }),
    );
    const renewed = must(
      await deferSubjectInforming(w.ctx(legal), {
        caseId,
        bsn: OTHER,
        ground: "criminal_offences",
        motivation: "Reviewed: the investigation goes on.",
        decidedBy: "manager.veiligheid",
        adviceBy: "fg",
        advice: "Keep deferring; review again in three months.",
        reviewAt: "2025-05-11",
      }),
    );
    const list = await at(new Date("2025-02-12T00:00:00Z"));
    expect(list.toInform).toEqual([]);
    expect(list.reviewsDue).toEqual([]);
    expect(who((await at(retentionEnds)).retentionEnding)).toEqual([`WORK-1:${OTHER}`]);
    const rights = must(await caseSubjectRights(w.ctx(legal), caseId));
    expect(rights.deferrals.map((d) => [d.reviewAt.toISOString().slice(0, 10), d.endReason])).toEqual([
      ["2025-02-10", "superseded"],
      ["2025-05-11", null],
    ]);
    expect(rights.deferrals[1]!.id).toBe(renewed.id);
  });

  it("records nothing more once the retention period has ended: the purge would miss it", async () => {
    w.clock.set(new Date(retentionEnds.getTime() + 1000).toISOString());
    const r = await recordSubjectInformed(w.ctx(legal), {
      caseId,
      bsn: OTHER,
      informedAt: "2025-12-01",
      method: "letter",
    });
    expect(r).toEqual({
      ok: false,
      error: { kind: "phase_conflict", message: expect.stringMatching(/retention/) },
    });
    expect(must(await caseSubjectRights(w.ctx(legal), caseId)).informing).toHaveLength(1);
    w.clock.set("2025-02-12T09:00:00Z");
  });

  it("refuses a deferral for a person who was already informed", async () => {
    const r = await deferSubjectInforming(w.ctx(legal), {
      caseId,
      bsn: PERSON,
      ground: "criminal_offences",
      motivation: "Too late.",
      decidedBy: "manager.veiligheid",
      adviceBy: "fg",
      advice: "None.",
      reviewAt: "2026-01-01",
    });
    expect(r).toEqual({
      ok: false,
      error: { kind: "bad_input", message: expect.stringMatching(/already informed/) },
    });
  });
});
