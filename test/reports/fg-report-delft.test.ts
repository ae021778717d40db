import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  advisePrivacyCheck,
  caseRepository,
  openCase,
  requestPrivacyCheck,
  transitionCase,
  type CheckKind,
  type CheckStatus,
  type PrivacyCheckRecord,
} from "../../src/cases/index.ts";
import { fgReportFor, fgReportMarkdown, type FgReport } from "../../src/reports/index.ts";
import { actor, createReportWorld, datasetRef, must, type ReportWorld } from "./report-world.ts";

/**
 * Delft art. 9a under Delft's own protocol, the only one with a way back (Delft ch. 5): a case
 * moved back out of the phases of its checks 2a lapses their approvals, and the FG report
 * counts those lapses in the year they happen. Everything goes through the real use cases.
 */
const A = actor("analist.jansen", "analyst");
const PO = actor("po.dewit", "privacy_officer");
const FG = actor("fg.mulder", "dpo");
const BSN = "999993653";
const BACK = "New facts call for a second round of source research.";
const BACK_2027 = "The signal has to be weighed again.";

let w: ReportWorld;
let HENNEP = "";
/** The checks of the script, by the name the comments use. */
const ids: Record<string, string> = {};
let movedBackAt: Date;
/** The checks' statuses right after the move back of 2026. */
const afterMoveBack: Record<string, CheckStatus | undefined> = {};

const at = (iso: string) => w.clock.set(iso);
const move = async (caseId: string, to: string, motivation = `To ${to}.`) =>
  must(await transitionCase(w.ctx(A), caseId, to, motivation));

async function request(
  caseId: string,
  kind: CheckKind,
  wanted: { fields?: string[]; probes?: string[]; subjects?: string[]; recipients?: string[] },
): Promise<PrivacyCheckRecord> {
  return must(
    await requestPrivacyCheck(w.ctx(A), {
      caseId,
      kind,
      source: "brp",
      fields: wanted.fields ?? [],
      probes: wanted.probes ?? [],
      subjects: wanted.subjects,
      recipients: wanted.recipients,
      motivation: `Check ${kind} is necessary for the case.`,
    }),
  );
}

async function advised(caseId: string, fields: string[], advice: "GO" | "NO_GO"): Promise<string> {
  const { id } = await request(caseId, "2a", { fields });
  must(await advisePrivacyCheck(w.ctx(PO), { id, advice, motivation: `Advice ${advice}.` }));
  return id;
}

const statusOf = async (id: string): Promise<CheckStatus | undefined> =>
  (await caseRepository.getCheck(w.db, id))?.status;

beforeAll(async () => {
  w = await createReportWorld({ protocolFile: "protocol-delft.yaml" });
  HENNEP = datasetRef(w.policy, "hennepteelt");

  // 2026: a hemp case through source research into the information phase, then back.
  at("2026-02-02T09:00:00Z");
  const K = must(
    await openCase(w.ctx(A), { reference: "DELFT-1", theme: "hennepteelt", motivation: "Hemp signal." }),
  ).id;
  await move(K, "zwaarte");
  await move(K, "bronnenonderzoek");
  at("2026-02-10T09:00:00Z");
  const theme1 = await request(K, "1", { probes: ["brp.ingeschreven"], subjects: [`persoon:${BSN}`] });
  ids.theme1 = theme1.id;
  at("2026-02-20T09:00:00Z");
  await move(K, "plan_van_aanpak");
  at("2026-03-01T09:00:00Z");
  // Sharing name and address with enforcement fits the hennepteelt dataset (Delft art. 19g).
  const theme2a = await request(K, "2a", {
    fields: ["naam", "verblijfplaats"],
    subjects: [`persoon:${BSN}`],
    recipients: ["handhaving"],
  });
  ids.theme2a = theme2a.id;
  for (const c of [theme1, theme2a]) expect([c.status, c.themeDataset]).toEqual(["approved", HENNEP]);
  at("2026-03-02T09:00:00Z");
  ids.go2a = await advised(K, ["geboorte.datum"], "GO");
  at("2026-03-03T09:00:00Z");
  ids.noGo2a = await advised(K, ["partners"], "NO_GO");
  at("2026-03-04T09:00:00Z");
  ids.pending2b = (await request(K, "2b", { fields: ["naam.geslachtsnaam"] })).id;
  at("2026-04-01T09:00:00Z");
  await move(K, "informatie");
  at("2026-05-01T09:00:00Z");
  movedBackAt = new Date("2026-05-01T09:00:00Z");
  await move(K, "bronnenonderzoek", BACK);
  for (const [name, id] of Object.entries(ids)) afterMoveBack[name] = await statusOf(id);

  // 2027: forward again with a new check 2a, then back to step 2: lapses of 2027.
  at("2027-01-10T09:00:00Z");
  await move(K, "plan_van_aanpak");
  ids.go2027 = await advised(K, ["geboorte.datum"], "GO");
  at("2027-01-20T09:00:00Z");
  await move(K, "informatie");
  at("2027-02-01T09:00:00Z");
  await move(K, "zwaarte", BACK_2027);
  at("2027-03-01T09:00:00Z");
});
afterAll(() => w.close());

const report = async (year: number): Promise<FgReport> => must(await fgReportFor(w.ctx(FG), year));

describe("FG annual report under Delft's protocol: lapses (Delft ch. 5)", () => {
  it("counts the approvals that lapsed when the case moved back, in the year they lapsed", async () => {
    const r = await report(2026);
    expect(r.protocolId).toBe("delft");
    expect(r.steps).toEqual({
      decisions: 0,
      deviations: 0,
      escalations: 0,
      revocations: 0,
      // informatie -> bronnenonderzoek leaves the range of check 2a: the theme-approved and the
      // advised 2a lapse. The NO_GO and the pending 2b approved nothing; check 1's range is
      // bronnenonderzoek itself, so it does not lapse.
      lapsed: 2,
      secondOpinionsRequested: 0,
      secondOpinionsGiven: 0,
    });
    // The check 1 and the check 2a to enforcement, both within the hennepteelt dataset.
    expect(r.themeApprovals).toEqual([{ dataset: HENNEP, approvals: 2 }]);
    // A lapse does not change how the weighing ended: the lapsed 2a still counts as GO and as
    // theme-approved.
    expect(r.checks.byKind).toEqual([
      { kind: "1", requested: 1, go: 0, noGo: 0, partial: 0, themeApproved: 1, pending: 0 },
      { kind: "2a", requested: 3, go: 1, noGo: 1, partial: 0, themeApproved: 1, pending: 0 },
      { kind: "2b", requested: 1, go: 0, noGo: 0, partial: 0, themeApproved: 0, pending: 1 },
    ]);
    expect(r.cases).toMatchObject({ opened: 1, closed: 0, openAtYearEnd: 1 });
    expect(r.cases.openAtYearEndByPhase.filter((p) => p.cases > 0)).toEqual([
      { phase: "bronnenonderzoek", cases: 1 },
    ]);
    expect(fgReportMarkdown(r)).toContain("| approvals lapsed (case moved out of the check's phases) | 2 |");
  });

  it("ends the lapsed checks' history with a lapsed step naming the move, and leaves the rest", async () => {
    expect(afterMoveBack).toEqual({
      theme1: "approved",
      theme2a: "lapsed",
      go2a: "lapsed",
      noGo2a: "rejected",
      pending2b: "requested",
    });
    for (const [id, weighed] of [
      [ids.theme2a!, "theme_approved"],
      [ids.go2a!, "advised"],
    ] as const) {
      const steps = await caseRepository.steps(w.db, id);
      expect(steps.map((s) => s.kind)).toEqual(["requested", weighed, "lapsed"]);
      const last = steps.at(-1)!;
      expect(last).toMatchObject({ actor: A.subject, at: movedBackAt });
      expect(last.motivation).toContain("moved back from informatie to bronnenonderzoek");
      expect(last.motivation).toContain(BACK);
    }
  });

  it("lapses an approval once: the next year counts only what lapsed in it", async () => {
    const r = await report(2027);
    // informatie -> zwaarte: the new 2a of 2027 and, now outside bronnenonderzoek, the check 1
    // of 2026. The checks that lapsed in 2026 are not lapsed again.
    expect(r.steps.lapsed).toBe(2);
    expect(r.checks.total).toMatchObject({ requested: 1, go: 1 });
    const steps = await caseRepository.steps(w.db, ids.theme1!);
    expect(steps.map((s) => s.kind)).toEqual(["requested", "theme_approved", "lapsed"]);
    expect(steps.at(-1)!.motivation).toContain("moved back from informatie to zwaarte");
    expect(await statusOf(ids.theme1!)).toBe("lapsed");
    expect(await statusOf(ids.go2027!)).toBe("lapsed");
    expect((await report(2026)).steps.lapsed).toBe(2);
  });

  it("holds no BSN, actor or motivation", async () => {
    const r = await report(2026);
    for (const text of [JSON.stringify(r), fgReportMarkdown(r)]) {
      expect(text).not.toContain(BSN);
      for (const who of [A, PO, FG]) expect(text).not.toContain(who.subject);
      for (const motivation of [BACK, BACK_2027]) expect(text).not.toContain(motivation);
      expect(text).not.toContain("DELFT-1");
    }
  });
});
