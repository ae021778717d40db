import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, MAX_OPERATION_NAMES } from "../../src/observability/metrics.ts";
import { createOpsServer, listen } from "../../src/server/index.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Issue 13: Prometheus metrics on the operator's listener only (`/metrics` next to its `/ready`),
 * from a registry of the gateway's own; the series move with the requests, and no label holds a
 * subject or a caller's free text beyond a bounded set.
 */
let h: HttpApp;
let ops: Server;
let opsBase: string;
let token: string;
let regie: string;
let bsn: string;
const STRANGER = "999999023"; // passes the 11-check; no case names it

beforeAll(async () => {
  // No retries and a breaker that opens at the first failure: one fault opens the BRP's circuit.
  h = await startHttpApp({ env: { UPSTREAM_RETRIES: "0", UPSTREAM_BREAKER_FAILURES: "1" } });
  const app = h.t.app;
  ops = createOpsServer(
    app.db,
    () => app.resilience.map((r) => r.state()),
    undefined,
    () => app.observability.scrape(),
  );
  const address = await listen(ops, 0, "127.0.0.1");
  opsBase = `http://127.0.0.1:${address.port}`;
  token = await h.t.token("analist.jansen", "analyst");
  regie = (await h.t.demoCase("regie")).id;
  bsn = app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(async () => {
  await new Promise<void>((resolve) => ops.close(() => resolve()));
  await h.close();
});

const scrape = async () => {
  const res = await fetch(`${opsBase}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return res.text();
};

/** The value of one series (0 when absent), labels matched exactly in any order. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? "").match(/[a-zA-Z_]+="[^"]*"/g) ?? [];
    if (JSON.stringify([...got].sort()) === JSON.stringify(want)) return Number(m[3]);
  }
  return 0;
}

const FIELDS = `query Naam($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;

describe("/metrics (issue 13)", () => {
  it("is on the operator's listener only", async () => {
    expect((await fetch(`${h.base}/metrics`)).status).toBe(404);
    const text = await scrape();
    expect(text).toContain("# TYPE poortwachter_requests_total counter");
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("counts requests by operation and outcome, with their duration, upstream latency and audit commits", async () => {
    const before = await scrape();
    expect((await h.post(FIELDS, { token, variables: { id: regie, bsn } })).body.errors).toBeUndefined();
    expect((await h.post(FIELDS, { token, variables: { id: regie, bsn } })).body.errors).toBeUndefined();
    expect((await h.post(FIELDS, { variables: { id: regie, bsn } })).status).toBe(401);
    const refused = await h.post(FIELDS, { token, variables: { id: regie, bsn: STRANGER } });
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved("poortwachter_requests_total", { operation: "Naam", outcome: "ok" })).toBe(2);
    expect(moved("poortwachter_requests_total", { operation: "Naam", outcome: "denied" })).toBe(1);
    expect(moved("poortwachter_requests_total", { operation: "anonymous", outcome: "denied" })).toBe(1);
    expect(moved("poortwachter_request_duration_seconds_count", { outcome: "ok" })).toBe(2);
    expect(moved("poortwachter_upstream_duration_seconds_count", { source: "brp", outcome: "ok" })).toBe(2);
    expect(moved("poortwachter_denials_total", { reason: "binding.caseSubjects" })).toBe(1);
    // One batch per allowed request at least, and the refusal's.
    expect(
      moved("poortwachter_audit_commit_duration_seconds_count", { outcome: "ok" }),
    ).toBeGreaterThanOrEqual(3);
    expect(valueOf(after, "poortwachter_audit_queue_depth")).toBe(0);
    expect(valueOf(after, "poortwachter_circuit_state", { source: "brp" })).toBe(0);
    expect(
      valueOf(after, "poortwachter_policy_info", {
        hash: h.t.app.policy.hash,
        protocol: h.t.app.policy.protocol.id,
      }),
    ).toBe(1);
    for (const text of [before, after]) {
      expect(text).not.toContain(bsn);
      expect(text).not.toContain(STRANGER);
      expect(text).not.toContain("analist.jansen");
    }
  });

  it("counts upstream errors by kind and shows an open circuit as 2", async () => {
    const before = await scrape();
    h.t.app.demo!.brpSimulator.setFault("http503");
    try {
      const r = await h.post(FIELDS, { token, variables: { id: regie, bsn } });
      expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    } finally {
      h.t.app.demo!.brpSimulator.setFault("none");
    }
    const after = await scrape();
    expect(
      valueOf(after, "poortwachter_upstream_errors_total", { source: "brp", kind: "unavailable" }) -
        valueOf(before, "poortwachter_upstream_errors_total", { source: "brp", kind: "unavailable" }),
    ).toBe(1);
    expect(
      valueOf(after, "poortwachter_requests_total", { operation: "Naam", outcome: "error" }) -
        valueOf(before, "poortwachter_requests_total", { operation: "Naam", outcome: "error" }),
    ).toBe(1);
    expect(valueOf(after, "poortwachter_circuit_state", { source: "brp" })).toBe(2);
  });
});

describe("label cardinality", () => {
  it("counts at most so many operation names, the rest as other", async () => {
    const metrics = createMetrics();
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) metrics.request(`Op${i}`, "ok", 0.01);
    metrics.request("not a graphql name", "ok", 0.01);
    const text = await metrics.registry.metrics();
    const series = text.split("\n").filter((l) => l.startsWith("poortwachter_requests_total{"));
    expect(series).toHaveLength(MAX_OPERATION_NAMES + 1);
    expect(valueOf(text, "poortwachter_requests_total", { operation: "other", outcome: "ok" })).toBe(6);
    expect(valueOf(text, "poortwachter_requests_total", { operation: "Op0", outcome: "ok" })).toBe(1);
  });

  it("keeps each gateway's metrics in its own registry", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.request("One", "ok", 0.01);
    expect(
      valueOf(await a.registry.metrics(), "poortwachter_requests_total", { operation: "One", outcome: "ok" }),
    ).toBe(1);
    expect(
      valueOf(await b.registry.metrics(), "poortwachter_requests_total", { operation: "One", outcome: "ok" }),
    ).toBe(0);
  });
});
