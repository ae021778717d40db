import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, listen } from "../../src/server/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/** Wiring over real HTTP on port 0: routes, status codes, the formatter on the wire. */
let t: TestApp;
let server: Server;
let base = "";

beforeAll(async () => {
  t = await startTestApp();
  server = createHttpServer(t.app.gateway, t.app.db);
  const address = await listen(server, 0, "127.0.0.1");
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

describe("HTTP", () => {
  it("answers health and readiness", async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    // Up or down only; the circuits are the operator's (token-and-surface.test.ts).
    expect(await ready.json()).toEqual({ status: "ready" });
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  it("refuses a request without a valid token with 401 UNAUTHENTICATED", async () => {
    for (const headers of [{}, { authorization: "Bearer not-a-jwt" }, { authorization: "Basic abc" }]) {
      const res = await post(JSON.stringify({ query: "{ me { subject } }" }), headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[]; data?: unknown };
      expect(body.errors[0]?.extensions.code).toBe("UNAUTHENTICATED");
      expect(body.data).toBeUndefined();
    }
  });

  it("serves an authenticated query and joins the caller's trace", async () => {
    const token = await t.token("analist.jansen", "analyst");
    const c = await t.demoCase("bronnenonderzoek");
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const bsn = t.app.demo!.municipality.wellKnown.residentBsn;
    const res = await post(
      JSON.stringify({
        query: `{ case(id: "${c.id}") { persoon(bsn: "${bsn}") { hits(probes: ["brp.ingeschreven", "brp.binnenGemeente"]) { probe result } } } }`,
      }),
      { authorization: `Bearer ${token}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { case: { persoon: { hits: unknown[] } } } };
    expect(body.data.case.persoon.hits).toHaveLength(2);
    const logged = await t.app.audit.list({ caseId: c.id, limit: 10_000 });
    expect(logged.some((r) => r.traceId === traceId && r.operation === "brp.hits")).toBe(true);
  });

  it("answers malformed requests with BAD_USER_INPUT and no stack trace", async () => {
    const token = await t.token("analist.jansen", "analyst");
    const broken = await post("{not json", { authorization: `Bearer ${token}` });
    expect(broken.status).toBe(400);
    const invalid = await post(JSON.stringify({ query: "{ nope }" }), { authorization: `Bearer ${token}` });
    const body = (await invalid.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(invalid.status).toBe(400);
    expect(body.errors[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts/);
  });
});
