import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  advisePrivacyCheck,
  caseRepository,
  closeCase,
  decidePrivacyCheck,
  escalatePrivacyCheck,
  giveSecondOpinion,
  loadVisibleCase,
  openCase,
  requestPrivacyCheck,
  requestSecondOpinion,
  revokePrivacyCheck,
  transitionCase,
  type CheckKind,
  type PrivacyCheckRecord,
} from "../../src/cases/index.ts";
import { moveCase } from "../utils/weighing.ts";
import type { OperationContext } from "../../src/context/index.ts";
import { themeCovering } from "../../src/policy/index.ts";
import { fgReportFor, fgReportMarkdown, type FgReport } from "../../src/reports/index.ts";
import type { Actor } from "../../src/shared/index.ts";
import { actor, createReportWorld, datasetRef, must, type ReportWorld } from "./report-world.ts";

/**
 * Delft art. 9a: a year of activity scripted through the real use cases on a clock the test
 * drives, with activity in the year before and after that must not be counted; every number of
 * the report is checked against the script, and the report holds no personal data.
 */
const A = actor("analist.jansen", "analyst");
const B = actor("analist.bakker", "analyst");
const PO = actor("po.dewit", "privacy_officer");
const CO = actor("coord.peters", "coordinator");
const FG = actor("fg.mulder", "dpo");
const BSN = "999993653";
const REFERENCES = ["PREV-1", "PREV-2", "REP-2026-0", "REP-2026-PO", "REP-2026-HENNEP"];

let w: ReportWorld;
/** The refs a check approved by these datasets would record: under Maastricht none may. */
let HENNEP = "";
let HORECA = "";
/** The checks that fit their case's theme dataset, as the request returned them, with that theme. */
const fitting: { theme: string; check: PrivacyCheckRecord }[] = [];
let hash: string | undefined;
/** Every motivation the script used: none may appear in the report. */
const said: string[] = [];
const m = (text: string) => {
  said.push(text);
  return text;
};
const c = (who: Actor): OperationContext => w.ctx(who, hash ? { policyHash: hash } : {});
const at = (iso: string) => w.clock.set(iso);

async function open(reference: string, through: string[] = [], theme?: string): Promise<string> {
  const motivation = m(`Signal behind ${reference}.`);
  const id = must(await openCase(c(A), { reference, theme, motivation })).id;
  for (const to of through) must(await moveCase(c(A), id, to, m(`${reference} moves to ${to}.`)));
  return id;
}

interface Wanted {
  source?: string;
  fields?: string[];
  probes?: string[];
  subjects?: string[];
}

async function requested(caseId: string, kind: CheckKind, wanted: Wanted) {
  const motivation = m(`Check ${kind} ${said.length}: necessary for the case.`);
  const r = await requestPrivacyCheck(c(A), {
    caseId,
    kind,
    source: wanted.source ?? "brp",
    fields: wanted.fields ?? [],
    probes: wanted.probes ?? [],
    subjects: wanted.subjects,
    motivation,
  });
  return must(r);
}

/** A request the privacy officer has to advise on: it must not fit a theme dataset. */
async function request(caseId: string, kind: CheckKind, wanted: Wanted) {
  const check = await requested(caseId, kind, wanted);
  if (check.status !== "requested") throw new Error(`check ${check.id} was ${check.status}, not requested`);
  return check.id;
}

/**
 * A check 1 that fits the dataset of its case's theme. Under Delft (art. 16g-h) the dataset would
 * approve it; Maastricht has no such rule, so it must stay a request for the officer to advise on.
 */
async function fitsDataset(caseId: string, theme: string, wanted: Wanted) {
  const check = await requested(caseId, "1", wanted);
  if (check.status !== "requested")
    throw new Error(`check ${check.id} fits ${theme} and was ${check.status} by ${check.themeDataset}`);
  fitting.push({ theme, check });
  return check.id;
}

const advise = async (id: string, advice: "GO" | "NO_GO" | "PARTIAL", approved: object = {}) =>
  must(
    await advisePrivacyCheck(c(PO), { id, advice, motivation: m(`Advice ${advice} on ${id}.`), ...approved }),
  );

const denied = async (r: Promise<{ ok: boolean }>) => expect((await r).ok).toBe(false);

beforeAll(async () => {
  w = await createReportWorld();
  HENNEP = datasetRef(w.policy, "hennepteelt");
  HORECA = datasetRef(w.policy, "horeca");

  // 2025: must not be counted in 2026, except what happens to it in 2026.
  hash = "hash-2025";
  at("2025-11-10T09:00:00Z");
  const P1 = await open("PREV-1", ["weging", "bronnenonderzoek"]);
  at("2025-12-01T09:00:00Z");
  const C0 = await request(P1, "1", { probes: ["brp.ingeschreven"] });
  await advise(C0, "GO");
  at("2025-12-05T09:00:00Z");
  await denied(loadVisibleCase(c(B), P1, "case.read"));
  at("2025-12-20T09:00:00Z");
  const P2 = await open("PREV-2");

  // 2026, first half under another policy version.
  hash = "hash-2026-first-half";
  at("2026-01-05T09:00:00Z");
  must(await closeCase(c(A), P2, "ongegrond", m("Not a municipal task.")));
  at("2026-01-10T09:00:00Z");
  const K1 = await open("REP-2026-01", ["weging", "bronnenonderzoek"]);
  at("2026-01-15T09:00:00Z");
  const C1 = await request(K1, "1", { probes: ["brp.ingeschreven"] });
  await advise(C1, "GO");
  at("2026-01-16T09:00:00Z");
  const C2 = await request(K1, "1", { probes: ["brp.ingeschreven", "brp.binnenGemeente"] });
  await advise(C2, "NO_GO");
  must(await escalatePrivacyCheck(c(A), { id: C2, motivation: m("Registration decides the approach.") }));
  must(
    await decidePrivacyCheck(c(CO), { id: C2, decision: "GO", motivation: m("Proportionate after all.") }),
  );
  // A hemp case: its check 1 fits the hennepteelt dataset, but Maastricht lets no dataset stand
  // in for the advice, so the privacy officer advises on it like any other (H1 GO).
  at("2026-01-18T09:00:00Z");
  const KH = await open("REP-2026-HENNEP", ["weging", "bronnenonderzoek"], "hennepteelt");
  at("2026-01-20T09:00:00Z");
  const H1 = await fitsDataset(KH, "hennepteelt", {
    probes: ["brp.ingeschreven"],
    subjects: [`persoon:${BSN}`],
  });
  await advise(H1, "GO");
  at("2026-01-25T09:00:00Z");
  await denied(loadVisibleCase(c(B), K1, "case.read"));
  at("2026-02-01T09:00:00Z");
  must(await revokePrivacyCheck(c(PO), { id: C0, motivation: m("Research in PREV-1 ended.") }));
  await denied(openCase(c(PO), { reference: "REP-2026-PO", motivation: m("Officer tries to open.") }));
  const K2 = await open("REP-2026-02");
  at("2026-02-03T09:00:00Z");
  must(await closeCase(c(A), K2, "ongegrond", m("Signal unfounded.")));
  at("2026-02-15T09:00:00Z");
  must(await transitionCase(c(A), K1, "regie", m("Hits weighed: plan needed.")));
  at("2026-02-20T09:00:00Z");
  const C4 = await request(K1, "2a", { fields: ["naam.geslachtsnaam", "geboorte.datum"] });
  await advise(C4, "PARTIAL", { approvedFields: ["naam.geslachtsnaam"] });
  must(await escalatePrivacyCheck(c(A), { id: C4, motivation: m("Namesakes need the birth date.") }));
  must(
    await decidePrivacyCheck(c(CO), {
      id: C4,
      decision: "PARTIAL",
      approvedFields: ["naam.geslachtsnaam"],
      motivation: m("The advice stands."),
    }),
  );
  at("2026-03-01T09:00:00Z");
  const K3 = await open("REP-2026-03", ["weging"]);
  at("2026-03-05T09:00:00Z");
  must(
    await closeCase(c(A), K3, "doorgezet", m("Forwarded to the police."), {
      receiverKind: "partner",
      receiver: "Politie Limburg",
      handedOver: ["the signal and the verification result"],
    }),
  );
  at("2026-03-10T09:00:00Z");
  const C5 = await request(K1, "2b", { fields: ["naam.geslachtsnaam"] });
  await advise(C5, "GO");
  at("2026-03-12T09:00:00Z");
  const C6 = await request(K1, "2b", { fields: ["geboorte.datum"] });
  at("2026-03-13T09:00:00Z");
  await denied(advisePrivacyCheck(c(A), { id: C6, advice: "GO", motivation: m("Self-advice attempt.") }));
  at("2026-03-20T09:00:00Z");
  const C7 = await request(K1, "2a", { fields: ["naam.geslachtsnaam"] });
  await advise(C7, "NO_GO");
  must(await requestSecondOpinion(c(A), { id: C7, motivation: m("Is the NO_GO right?") }));
  at("2026-03-24T09:00:00Z");
  await denied(giveSecondOpinion(c(CO), { id: C7, opinion: "GO", motivation: m("Coordinator opinion.") }));
  at("2026-03-25T09:00:00Z");
  must(await giveSecondOpinion(c(FG), { id: C7, opinion: "NO_GO", motivation: m("The advice is right.") }));
  at("2026-04-01T09:00:00Z");
  // A horeca case. C3 would not fit the horeca dataset under any protocol (brp.binnenGemeente is
  // not in it); H3's permit probe fits it, and is advised all the same (H3 GO). H2 fits the
  // hennepteelt dataset and the officer still advises against it (H2 NO_GO).
  const K4 = await open("REP-2026-04", ["weging", "bronnenonderzoek"], "horeca");
  at("2026-04-04T09:00:00Z");
  const C3 = await request(K4, "1", { probes: ["brp.ingeschreven", "brp.binnenGemeente"] });
  await advise(C3, "PARTIAL", { approvedProbes: ["brp.ingeschreven"] });
  at("2026-04-05T09:00:00Z");
  const H2 = await fitsDataset(KH, "hennepteelt", { probes: ["brp.binnenGemeente"] });
  await advise(H2, "NO_GO");
  const H3 = await fitsDataset(K4, "horeca", { source: "permits", probes: ["permits.horeca"] });
  await advise(H3, "GO");
  at("2026-05-01T09:00:00Z");
  const K5 = await open("REP-2026-05", ["weging", "bronnenonderzoek", "regie"]);

  // 2026, second half under the loaded policy.
  hash = undefined;
  at("2026-06-01T09:00:00Z");
  must(await transitionCase(c(A), P1, "regie", m("PREV-1 gets a plan.")));
  at("2026-06-10T09:00:00Z");
  const C8 = await request(K5, "2a", { fields: ["naam.geslachtsnaam"] });
  await advise(C8, "GO");
  at("2026-06-11T09:00:00Z");
  must(await escalatePrivacyCheck(c(A), { id: C8, motivation: m("More is needed than advised.") }));
  at("2026-08-01T09:00:00Z");
  await denied(loadVisibleCase(c(B), K1, "case.read"));
  at("2026-08-02T09:00:00Z");
  await denied(transitionCase(c(B), K5, "afgesloten", m("Foreign move.")));
  at("2026-09-01T09:00:00Z");
  must(await requestSecondOpinion(c(PO), { id: C5, motivation: m("Was sharing proportionate?") }));
  at("2026-10-01T09:00:00Z");
  must(await revokePrivacyCheck(c(PO), { id: C5, motivation: m("The department no longer needs it.") }));
  at("2026-11-30T09:00:00Z");
  must(await closeCase(c(A), K1, "afgerond", m("Intervention done.")));
  at("2026-12-30T09:00:00Z");
  const K6 = await open("REP-2026-06");
  at("2026-12-31T23:00:00Z");
  const C9 = await request(K5, "2a", { fields: ["geboorte.datum"] });
  at("2026-12-31T23:59:58Z");
  must(await closeCase(c(A), K4, "geen_casus", m("No case after research.")));

  // 2027: must not be counted in 2026.
  hash = "hash-2027";
  at("2027-01-01T00:00:00Z");
  must(await transitionCase(c(A), K6, "weging", m("New year, next phase.")));
  at("2027-01-02T09:00:00Z");
  await advise(C9, "GO");
  at("2027-01-03T09:00:00Z");
  await request(K5, "2b", { fields: ["naam.geslachtsnaam"] });
  at("2027-01-10T09:00:00Z");
  must(
    await decidePrivacyCheck(c(CO), { id: C8, decision: "NO_GO", motivation: m("Not needed after all.") }),
  );
  await denied(loadVisibleCase(c(B), K5, "case.read"));
  at("2027-02-01T09:00:00Z");
});
afterAll(() => w.close());

const report = async (year: number): Promise<FgReport> => must(await fgReportFor(w.ctx(FG), year));

describe("FG annual report (Delft art. 9a)", () => {
  it("counts the privacy checks requested in the year by kind and by how the weighing stood at its end", async () => {
    const r = await report(2026);
    // 1: C1 GO; C2 NO_GO overruled to GO; C3 PARTIAL; H1 and H3 GO and H2 NO_GO: the three that
    //    fit a theme dataset, advised because Maastricht has no theme-dataset rule (before it was
    //    3 themeApproved; now go 2 -> 4, noGo 0 -> 1, themeApproved 3 -> 0).
    // 2a: C4 PARTIAL (the decision kept it); C7 NO_GO; C8 escalated and C9 requested on 31
    //     December, both settled only in 2027.
    // 2b: C5 GO (revoked later: the weighing still was GO); C6 never advised.
    // C0 (2025) and the 2b of 2027 are requested in other years.
    expect(r.checks.byKind).toEqual([
      { kind: "1", requested: 6, go: 4, noGo: 1, partial: 1, themeApproved: 0, pending: 0 },
      { kind: "2a", requested: 4, go: 0, noGo: 1, partial: 1, themeApproved: 0, pending: 2 },
      { kind: "2b", requested: 2, go: 1, noGo: 0, partial: 0, themeApproved: 0, pending: 1 },
    ]);
    // The sums of the rows: go C1, C2, H1, H3, C5; noGo H2, C7; partial C3, C4; pending C6, C8, C9.
    expect(r.checks.total).toEqual({
      requested: 12,
      go: 5,
      noGo: 2,
      partial: 2,
      themeApproved: 0,
      pending: 3,
    });
  });

  it("counts the steps of the year: deviations, escalations, opinions, revocations, lapses", async () => {
    const r = await report(2026);
    expect(r.steps).toEqual({
      decisions: 2, // C2, C4 (C8's decision falls in 2027)
      deviations: 1, // C2: GO against a NO_GO advice; C4's decision follows the advice
      escalations: 3, // C2, C4, C8
      revocations: 2, // C0 (a 2025 check, revoked in 2026) and C5
      // Maastricht has only forward transitions, so no approval can lapse here; lapses are
      // scripted under Delft's protocol in fg-report-delft.test.ts.
      lapsed: 0,
      secondOpinionsRequested: 2, // C7 by the analyst, C5 by the privacy officer
      secondOpinionsGiven: 1, // C7 by the FG; the coordinator's attempt was refused
    });
  });

  it("advises a check that fits a theme dataset: Maastricht lets no dataset approve", async () => {
    // Delft art. 16g-h, 19g is Delft's rule; the model protocol has no `themeDatasets:`.
    expect(w.policy.protocol.themeDatasets).toBeUndefined();
    // H1, H2 (hennepteelt) and H3 (horeca) each really fit their dataset: the same policy with
    // Delft's rule added covers them. Without that, this test would prove nothing.
    const withRule = { ...w.policy, protocol: { ...w.policy.protocol, themeDatasets: { article: "x" } } };
    expect(
      fitting.map(
        ({ theme, check }) =>
          themeCovering(withRule, theme, {
            kind: check.kind,
            source: check.source,
            fields: check.requestedFields,
            probes: check.requestedProbes,
            recipients: check.recipients,
          })?.theme,
      ),
    ).toEqual(["hennepteelt", "hennepteelt", "horeca"]);
    // As requested they stayed requests, recorded without a dataset; the officer then advised.
    expect(fitting.map(({ check }) => [check.status, check.themeDataset])).toEqual([
      ["requested", null],
      ["requested", null],
      ["requested", null],
    ]);
    for (const { check } of fitting)
      expect((await caseRepository.steps(w.db, check.id)).map((s) => s.kind)).toEqual([
        "requested",
        "advised",
      ]);
    const r = await report(2026);
    expect(r.themeApprovals).toEqual([]);
    expect(r.checks.total.themeApproved).toBe(0);
    // The refs a dataset approval would have recorded appear nowhere in the report.
    expect(HENNEP).toMatch(/^hennepteelt@2026-1 \(sha256:[0-9a-f]{12}\)$/);
    expect(HORECA).toMatch(/^horeca@2026-1 \(sha256:[0-9a-f]{12}\)$/);
    for (const text of [JSON.stringify(r), fgReportMarkdown(r)]) {
      expect(text).not.toContain(HENNEP);
      expect(text).not.toContain(HORECA);
    }
  });

  it("counts cases opened, entering each phase, closed per outcome and open at the end of the year", async () => {
    const r = await report(2026);
    expect(r.cases).toEqual({
      // REP-2026-01..06 and REP-2026-HENNEP; PREV-2 was opened in 2025.
      opened: 7,
      enteredPhase: [
        { phase: "intake", cases: 7 }, // every case opened in 2026
        { phase: "weging", cases: 5 }, // 01, 03, 04, 05, HENNEP
        { phase: "bronnenonderzoek", cases: 4 }, // 01, 04, 05, HENNEP
        { phase: "regie", cases: 3 }, // 01, 05 and PREV-1 (in June); 06 moves on only in 2027
      ],
      // PREV-2 and 02 ongegrond, 03 doorgezet, 04 geen_casus (two seconds before the year ends),
      // 01 afgerond.
      closed: 5,
      closedByOutcome: [
        { outcome: "ongegrond", cases: 2 },
        { outcome: "doorgezet", cases: 1 },
        { outcome: "geen_casus", cases: 1 },
        { outcome: "afgerond", cases: 1 },
      ],
      // 03 went to the police; 04 closed without handing anything over.
      exitsByReceiver: [
        { receiverKind: "gemeente", cases: 0 },
        { receiverKind: "afdeling", cases: 0 },
        { receiverKind: "partner", cases: 1 },
        { receiverKind: "riec", cases: 0 },
      ],
      openAtYearEnd: 4,
      openAtYearEndByPhase: [
        { phase: "intake", cases: 1 }, // 06
        { phase: "weging", cases: 0 },
        { phase: "bronnenonderzoek", cases: 1 }, // HENNEP
        { phase: "regie", cases: 2 }, // 05, PREV-1
      ],
    });
  });

  it("counts denied access attempts per operation and names the policy versions and protocol", async () => {
    const r = await report(2026);
    // Officer opening a case; analyst B reading 01 twice and moving 05; the analyst advising
    // their own C6; the coordinator giving a second opinion.
    expect(r.deniedAccess).toEqual({
      total: 6,
      byOperation: [
        { operation: "case.open", denied: 1 },
        { operation: "case.read", denied: 2 },
        { operation: "case.transition", denied: 1 },
        { operation: "check.advise", denied: 1 },
        { operation: "check.opinion", denied: 1 },
      ],
    });
    expect(r.policyHashes).toEqual(["hash-2026-first-half", w.policy.hash].sort());
    expect(r).toMatchObject({
      year: 2026,
      from: "2026-01-01T00:00:00.000Z",
      to: "2027-01-01T00:00:00.000Z",
      protocolId: "maastricht",
    });
  });

  it("keeps the years apart", async () => {
    const before = await report(2025);
    expect(before.checks.total).toMatchObject({ requested: 1, go: 1 });
    expect(before.cases).toMatchObject({ opened: 2, closed: 0, openAtYearEnd: 2 });
    expect(before.cases.openAtYearEndByPhase.filter((p) => p.cases > 0)).toEqual([
      { phase: "intake", cases: 1 },
      { phase: "bronnenonderzoek", cases: 1 },
    ]);
    expect(before.deniedAccess).toEqual({ total: 1, byOperation: [{ operation: "case.read", denied: 1 }] });
    expect(before.policyHashes).toEqual(["hash-2025"]);

    const after = await report(2027);
    expect(after.checks.total).toEqual({
      requested: 1,
      go: 0,
      noGo: 0,
      partial: 0,
      themeApproved: 0,
      pending: 1,
    });
    expect(after.steps).toMatchObject({ decisions: 1, deviations: 1, escalations: 0, revocations: 0 });
    expect(after.cases.opened).toBe(0);
    expect(after.cases.enteredPhase.filter((p) => p.cases > 0)).toEqual([{ phase: "weging", cases: 1 }]);
    expect(after.deniedAccess.total).toBe(1);
  });

  it("contains no BSN, no actor id, no motivation, no case reference or id, in JSON and in Markdown", async () => {
    const r = await report(2026);
    for (const text of [JSON.stringify(r), fgReportMarkdown(r)]) {
      expect(text).not.toContain(BSN);
      for (const who of [A, B, PO, CO, FG]) expect(text).not.toContain(who.subject);
      for (const motivation of said) expect(text).not.toContain(motivation);
      for (const reference of REFERENCES) expect(text).not.toContain(reference);
      expect(text).not.toMatch(/id-\d{4}/);
    }
  });

  it("renders Markdown with the article, the tables and the numbers", async () => {
    const md = fgReportMarkdown(await report(2026));
    expect(md).toMatch(/^# FG annual report 2026\n/);
    expect(md).toContain("Delft art. 9a");
    expect(md).toContain("| check 1 | 6 | 4 | 1 | 1 | 0 | 0 |");
    expect(md).toContain("| total | 12 | 5 | 2 | 2 | 0 | 3 |");
    expect(md).toContain("| of which deviations from the advice (Delft art. 16d-e) | 1 |");
    // No theme-dataset approvals under Maastricht (see above).
    expect(md).toContain("## Theme-dataset approvals in 2026\n\nNone.\n");
    expect(md).toContain("| case.read | 2 |");
    expect(md).toContain("- Open at the end of 2026: 4");
  });

  it("is logged as an access of the FG", async () => {
    await report(2026);
    const logged = await w.audit.list({ actor: FG.subject, kind: "access" });
    expect(logged.at(-1)).toMatchObject({
      operation: "report.fg",
      decision: "allow",
      detail: { year: 2026 },
    });
  });
});
