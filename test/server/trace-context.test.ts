import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { clearAllRequests, simulatorOf, SOURCES } from "../utils/source-simulators.ts";

/**
 * Issue 13, W3C trace context: the caller's `traceparent` is continued (its trace id is the audit
 * records' `traceId`), and every upstream call the request makes carries its own `traceparent`
 * under that trace — asserted at each of the six simulators.
 */
let h: HttpApp;
let token: string;
let caseId: string;
let research: string;

beforeAll(async () => {
  h = await startHttpApp();
  token = await h.t.token("analist.jansen", "analyst");
  caseId = (await h.t.demoCase("regie")).id;
  research = (await h.t.demoCase("bronnenonderzoek")).id;
});
afterAll(() => h.close());
beforeEach(() => clearAllRequests(h.t.app));

const WALK = `query($id: ID!, $research: ID!) {
  regie: case(id: $id) { persoon(bsn: "924691347") {
    brp { naam { geslachtsnaam } } vergunningen { soort } brk { identificatie } eerdereAdressen { bag { adres { postcode } } }
    adres { bag { adres { postcode } } bewoners { bsn } ondernemingen { kvkNummer } woz { identificatie } } } }
  research: case(id: $research) { onderneming(kvkNummer: "88888888") { hits { probe result } } } }`;

type Headers = { headers?: Readonly<Record<string, string>> };
const upstreamTraceparents = () =>
  SOURCES.flatMap(({ source }) =>
    (simulatorOf(h.t.app, source).requests as readonly Headers[]).map((r) => ({
      source,
      tp: r.headers?.traceparent,
    })),
  );

describe("W3C trace context (issue 13)", () => {
  it("continues the caller's trace in the audit records and in every upstream call, a span each", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await h.post(WALK, {
      token,
      variables: { id: caseId, research },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const calls = upstreamTraceparents();
    expect(new Set(calls.map((c) => c.source))).toEqual(new Set(SOURCES.map((s) => s.source)));
    for (const c of calls) expect(c.tp, c.source).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const spans = calls.map((c) => c.tp!.split("-")[2]);
    expect(new Set(spans).size).toBe(spans.length);
    expect(spans).not.toContain("00f067aa0ba902b7");
    const records = await h.t.app.audit.list({ caseId, limit: 100_000 });
    expect(records.filter((r) => r.traceId === traceId).length).toBeGreaterThan(0);
  });

  it("without a traceparent starts a trace of its own, the same in the audit log and upstream", async () => {
    const before = (await h.t.app.audit.list({ caseId, limit: 100_000 })).length;
    const res = await h.post(WALK, { token, variables: { id: caseId, research } });
    expect(res.body.errors).toBeUndefined();
    const written = (await h.t.app.audit.list({ caseId, limit: 100_000 })).slice(before);
    const traces = new Set(written.map((r) => r.traceId));
    expect(traces.size).toBe(1);
    const [traceId] = [...traces];
    for (const c of upstreamTraceparents())
      expect(c.tp).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it("ignores a malformed or all-zero traceparent", async () => {
    for (const tp of ["garbage", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`]) {
      clearAllRequests(h.t.app);
      const res = await h.post(WALK, {
        token,
        variables: { id: caseId, research },
        headers: { traceparent: tp },
      });
      expect(res.body.errors).toBeUndefined();
      for (const c of upstreamTraceparents())
        expect(c.tp).toMatch(/^00-(?!0{32})[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
  });
});

describe("the BRP's protocollering headers (issue 13)", () => {
  it("name the user, the processing and, when configured, the purpose and the OIN, on every BRP call", async () => {
    const app = await startHttpApp({
      env: { BRP_DOELBINDING: "BRPACT-Ondermijning", BRP_ORIGIN_OIN: "00000001001234567000" },
    });
    try {
      const analyst = await app.t.token("analist.jansen", "analyst");
      const regie = (await app.t.demoCase("regie")).id;
      clearAllRequests(app.t.app);
      const res = await app.post(
        `query($id: ID!) { case(id: $id) { persoon(bsn: "924691347") { brp { naam { geslachtsnaam } } } } }`,
        { token: analyst, variables: { id: regie } },
      );
      expect(res.body.errors).toBeUndefined();
      const calls = simulatorOf(app.t.app, "brp").requests as readonly Headers[];
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls)
        expect(c.headers).toMatchObject({
          "x-gebruiker": "analist.jansen",
          "x-verwerking": "Ondermijning@Poortwachter",
          "x-doelbinding": "BRPACT-Ondermijning",
          "x-origin-oin": "00000001001234567000",
        });
    } finally {
      await app.close();
    }
  });

  it("send no purpose or OIN that is not configured", async () => {
    const res = await h.post(WALK, { token, variables: { id: caseId, research } });
    expect(res.body.errors).toBeUndefined();
    const calls = simulatorOf(h.t.app, "brp").requests as readonly Headers[];
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.headers?.["x-gebruiker"]).toBe("analist.jansen");
      expect(c.headers?.["x-doelbinding"]).toBeUndefined();
      expect(c.headers?.["x-origin-oin"]).toBeUndefined();
    }
  });
});
