import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/shared/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * The FG's reports through GraphQL (Delft art. 9a, 9c): only a role granted report.read (the dpo)
 * gets them; every other role is FORBIDDEN; allowed and refused requests are both in the audit log.
 */
let t: TestApp;
let fg: string;
const year = new Date().getUTCFullYear();

const FG_REPORT = `query($year: Int!) { fgReport(year: $year) {
  year from to protocolId policyHashes
  checks { total { kind requested go noGo partial themeApproved pending } byKind { kind requested } }
  steps { decisions deviations escalations revocations lapsed secondOpinionsRequested secondOpinionsGiven }
  themeApprovals { dataset approvals }
  cases { opened enteredPhase { phase cases } closed closedByOutcome { outcome cases } openAtYearEnd }
  deniedAccess { total byOperation { operation denied } } } }`;

const DPIA = `query($year: Int!, $seed: String!, $fraction: Float) {
  dpiaSample(year: $year, seed: $seed, fraction: $fraction) {
    year seed fraction population size method
    entries { checkId caseId caseReference kind source status requestedFields approvedFields subjectCount
      themeDataset motivation history { kind actor at advice fields probes motivation deviation } } } }`;

beforeAll(async () => {
  t = await startTestApp();
  fg = await t.token("fg", "dpo");
});
afterAll(() => t.close());

const code = (r: { errors?: readonly { extensions?: { code?: unknown } }[] }) =>
  r.errors?.[0]?.extensions?.code;

describe("fgReport and dpiaSample", () => {
  it("give the dpo the FG report of a year, and log the access", async () => {
    const r = await t.gql(fg, FG_REPORT, { year });
    expect(r.errors).toBeUndefined();
    const report = r.data?.fgReport as {
      year: number;
      protocolId: string;
      policyHashes: string[];
      checks: { total: { kind: string | null; requested: number }; byKind: { kind: string }[] };
    };
    expect(report).toMatchObject({ year, protocolId: "maastricht" });
    expect(report.policyHashes).toContain(t.app.policy.hash);
    expect(report.checks.total.kind).toBeNull();
    expect(report.checks.byKind.map((k) => k.kind)).toEqual(["CHECK_1", "CHECK_2A", "CHECK_2B"]);
    const logged = await t.app.audit.list({ actor: "fg", kind: "access" });
    expect(logged.at(-1)).toMatchObject({ operation: "report.fg", decision: "allow", detail: { year } });
  });

  it("give the dpo the DPIA sample with each check's history", async () => {
    const r = await t.gql(fg, DPIA, { year, seed: "graphql" });
    expect(r.errors).toBeUndefined();
    const sample = r.data?.dpiaSample as {
      fraction: number;
      population: number;
      size: number;
      entries: { kind: string; status: string; history: { kind: string; at: string }[] }[];
    };
    expect(sample.fraction).toBe(0.1);
    expect(sample.population).toBeGreaterThan(0);
    expect(sample.size).toBe(Math.ceil(sample.population / 10));
    expect(sample.entries).toHaveLength(sample.size);
    for (const e of sample.entries) {
      expect(e.kind).toMatch(/^CHECK_(1|2A|2B)$/);
      expect(e.status).toMatch(/^[A-Z_]+$/);
      expect(e.history[0]?.kind).toBe("requested");
      expect(new Date(e.history[0]!.at).getUTCFullYear()).toBe(year);
    }
    const logged = await t.app.audit.list({ actor: "fg", kind: "access" });
    expect(logged.at(-1)).toMatchObject({
      operation: "report.dpia",
      decision: "allow",
      detail: { year, seed: "graphql", fraction: 0.1 },
    });
  });

  it.each<[string, Role, string | undefined]>([
    ["analist.jansen", "analyst", undefined],
    ["privacy.officer", "privacy_officer", undefined],
    ["coordinator", "coordinator", undefined],
    ["medewerker.vergunningen", "department_member", "vergunningen"],
  ])("refuse %s (%s) with FORBIDDEN and log the refusal", async (sub, role, department) => {
    const token = await t.token(sub, role, department);
    const report = await t.gql(token, FG_REPORT, { year });
    expect(code(report)).toBe("FORBIDDEN");
    expect(report.data).toBeNull();
    const sample = await t.gql(token, DPIA, { year, seed: "s" });
    expect(code(sample)).toBe("FORBIDDEN");
    // A refused caller learns nothing about the input either.
    expect(code(await t.gql(token, FG_REPORT, { year: 1999 }))).toBe("FORBIDDEN");
    const logged = (await t.app.audit.list({ actor: sub, kind: "access" })).filter((x) =>
      x.operation.startsWith("report."),
    );
    expect(logged.map((x) => [x.operation, x.decision, x.detail])).toEqual([
      ["report.fg", "deny", { year }],
      ["report.dpia", "deny", { year }],
      ["report.fg", "deny", { year: 1999 }],
    ]);
  });

  it.each([
    [FG_REPORT, { year: 1999 }, "year: a calendar year from 2000 to 2100"],
    [FG_REPORT, { year: 2101 }, "year: a calendar year from 2000 to 2100"],
    [DPIA, { year, seed: "s", fraction: 0.05 }, "fraction: at least 0.1"],
    [DPIA, { year, seed: "", fraction: 0.5 }, "seed: a non-empty seed"],
  ])("answer BAD_USER_INPUT to bad input from the dpo (%#)", async (query, variables, message) => {
    const r = await t.gql(fg, query, variables);
    expect(code(r)).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toContain(message);
  });
});
