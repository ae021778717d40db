import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  advisePrivacyCheck,
  caseRepository,
  openCase,
  requestPrivacyCheck,
  type CheckKind,
  type CheckStatus,
  type PrivacyCheckRecord,
} from "../../src/cases/index.ts";
import { moveCase } from "../utils/weighing.ts";
import { fgReportFor, fgReportMarkdown, type FgReport } from "../../src/reports/index.ts";
import { actor, createReportWorld, datasetRef, must, type ReportWorld } from "./report-world.ts";

/**
 * Delft art. 9a under Delft's own protocol, the only one with a way back (Delft ch. 5): moving a
 * case back lapses every approval whose check's phases do not include both the phase left and the
 * phase moved to, and the FG report counts those lapses in the year they happen. Everything goes
 * through the real use cases.
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
/** A check 1 asked for once the case had passed bronnenonderzoek. */
let lateCheck1: Awaited<ReturnType<typeof requestPrivacyCheck>>;
/** The 2027 check 2a right after a move back that stays inside its phases. */
let afterShortMoveBack: CheckStatus | undefined;

const at = (iso: string) => w.clock.set(iso);
const move = async (caseId: string, to: string, motivation = `To ${to}.`) =>
  must(await moveCase(w.ctx(A), caseId, to, motivation));

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
  // The case has passed check 1's only phase: a new check 1 is refused and not counted.
  lateCheck1 = await requestPrivacyCheck(w.ctx(A), {
    caseId: K,
    kind: "1",
    source: "brp",
    fields: [],
    probes: ["brp.ingeschreven"],
    motivation: "Check 1 after the fact.",
  });
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

  // 2027: forward again with a new check 2a; back to plan_van_aanpak, inside the range of 2a, so
  // it survives; forward again, then back to step 2, outside it: the one lapse of 2027.
  at("2027-01-10T09:00:00Z");
  await move(K, "plan_van_aanpak");
  ids.go2027 = await advised(K, ["geboorte.datum"], "GO");
  at("2027-01-20T09:00:00Z");
  await move(K, "informatie");
  at("2027-01-25T09:00:00Z");
  await move(K, "plan_van_aanpak", "The plan needs another look.");
  afterShortMoveBack = await statusOf(ids.go2027);
  at("2027-01-26T09:00:00Z");
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
      // informatie -> bronnenonderzoek: the theme-approved and the advised 2a lapse (range
      // plan_van_aanpak..evaluatie holds the phase left, not the one moved to), and so does the
      // theme-approved check 1 (range bronnenonderzoek holds the phase moved to, not the one left:
      // it was no longer in effect and does not come back with the case). The NO_GO and the
      // pending 2b approved nothing.
      lapsed: 3,
      secondOpinionsRequested: 0,
      secondOpinionsGiven: 0,
    });
    // The check 1 and the check 2a to enforcement, both within the hennepteelt dataset.
    // Delft has themeDatasets, so a theme dataset still approves here.
    expect(r.themeApprovals).toEqual([{ dataset: HENNEP, approvals: 2 }]);
    // A lapse does not change how the weighing ended: the lapsed checks still count as GO and as
    // theme-approved. The late check 1 was refused, so check 1 has one request.
    expect(r.checks.byKind).toEqual([
      { kind: "1", requested: 1, go: 0, noGo: 0, partial: 0, themeApproved: 1, pending: 0 },
      { kind: "2a", requested: 3, go: 1, noGo: 1, partial: 0, themeApproved: 1, pending: 0 },
      { kind: "2b", requested: 1, go: 0, noGo: 0, partial: 0, themeApproved: 0, pending: 1 },
    ]);
    expect(r.cases).toMatchObject({ opened: 1, closed: 0, openAtYearEnd: 1 });
    expect(r.cases.openAtYearEndByPhase.filter((p) => p.cases > 0)).toEqual([
      { phase: "bronnenonderzoek", cases: 1 },
    ]);
    expect(fgReportMarkdown(r)).toContain("| approvals lapsed (case moved out of the check's phases) | 3 |");
  });

  it("refuses a check whose phases the case has passed, and counts it nowhere", async () => {
    expect(lateCheck1.ok).toBe(false);
    if (!lateCheck1.ok) {
      expect(lateCheck1.error.kind).toBe("phase_conflict");
      expect(lateCheck1.error.message).toContain("bronnenonderzoek");
    }
    // Only the theme-approved check 1 of step 3 is a check 1 of 2026.
    expect((await report(2026)).checks.byKind.find((k) => k.kind === "1")?.requested).toBe(1);
  });

  it("ends the lapsed checks' history with a lapsed step naming the move, and leaves the rest", async () => {
    expect(afterMoveBack).toEqual({
      theme1: "lapsed",
      theme2a: "lapsed",
      go2a: "lapsed",
      noGo2a: "rejected",
      pending2b: "requested",
    });
    for (const [id, weighed] of [
      [ids.theme1!, "theme_approved"],
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
    // informatie -> plan_van_aanpak stays inside the range of 2a: the 2027 2a survives it.
    expect(afterShortMoveBack).toBe("approved");
    // informatie -> zwaarte leaves the ranges of check 1 and 2a, so it would lapse the three
    // checks of 2026 as well had they not lapsed already; only the new 2a of 2027 lapses.
    expect(r.steps.lapsed).toBe(1);
    expect(r.checks.total).toMatchObject({ requested: 1, go: 1 });
    const go2027 = await caseRepository.steps(w.db, ids.go2027!);
    expect(go2027.map((s) => s.kind)).toEqual(["requested", "advised", "lapsed"]);
    expect(go2027.at(-1)!.motivation).toContain("moved back from informatie to zwaarte");
    expect(go2027.at(-1)!.motivation).toContain(BACK_2027);
    expect(await statusOf(ids.go2027!)).toBe("lapsed");
    // Each check of 2026 has a single lapse, the move of 2026's.
    for (const name of ["theme1", "theme2a", "go2a"]) {
      const lapses = (await caseRepository.steps(w.db, ids[name]!)).filter((s) => s.kind === "lapsed");
      expect(lapses.map((s) => s.motivation)).toEqual([
        `The case moved back from informatie to bronnenonderzoek: ${BACK}`,
      ]);
      expect(await statusOf(ids[name]!)).toBe("lapsed");
    }
    expect((await report(2026)).steps.lapsed).toBe(3);
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
