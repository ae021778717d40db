import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { errorCodes } from "../utils/test-app.ts";

/**
 * Issue 11, "reporter data apart" (Maastricht art. 6.1; Delft art. 4): the reporter's name and
 * contact are stored apart from the signal, readable only by the case's analysts (each read
 * audited), and destroyed when the case records that receipt was acknowledged, with a destruction
 * record; the purge destroys them with the case too (test/retention).
 */
let h: HttpApp;
let owner: string;
let caseId: string;

const REPORTER = { name: "Mevrouw A. Melder", contact: "a.melder@example.nl" };
const READ = `query($id: ID!) { case(id: $id) { reporter { name contact recordedAt acknowledgedAt destroyedAt destroyedReason } } }`;

beforeAll(async () => {
  h = await startHttpApp();
  owner = await h.t.token("analist.jansen", "analyst");
  const opened = await h.post(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, {
    token: owner,
    variables: {
      input: { reference: "REPORTER-1", motivation: "A shop with covered windows.", reporter: REPORTER },
    },
  });
  expect(opened.body.errors, JSON.stringify(opened.body.errors)).toBeUndefined();
  caseId = (opened.body.data as { openCase: { id: string } }).openCase.id;
});
afterAll(() => h.close());

describe("the reporter's data (issue 11)", () => {
  it("are kept apart from the signal: not in the case history, not in the audit log", async () => {
    const history = await h.post(`query($id: ID!) { case(id: $id) { transitions { motivation } } }`, {
      token: owner,
      variables: { id: caseId },
    });
    expect(JSON.stringify(history.body)).not.toContain(REPORTER.name);
    const records = await h.t.app.audit.list({ caseId, limit: 1000 });
    expect(JSON.stringify(records)).not.toContain(REPORTER.name);
    expect(JSON.stringify(records)).not.toContain(REPORTER.contact);
  });

  it("are read by the case's analysts only, each read audited", async () => {
    const before = (await h.t.app.audit.list({ caseId, limit: 1000 })).filter(
      (r) => r.operation === "case.reporter.read",
    ).length;
    const mine = await h.post(READ, { token: owner, variables: { id: caseId } });
    expect(mine.body.data).toMatchObject({ case: { reporter: { ...REPORTER, destroyedAt: null } } });
    const after = (await h.t.app.audit.list({ caseId, limit: 1000 })).filter(
      (r) => r.operation === "case.reporter.read",
    );
    expect(after.length).toBe(before + 1);

    for (const [sub, role] of [
      ["privacy.officer", "privacy_officer"],
      ["coordinator", "coordinator"],
      ["fg", "dpo"],
      ["jurist", "legal"],
      ["analist.jansen", "department_member"],
    ] as const) {
      const res = await h.post(READ, {
        token: await h.t.token(sub, role, "vergunningen"),
        variables: { id: caseId },
      });
      expect(JSON.stringify(res.body), `${sub} as ${role}`).not.toContain(REPORTER.name);
    }
    const stranger = await h.post(READ, {
      token: await h.t.token("analist.bakker", "analyst"),
      variables: { id: caseId },
    });
    expect(errorCodes(stranger.body)).toEqual({ case: "NOT_FOUND" });
  });

  it("are refused before anything is written when they hold a BSN", async () => {
    const res = await h.post(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, {
      token: owner,
      variables: {
        input: {
          reference: "REPORTER-BSN",
          motivation: "A signal.",
          reporter: { name: "Melder 999993653", contact: "06-12345678" },
        },
      },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.body.errors?.[0]?.message).toMatch(/^reporter\.name/);
    const listed = await h.post(`{ cases { reference } }`, { token: owner });
    expect(JSON.stringify(listed.body)).not.toContain("REPORTER-BSN");
  });

  it("are destroyed when receipt is acknowledged, with a destruction record, and only by the case's analysts", async () => {
    const ACK = `mutation($id: ID!) { acknowledgeSignalReceipt(id: $id) { id } }`;
    const officer = await h.post(ACK, {
      token: await h.t.token("privacy.officer", "privacy_officer"),
      variables: { id: caseId },
    });
    expect(errorCodes(officer.body)).toEqual({ acknowledgeSignalReceipt: "FORBIDDEN" });

    const ack = await h.post(ACK, { token: owner, variables: { id: caseId } });
    expect(ack.body.errors, JSON.stringify(ack.body.errors)).toBeUndefined();
    const read = await h.post(READ, { token: owner, variables: { id: caseId } });
    const reporter = (read.body.data as { case: { reporter: Record<string, unknown> } }).case.reporter;
    expect(reporter).toMatchObject({ name: null, contact: null, destroyedReason: "receipt acknowledged" });
    expect(reporter.acknowledgedAt).toEqual(reporter.destroyedAt);

    const destruction = (await h.t.app.audit.list({ caseId, limit: 1000 })).filter(
      (r) => r.kind === "retention" && r.operation === "reporter.destroy",
    );
    expect(destruction).toHaveLength(1);
    const rows = await h.t.app.db.query<{ name: unknown; contact: unknown }>(
      "SELECT name, contact FROM signal_reporters WHERE case_id = $1",
      [caseId],
    );
    expect(rows).toEqual([{ name: null, contact: null }]);
    // A second acknowledgement destroys nothing more and records nothing more.
    expect((await h.post(ACK, { token: owner, variables: { id: caseId } })).body.errors).toBeUndefined();
    expect(
      (await h.t.app.audit.list({ caseId, limit: 1000 })).filter((r) => r.operation === "reporter.destroy"),
    ).toHaveLength(1);
    // The table refuses any other change.
    await expect(
      h.t.app.db.query("UPDATE signal_reporters SET name = 'back' WHERE case_id = $1", [caseId]),
    ).rejects.toThrow(/changes only by destruction/);
  });
});
