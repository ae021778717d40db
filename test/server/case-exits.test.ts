import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Issue 11, "exits with their recipient" (Maastricht art. 14c, 16.2, 18.3; Delft art. 12d, 13d,
 * 14e, 17): closing as `doorgezet` names the receiver and what was handed over; an outcome without
 * an exit rule takes none; a bad exit is refused before anything is written; the FG report
 * counts exits per kind of receiver. Once closed, only the protocol's closedCaseReaders see it.
 */
let h: HttpApp;
let analyst: string;
let fg: string;

const OPEN = `mutation($r: String!) { openCase(input: { reference: $r, motivation: "A signal about a shop front." }) { id } }`;
const CLOSE = `mutation($id: ID!, $outcome: String!, $exit: CaseExitInput) {
  closeCase(id: $id, outcome: $outcome, motivation: "Handed over.", exit: $exit) { status outcome exit { receiverKind receiver handedOver at } } }`;
const READ = `query($id: ID!) { case(id: $id) { status exit { receiverKind receiver handedOver } } }`;

const open = async (reference: string): Promise<string> => {
  const res = await h.post(OPEN, { token: analyst, variables: { r: reference } });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return (res.body.data as { openCase: { id: string } }).openCase.id;
};
const close = (id: string, outcome: string, exit?: Record<string, unknown>) =>
  h.post(CLOSE, { token: analyst, variables: { id, outcome, ...(exit ? { exit } : {}) } });

beforeAll(async () => {
  h = await startHttpApp();
  analyst = await h.t.token("analist.jansen", "analyst");
  fg = await h.t.token("fg", "dpo");
});
afterAll(() => h.close());

describe("closing with an exit (issue 11)", () => {
  it.each([
    [
      "doorgezet without an exit",
      "doorgezet",
      undefined,
      /^exit: closing as doorgezet hands the signal over/,
    ],
    [
      "an exit on an outcome that hands nothing over",
      "ongegrond",
      { receiverKind: "partner", receiver: "Politie", handedOver: ["the signal"] },
      /^exit: closing as ongegrond hands nothing over/,
    ],
    [
      "a receiver kind the outcome does not allow",
      "doorgezet",
      { receiverKind: "elsewhere", receiver: "Politie", handedOver: ["the signal"] },
      /^exit\.receiverKind: not a receiver for doorgezet; it allows gemeente, afdeling, partner, riec\.$/,
    ],
    [
      "a department the policy does not know",
      "doorgezet",
      { receiverKind: "afdeling", receiver: "marketing", handedOver: ["the signal"] },
      /^exit\.receiver: not a department of the policy/,
    ],
    [
      "a BSN in what was handed over",
      "doorgezet",
      { receiverKind: "gemeente", receiver: "Gemeente Heerlen", handedOver: ["the file of 999993653"] },
      /^exit\.handedOver\[0\]/,
    ],
    [
      "nothing handed over",
      "doorgezet",
      { receiverKind: "riec", receiver: "RIEC Limburg", handedOver: [] },
      /^exit\.handedOver: name between 1 and 20/,
    ],
  ])("refuses %s with BAD_USER_INPUT and writes nothing", async (_name, outcome, exit, message) => {
    const id = await open(`EXIT-BAD-${Math.random().toString(36).slice(2, 8)}`);
    const before = (await h.t.app.audit.list({ caseId: id, limit: 1000 })).length;
    const res = await close(id, outcome, exit);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.body.errors?.[0]?.message).toMatch(message);
    expect(JSON.stringify(res.body)).not.toContain("999993653");
    expect((await h.t.app.audit.list({ caseId: id, limit: 1000 })).length).toBe(before);
    const read = await h.post(READ, { token: analyst, variables: { id } });
    expect(read.body.data).toEqual({ case: { status: "OPEN", exit: null } });
  });

  it("closes as doorgezet to a department, shows where it went to those who read the history, and counts it for the FG", async () => {
    const id = await open("EXIT-OK-1");
    const exit = {
      receiverKind: "afdeling",
      receiver: "vergunningen",
      handedOver: ["the signal", "the BAG object"],
    };
    const res = await close(id, "doorgezet", exit);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const closed = (res.body.data as { closeCase: { status: string; exit: Record<string, unknown> } })
      .closeCase;
    // Once closed, only the protocol's closedCaseReaders (legal, dpo) read where it went (Delft art. 21d).
    expect(closed).toMatchObject({ status: "CLOSED", exit: null });

    expect((await h.post(READ, { token: fg, variables: { id } })).body.data).toEqual({
      case: { status: "CLOSED", exit },
    });
    const record = (await h.t.app.audit.list({ caseId: id, limit: 1000 })).find(
      (r) => r.operation === "case.close",
    );
    expect(record?.detail).toMatchObject({ outcome: "doorgezet", exit: "afdeling" });

    const year = new Date().getUTCFullYear();
    const report = await h.post(
      `query($y: Int!) { fgReport(year: $y) { cases { exitsByReceiver { receiverKind cases } } } }`,
      {
        token: fg,
        variables: { y: year },
      },
    );
    expect(report.body.errors, JSON.stringify(report.body.errors)).toBeUndefined();
    const counts = (
      report.body.data as {
        fgReport: { cases: { exitsByReceiver: { receiverKind: string; cases: number }[] } };
      }
    ).fgReport.cases.exitsByReceiver;
    expect(counts).toEqual([
      { receiverKind: "gemeente", cases: 0 },
      { receiverKind: "afdeling", cases: 1 },
      { receiverKind: "partner", cases: 0 },
      { receiverKind: "riec", cases: 0 },
    ]);
  });

  it("a case closed without handing over has no exit", async () => {
    const id = await open("EXIT-NONE-1");
    const res = await close(id, "ongegrond");
    expect(res.body.errors).toBeUndefined();
    expect((await h.post(READ, { token: fg, variables: { id } })).body.data).toEqual({
      case: { status: "CLOSED", exit: null },
    });
  });
});
