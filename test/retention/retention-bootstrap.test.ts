import { afterEach, describe, expect, it } from "vitest";
import { destructionRecords } from "../../src/retention/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";
import { dataOf } from "../utils/workflow-fixtures.ts";

/** The gateway schedules the retention job itself (RETENTION_INTERVAL_MINUTES) and stops it on close. */
describe("the retention schedule inside the gateway", () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.close()));
  });

  it("is off with RETENTION_INTERVAL_MINUTES=0", async () => {
    const t = await startTestApp({ env: { RETENTION_INTERVAL_MINUTES: "0" } });
    apps.push(t);
    expect(t.app.retention).toBeUndefined();
  });

  it("destroys a case closed as ongegrond (P0D) on its next run; the analyst no longer finds it", async () => {
    const t = await startTestApp();
    apps.push(t);
    const analyst = await t.token("analist.jansen", "analyst");
    const coordinator = await t.token("coordinator", "coordinator");
    const { id } = dataOf<{ id: string }>(
      await t.gql(
        analyst,
        `mutation { openCase(input: { reference: "SCHED-1", motivation: "Signal about a bar on the Markt." }) { id } }`,
      ),
      "openCase",
    );
    dataOf(
      await t.gql(
        analyst,
        `mutation($id: ID!) { closeCase(id: $id, outcome: "ongegrond", motivation: "Ungrounded.") { status } }`,
        {
          id,
        },
      ),
      "closeCase",
    );

    const report = await t.app.retention!.runNow();
    expect(report?.failed).toStrictEqual([]);
    expect(report?.destroyed.map((d) => d.caseId)).toStrictEqual([id]);
    // The demo's closed case (afgerond, P5Y) is not due.
    expect(report?.plan.notYetDue).toBe(1);
    expect(await destructionRecords.list(t.app.db, { caseId: id })).toHaveLength(1);

    const mine = await t.gql(analyst, `query($id: ID!) { case(id: $id) { id } }`, { id });
    expect(mine.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const skeleton = dataOf<{ reference: string; status: string }>(
      await t.gql(coordinator, `query($id: ID!) { case(id: $id) { reference status } }`, { id }),
      "case",
    );
    expect({ ...skeleton }).toStrictEqual({ reference: `destroyed:${id}`, status: "CLOSED" });
  });
});
