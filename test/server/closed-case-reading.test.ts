import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { errorCodes } from "../utils/test-app.ts";
import type { Role } from "../../src/shared/index.ts";

/**
 * Issue 11, closed cases (Delft art. 21d): once a case is closed, its signal text (the opening
 * motivation) and its history with the motivations are readable only by the roles the protocol
 * file names in `closedCaseReaders` (legal and dpo in both protocol files). Everyone who could see
 * the case still sees its metadata; the history is empty for them, as for a role without it.
 */
let h: HttpApp;
let closedId: string;
let openId: string;

beforeAll(async () => {
  h = await startHttpApp();
  closedId = (await h.t.demoCase("afgesloten")).id;
  openId = (await h.t.demoCase("regie")).id;
});
afterAll(() => h.close());

const HISTORY = `query($id: ID!) { case(id: $id) { id status transitions { kind motivation } } }`;

async function historyOf(sub: string, role: Role, id: string) {
  const r = await h.post(HISTORY, { token: await h.t.token(sub, role), variables: { id } });
  expect(errorCodes(r.body), JSON.stringify(r.body)).toEqual({});
  return (r.body.data as { case: { status: string; transitions: { kind: string; motivation: string }[] } })
    .case;
}

describe("a closed case's signal text and history only for closedCaseReaders (Delft art. 21d)", () => {
  it.each([
    ["analist.jansen", "analyst"],
    ["analist.devries", "analyst"],
    ["privacy.officer", "privacy_officer"],
    ["coordinator", "coordinator"],
    ["beheerder", "beheerder"],
  ] as const)("%s (%s) sees the closed case but not its history", async (sub, role) => {
    const c = await historyOf(sub, role, closedId);
    expect(c.status).toBe("CLOSED");
    expect(c.transitions).toEqual([]);
  });

  it.each([
    ["fg", "dpo"],
    ["jurist", "legal"],
  ] as const)("%s (%s) reads the signal text and the whole history", async (sub, role) => {
    const c = await historyOf(sub, role, closedId);
    const stored = await h.t.app.db.query<{ kind: string; motivation: string }>(
      "SELECT kind, motivation FROM case_events WHERE case_id = $1 ORDER BY seq",
      [closedId],
    );
    expect(stored.length).toBeGreaterThan(1);
    expect(stored[0]?.kind).toBe("opened");
    expect(c.transitions).toEqual(stored);
    expect(stored.at(-1)?.kind).toBe("closed");
  });

  it("an open case keeps its history for its analysts, and legal reads none of it", async () => {
    expect((await historyOf("analist.jansen", "analyst", openId)).transitions.length).toBeGreaterThan(0);
    expect((await historyOf("jurist", "legal", openId)).transitions).toEqual([]);
  });

  it("the owner loses the history the moment the case closes", async () => {
    const owner = await h.t.token("analist.jansen", "analyst");
    const weging = await h.t.demoCase("weging");
    expect((await historyOf("analist.jansen", "analyst", weging.id)).transitions.length).toBeGreaterThan(0);
    const closed = await h.post(
      `mutation($id: ID!) { closeCase(id: $id, outcome: "ongegrond", motivation: "No ground.") { status transitions { kind } } }`,
      { token: owner, variables: { id: weging.id } },
    );
    expect(closed.body.errors, JSON.stringify(closed.body)).toBeUndefined();
    expect(closed.body.data).toEqual({ closeCase: { status: "CLOSED", transitions: [] } });
    expect((await historyOf("fg", "dpo", weging.id)).transitions.map((t) => t.kind).at(-1)).toBe("closed");
  });
});
