import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  advisePrivacyCheck,
  caseRepository,
  decidePrivacyCheck,
  escalatePrivacyCheck,
  openCase,
  requestPrivacyCheck,
  type Advice,
  type CheckKind,
} from "../../src/cases/index.ts";
import { moveCase } from "../utils/weighing.ts";
import { dpiaSampleFor, dpiaSampleMarkdown, sampleSize, type DpiaSample } from "../../src/reports/index.ts";
import { actor, createReportWorld, datasetRef, must, type ReportWorld } from "./report-world.ts";

/**
 * Delft art. 9c: the DPIA reviews at least 10% of the privacy checks. The sample is drawn
 * reproducibly from a seed, and each sampled check comes with its whole history. The world runs
 * under Delft's protocol, the one whose theme datasets approve checks (Delft art. 16g-h), so the
 * sample can hold a theme-approved check.
 */
const A = actor("analist.jansen", "analyst");
const PO = actor("po.dewit", "privacy_officer");
const CO = actor("coord.peters", "coordinator");
const FG = actor("fg.mulder", "dpo");
const BSNS = ["999993653", "999990019"];

let w: ReportWorld;
/** Ids of the checks requested in 2026, the population of the 2026 sample. */
const population: string[] = [];
let escalatedCheck = "";
let themeCheck = "";

async function caseIn(reference: string, through: string[], theme?: string): Promise<string> {
  const id = must(await openCase(w.ctx(A), { reference, theme, motivation: "A signal." })).id;
  for (const to of through) must(await moveCase(w.ctx(A), id, to, `To ${to}.`));
  return id;
}

async function check(caseId: string, kind: CheckKind, n: number, advice?: Advice): Promise<string> {
  const id = must(
    await requestPrivacyCheck(w.ctx(A), {
      caseId,
      kind,
      source: "brp",
      fields: kind === "1" ? [] : ["naam.geslachtsnaam", "geboorte.datum"],
      probes: kind === "1" ? ["brp.ingeschreven", "brp.binnenGemeente"] : [],
      motivation: `Check number ${n} is needed.`,
    }),
  ).id;
  if (advice) {
    const partial =
      kind === "1" ? { approvedProbes: ["brp.ingeschreven"] } : { approvedFields: ["naam.geslachtsnaam"] };
    must(
      await advisePrivacyCheck(w.ctx(PO), {
        id,
        advice,
        motivation: `Advice ${advice} on number ${n}.`,
        ...(advice === "PARTIAL" ? partial : {}),
      }),
    );
  }
  return id;
}

const ADVICE: (Advice | undefined)[] = ["GO", "NO_GO", "PARTIAL", undefined];

beforeAll(async () => {
  w = await createReportWorld({ protocolFile: "protocol-delft.yaml" });
  w.clock.set("2025-06-01T09:00:00Z");
  const old = await caseIn("DPIA-2025", ["zwaarte", "bronnenonderzoek"]);
  for (let n = 0; n < 2; n++) await check(old, "1", n, "GO");

  w.clock.set("2026-02-01T09:00:00Z");
  const x = await caseIn("DPIA-X", ["zwaarte", "bronnenonderzoek"]);
  for (let n = 0; n < 20; n++) population.push(await check(x, "1", n, ADVICE[n % 4]));
  escalatedCheck = population[1]!;
  must(await escalatePrivacyCheck(w.ctx(A), { id: escalatedCheck, motivation: "Registration matters." }));
  must(
    await decidePrivacyCheck(w.ctx(CO), { id: escalatedCheck, decision: "GO", motivation: "Proportionate." }),
  );
  // A hemp case: a check 1 within the hennepteelt dataset is approved by it without advice.
  const hemp = await caseIn("DPIA-H", ["zwaarte", "bronnenonderzoek"], "hennepteelt");
  themeCheck = must(
    await requestPrivacyCheck(w.ctx(A), {
      caseId: hemp,
      kind: "1",
      source: "brp",
      fields: [],
      probes: ["brp.ingeschreven"],
      subjects: BSNS.map((b) => `persoon:${b}`),
      motivation: "Hemp theme.",
    }),
  ).id;
  population.push(themeCheck);

  w.clock.set("2026-05-01T09:00:00Z");
  // Step 4 (plan_van_aanpak), where checks 2a and 2b are asked for (Delft art. 19-20).
  const y = await caseIn("DPIA-Y", ["zwaarte", "bronnenonderzoek", "plan_van_aanpak"]);
  for (let n = 20; n < 40; n++) population.push(await check(y, n % 2 ? "2a" : "2b", n, ADVICE[n % 4]));

  w.clock.set("2027-01-05T09:00:00Z");
  for (let n = 40; n < 42; n++) await check(y, "2a", n, "GO");
  w.clock.set("2027-02-01T09:00:00Z");
});
afterAll(() => w.close());

const sample = async (seed: string, fraction?: number): Promise<DpiaSample> =>
  must(await dpiaSampleFor(w.ctx(FG), { year: 2026, seed, fraction }));

/** The rule, computed here independently: sha256("<seed>:<id>") ascending, the first ceil(n x f). */
/** The random draw, then the deviating check if the draw missed it. */
const withDeviation = (drawn: string[]) =>
  drawn.includes(escalatedCheck) ? drawn : [...drawn, escalatedCheck];
const expectedIds = (seed: string, take: number) =>
  population
    .map((id) => ({ id, key: createHash("sha256").update(`${seed}:${id}`).digest("hex") }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .slice(0, take)
    .map((x) => x.id);

describe("DPIA sample (Delft art. 9c)", () => {
  it("takes ceil(10%) of the year's checks by default, in the order of sha256(seed:id)", async () => {
    const s = await sample("dpia-2026");
    expect(s).toMatchObject({
      year: 2026,
      seed: "dpia-2026",
      fraction: 0.1,
      population: 41,
      size: 5,
      deviations: 1,
    });
    expect(s.entries.map((e) => e.checkId)).toEqual(withDeviation(expectedIds("dpia-2026", 5)));
    expect((await sample("dpia-2026", 0.5)).size).toBe(21);
  });

  it("draws the same sample from the same seed and another one from another seed", async () => {
    const first = await sample("seed-one");
    const again = await sample("seed-one");
    expect({ ...again, generatedAt: "" }).toEqual({ ...first, generatedAt: "" });
    const other = await sample("seed-two");
    expect(other.entries.map((e) => e.checkId)).not.toEqual(first.entries.map((e) => e.checkId));
    expect(other.entries.map((e) => e.checkId)).toEqual(withDeviation(expectedIds("seed-two", 5)));
  });

  it("adds every check with a deviating decision, whatever the draw (Delft art. 9c: 'and any deviations')", async () => {
    for (const seed of ["seed-one", "seed-two", "seed-three", "dpia-2026"]) {
      const s = await sample(seed);
      const drawn = expectedIds(seed, 5);
      const deviating = s.entries.find((e) => e.checkId === escalatedCheck);
      expect(deviating?.drawnFor).toEqual(
        drawn.includes(escalatedCheck) ? ["random", "deviation"] : ["deviation"],
      );
      for (const e of s.entries.filter((x) => x.checkId !== escalatedCheck))
        expect(e.drawnFor).toEqual(["random"]);
    }
  });

  it("gives every sampled check with its whole history, as the repository holds it", async () => {
    const all = await sample("everything", 1);
    expect(all.entries.map((e) => e.checkId).sort()).toEqual([...population].sort());
    for (const e of all.entries) {
      const record = (await caseRepository.getCheck(w.db, e.checkId))!;
      const owner = (await caseRepository.get(w.db, record.caseId))!;
      expect(e).toEqual({
        checkId: record.id,
        caseId: record.caseId,
        caseReference: owner.reference,
        kind: record.kind,
        source: record.source,
        status: record.status,
        requestedAt: record.requestedAt.toISOString(),
        requestedFields: record.requestedFields,
        requestedProbes: record.requestedProbes,
        approvedFields: record.approvedFields,
        approvedProbes: record.approvedProbes,
        recipients: record.recipients,
        subjectCount: record.subjects.length,
        themeDataset: record.themeDataset,
        motivation: record.motivation,
        drawnFor: e.checkId === escalatedCheck ? ["random", "deviation"] : ["random"],
        steps: (await caseRepository.steps(w.db, e.checkId)).map(({ seq: _seq, checkId: _id, ...s }) => ({
          ...s,
          at: s.at.toISOString(),
        })),
      });
    }
    const escalated = all.entries.find((e) => e.checkId === escalatedCheck)!;
    expect(escalated.steps.map((s) => [s.kind, s.actor, s.advice, s.deviation])).toEqual([
      ["requested", "analist.jansen", null, false],
      ["advised", "po.dewit", "NO_GO", false],
      ["escalated", "analist.jansen", null, false],
      ["decided", "coord.peters", "GO", true],
    ]);
    const theme = all.entries.find((e) => e.checkId === themeCheck)!;
    expect(theme).toMatchObject({
      caseReference: "DPIA-H",
      subjectCount: 2,
      themeDataset: datasetRef(w.policy, "hennepteelt"),
      status: "approved",
      approvedProbes: ["brp.ingeschreven"],
    });
    expect(theme.steps.map((s) => s.kind)).toEqual(["requested", "theme_approved"]);
  });

  it("carries the number of subjects, never their keys, in JSON and Markdown", async () => {
    const all = await sample("everything", 1);
    for (const text of [JSON.stringify(all), dpiaSampleMarkdown(all)]) {
      for (const bsn of BSNS) expect(text).not.toContain(bsn);
      expect(text).not.toContain("persoon:");
    }
  });

  it("renders Markdown with the article, the method and each check's history", async () => {
    const s = await sample("dpia-2026");
    const md = dpiaSampleMarkdown(s);
    expect(md).toMatch(/^# DPIA sample of privacy checks 2026\n/);
    expect(md).toContain("Delft art. 9c");
    expect(md).toContain("- Seed: `dpia-2026`");
    expect(md).toContain(
      "- Sample: 5 checks drawn at random (fraction 0.1), plus every check with a deviation (1 in 2026)",
    );
    for (const [i, e] of s.entries.entries()) {
      expect(md).toContain(`## ${i + 1}. Check \`${e.checkId}\``);
      expect(md).toContain(`| motivation | ${e.motivation} |`);
      expect(md).toContain(`| 1 | requested | analist.jansen | ${e.steps[0]!.at} |`);
    }
  });

  it("is empty for a year without checks", async () => {
    const empty = must(await dpiaSampleFor(w.ctx(FG), { year: 2030, seed: "x" }));
    expect(empty).toMatchObject({ population: 0, size: 0, entries: [] });
    expect(dpiaSampleMarkdown(empty)).toContain("No checks to sample.");
  });

  it.each([
    [{ seed: "s", fraction: 0.09 }, /fraction: at least 0\.1/],
    [{ seed: "s", fraction: 0 }, /fraction: at least 0\.1/],
    [{ seed: "s", fraction: 1.01 }, /fraction: at most 1/],
    [{ seed: "s", fraction: Number.NaN }, /fraction: a number/],
    [{ seed: "" }, /seed: a non-empty seed/],
    [{ seed: "   " }, /seed: a non-empty seed/],
  ])("refuses %j", async (input, message) => {
    const r = await dpiaSampleFor(w.ctx(FG), { year: 2026, ...input });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe("bad_input");
      expect(r.error.message).toMatch(message);
    }
  });

  it("rounds the size up without binary rounding errors", () => {
    expect([sampleSize(30, 0.1), sampleSize(41, 0.1), sampleSize(0, 0.1), sampleSize(7, 1)]).toEqual([
      3, 5, 0, 7,
    ]);
    expect(sampleSize(1, 0.1)).toBe(1);
  });

  it("is for the FG only, and both the refusal and the sample are logged", async () => {
    const refused = await dpiaSampleFor(w.ctx(A), { year: 2026, seed: "s" });
    expect(refused).toEqual({ ok: false, error: { kind: "forbidden", message: "Not permitted." } });
    expect((await w.audit.list({ actor: A.subject, kind: "access" })).at(-1)).toMatchObject({
      operation: "report.dpia",
      decision: "deny",
      detail: { year: 2026 },
    });
    await sample("logged", 0.2);
    expect((await w.audit.list({ actor: FG.subject, kind: "access" })).at(-1)).toMatchObject({
      operation: "report.dpia",
      decision: "allow",
      detail: { year: 2026, seed: "logged", fraction: 0.2 },
    });
  });
});
