import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purge } from "../../src/retention/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * Issue 11, "reporter data apart": the reporter's name and contact go when the case records that
 * receipt was acknowledged, "or by the protocol's rule" — `reporter.retention` in the protocol
 * file (Maastricht P30D, art. 6.1; Delft P14D, art. 4). The retention job destroys what is older,
 * with an audit record per signal, and leaves younger reporters alone.
 */
let t: TestApp;
let analyst: string;
let n = 0;

beforeAll(async () => {
  t = await startTestApp();
  analyst = await t.token("analist.jansen", "analyst");
});
afterAll(() => t.close());

async function signalWithReporter(): Promise<string> {
  const r = await t.gql(
    analyst,
    `mutation($r: String!) { openCase(input: { reference: $r, motivation: "A shop with covered windows.",
      reporter: { name: "A. Melder", contact: "a.melder@example.nl" } }) { id } }`,
    { r: `REPORTER-RULE-${++n}` },
  );
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return (r.data as { openCase: { id: string } }).openCase.id;
}

const row = async (caseId: string) =>
  (
    await t.app.db.query<{ name: string | null; contact: string | null; destroyed_reason: string | null }>(
      "SELECT name, contact, destroyed_reason FROM signal_reporters WHERE case_id = $1",
      [caseId],
    )
  )[0];

describe("the reporter's data by the protocol's rule (Maastricht art. 6.1)", () => {
  it("the protocol file says when: 30 days in the Maastricht model", () => {
    expect(t.app.policy.protocol.reporter).toMatchObject({
      retention: "P30D",
      article: "Maastricht art. 6.1",
    });
  });

  it("keeps a reporter younger than the rule, destroys one past it, with an audit record", async () => {
    const caseId = await signalWithReporter();
    const soon = await purge({
      db: t.app.db,
      audit: t.app.audit,
      policy: t.app.policy,
      clock: { now: () => new Date(Date.now() + 29 * 86_400_000) },
    });
    expect(soon.reportersDestroyed).toBe(0);
    expect(await row(caseId)).toMatchObject({ name: "A. Melder", destroyed_reason: null });

    const later = await purge({
      db: t.app.db,
      audit: t.app.audit,
      policy: t.app.policy,
      clock: { now: () => new Date(Date.now() + 31 * 86_400_000) },
    });
    expect(later.reportersDestroyed).toBeGreaterThanOrEqual(1);
    expect(await row(caseId)).toEqual({ name: null, contact: null, destroyed_reason: "protocol" });
    const records = (await t.app.audit.list({ caseId, limit: 1000 })).filter(
      (r) => r.kind === "retention" && r.operation === "reporter.destroy",
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.reason).toContain("Maastricht art. 6.1");
    expect(JSON.stringify(records[0])).not.toContain("Melder");

    // Nothing twice: a further run finds nothing left to destroy for this signal.
    const again = await purge({
      db: t.app.db,
      audit: t.app.audit,
      policy: t.app.policy,
      clock: { now: () => new Date(Date.now() + 32 * 86_400_000) },
    });
    expect(again.reportersDestroyed).toBe(0);
  });
});
