import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";
import { loadPolicySet } from "../../src/policy/index.ts";
import {
  addDuration,
  auditRetentionRule,
  caseRetentionRule,
  parseIsoDuration,
  subtractDuration,
} from "../../src/retention/index.ts";

describe("ISO-8601 durations", () => {
  it.each([
    ["2025-01-06T09:00:00Z", "P0D", "2025-01-06T09:00:00.000Z"],
    ["2025-01-06T09:00:00Z", "P14D", "2025-01-20T09:00:00.000Z"],
    ["2025-01-06T09:00:00Z", "P2W", "2025-01-20T09:00:00.000Z"],
    ["2025-01-06T09:00:00Z", "P1Y", "2026-01-06T09:00:00.000Z"],
    ["2025-01-06T09:00:00Z", "P5Y", "2030-01-06T09:00:00.000Z"],
    ["2025-01-31T09:00:00Z", "P1M", "2025-02-28T09:00:00.000Z"],
    ["2024-02-29T09:00:00Z", "P1Y", "2025-02-28T09:00:00.000Z"],
    ["2024-02-29T09:00:00Z", "P4Y", "2028-02-29T09:00:00.000Z"],
    ["2025-12-31T23:30:00Z", "PT1H", "2026-01-01T00:30:00.000Z"],
    ["2025-11-30T00:00:00Z", "P1Y2M3DT4H5M6S", "2027-02-02T04:05:06.000Z"],
  ])("%s + %s = %s (UTC, month ends clamped as PostgreSQL does)", (at, duration, expected) => {
    expect(addDuration(new Date(at), duration).toISOString()).toBe(expected);
  });

  it("subtracts the same way", () => {
    expect(subtractDuration(new Date("2030-01-06T09:00:00Z"), "P5Y").toISOString()).toBe(
      "2025-01-06T09:00:00.000Z",
    );
    expect(subtractDuration(new Date("2025-03-31T00:00:00Z"), "P1M").toISOString()).toBe(
      "2025-02-28T00:00:00.000Z",
    );
  });

  it("refuses what is not a duration", () => {
    expect(parseIsoDuration("P")).toBeUndefined();
    expect(parseIsoDuration("1 jaar")).toBeUndefined();
    expect(parseIsoDuration("P1.5Y")).toBeUndefined();
    expect(() => addDuration(new Date(), "PT")).toThrow(RangeError);
  });
});

describe("retention rules in the protocol file", () => {
  it("describes each rule with its article, as the destruction records name it", async () => {
    const loaded = await loadPolicySet("policies");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    const protocol = loaded.value.protocol;
    expect(caseRetentionRule(protocol, "geen_casus")).toMatchObject({
      outcome: "geen_casus",
      retention: "P1Y",
      description: "outcome geen_casus: P1Y after closing (Maastricht art. 10.2b, art. 18.2a, art. 18.3a)",
      legalBasis: expect.stringContaining("Maastricht art. 10.2b"),
    });
    expect(caseRetentionRule(protocol, "unknown")).toBeUndefined();
    expect(auditRetentionRule(protocol)).toMatchObject({
      retention: "P5Y",
      description: "audit records: P5Y after writing (Delft art. 7d, Maastricht art. 10.3)",
    });
  });

  /** A copy of the policy folder with `protocol.yaml` edited. */
  async function loadEdited(edit: (yaml: string) => string) {
    const dir = mkdtempSync(join(tmpdir(), "poortwachter-retention-policy-"));
    try {
      cpSync("policies", dir, { recursive: true });
      const file = join(dir, "protocol.yaml");
      writeFileSync(file, edit(readFileSync(file, "utf8")));
      return await loadPolicySet(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const problemsOf = (result: Awaited<ReturnType<typeof loadEdited>>) =>
    result.ok ? [] : result.error.problems.map((p) => `${p.file}: ${p.path}: ${p.reason}`);

  it("refuses an outcome without a legal basis, naming it (Maastricht art. 10.1, 10.3)", async () => {
    const result = await loadEdited((y) =>
      y.replace(/\n {4}legalBasis: "[^"]*Maastricht art\. 10\.2b[^"]*"/, ""),
    );
    expect(problemsOf(result)).toStrictEqual([
      "protocol.yaml: outcomes[2].legalBasis: every outcome needs the legal basis of its destruction (Maastricht art. 10.1, 10.3)",
    ]);
  });

  it("refuses a protocol that does not say how long audit records are kept (Delft art. 7d)", async () => {
    const result = await loadEdited((y) => y.slice(0, y.indexOf("auditRetention:")));
    expect(problemsOf(result)).toStrictEqual([
      "protocol.yaml: auditRetention: say how long audit records are kept, with its legal basis and article (Delft art. 7d)",
    ]);
  });

  it.each([
    [
      "an audit retention that is not a duration",
      (y: string) => y.replace("  retention: P5Y\n  legalBasis", "  retention: 5 jaar\n  legalBasis"),
      "auditRetention.retention",
    ],
    [
      "an empty legal basis",
      (y: string) => y.replace(/legalBasis: "[^"]*10\.2a: personal data[^"]*"/, 'legalBasis: ""'),
      "outcomes[0].legalBasis",
    ],
    [
      "an audit retention without its article",
      (y: string) => y.replace(/\n {2}article: Delft art\. 7d.*/, ""),
      "auditRetention.article",
    ],
  ])("refuses %s", async (_what, edit, path) => {
    const problems = problemsOf(await loadEdited(edit));
    expect(
      problems.some((p) => p.startsWith(`protocol.yaml: ${path}:`)),
      problems.join("\n"),
    ).toBe(true);
  });
});

describe("RETENTION_INTERVAL_MINUTES", () => {
  const config = (value?: string) =>
    loadConfig({ DEMO_MODE: "true", ...(value === undefined ? {} : { RETENTION_INTERVAL_MINUTES: value }) });

  it("runs the job every 60 minutes by default; 0 turns it off", () => {
    expect(config()).toMatchObject({ ok: true, value: { retentionIntervalMinutes: 60 } });
    expect(config("0")).toMatchObject({ ok: true, value: { retentionIntervalMinutes: 0 } });
    expect(config("1440")).toMatchObject({ ok: true, value: { retentionIntervalMinutes: 1440 } });
  });

  it.each(["-1", "1.5", "often", "20000"])("refuses %s, naming the setting", (value) => {
    const result = config(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.problems.join("\n")).toMatch(/^RETENTION_INTERVAL_MINUTES: /m);
  });
});
