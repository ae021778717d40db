import { createServer } from "node:http";
import { Writable } from "node:stream";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runInTrace } from "../../src/context/index.ts";
import { createMetrics } from "../../src/observability/metrics.ts";
import { createRequestObserver } from "../../src/observability/request-observer.ts";
import { createTelemetry } from "../../src/observability/telemetry.ts";
import { pathTemplate } from "../../src/observability/index.ts";
import { listen } from "../../src/server/index.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { clearAllRequests, simulatorOf, SOURCES } from "../utils/source-simulators.ts";

/**
 * Issue 13: OpenTelemetry spans of a request (HTTP, GraphQL operation, policy decisions, upstream
 * calls, audit commits) with the ids of src/context/trace-context.ts, so a collector's trace,
 * the audit log and each registry's log name the same spans; and one request log line per
 * request. Neither ever holds a subject identifier.
 */
const exporter = new InMemorySpanExporter();
const lines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    done();
  },
});
let h: HttpApp;
let token: string;
let regie: string;
let research: string;
let bsn: string;

beforeAll(async () => {
  h = await startHttpApp({ spanExporter: exporter, logger: pino({ level: "info" }, logStream) });
  token = await h.t.token("analist.jansen", "analyst");
  regie = (await h.t.demoCase("regie")).id;
  research = (await h.t.demoCase("bronnenonderzoek")).id;
  bsn = h.t.app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(() => h.close());
beforeEach(() => {
  exporter.reset();
  lines.length = 0;
  clearAllRequests(h.t.app);
});

const WALK = `query Walk($id: ID!, $research: ID!, $bsn: String!) {
  regie: case(id: $id) { persoon(bsn: $bsn) {
    brp { naam { geslachtsnaam } } vergunningen { soort } brk { identificatie } eerdereAdressen { bag { adres { postcode } } }
    adres { bag { adres { postcode } } bewoners { bsn } ondernemingen { kvkNummer } woz { identificatie } } } }
  research: case(id: $research) { onderneming(kvkNummer: "88888888") { hits { probe result } } } }`;

type Headers = { headers?: Readonly<Record<string, string>> };
const upstreamSpanIds = () =>
  SOURCES.flatMap(({ source }) =>
    (simulatorOf(h.t.app, source).requests as readonly Headers[]).map(
      (r) => r.headers?.traceparent?.split("-")[2],
    ),
  );
const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** Every string a span shows: its name and its attribute values. */
const textsOf = (spans: readonly ReadableSpan[]) =>
  spans.flatMap((s) => [s.name, ...Object.values(s.attributes).map((v) => JSON.stringify(v))]);

describe("OpenTelemetry spans (issue 13)", () => {
  it("make one trace under the caller's span: HTTP, GraphQL operation, and under it policy decisions, upstream calls and audit commits", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await h.post(WALK, {
      token,
      variables: { id: regie, research, bsn },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    for (const s of spans) expect(s.spanContext().traceId, s.name).toBe(traceId);

    const http = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(http).toHaveLength(1);
    expect(http[0]!).toMatchObject({ name: "POST /graphql" });
    expect(parentOf(http[0]!)).toBe("00f067aa0ba902b7");
    expect(http[0]!.attributes["http.response.status_code"]).toBe(200);

    const operations = spans.filter((s) => s.name.startsWith("query "));
    expect(operations).toHaveLength(1);
    const op = operations[0]!;
    expect(op.name).toBe("query Walk");
    expect(op.attributes).toMatchObject({
      "graphql.operation.name": "Walk",
      "graphql.operation.type": "query",
    });
    expect(parentOf(op)).toBe(idOf(http[0]!));

    // Each upstream call's span is the span its traceparent named at the registry.
    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
    const sent = upstreamSpanIds();
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(clients.map(idOf))).toEqual(new Set(sent));
    expect(clients).toHaveLength(sent.length);
    for (const c of clients) {
      expect(parentOf(c), c.name).toBe(idOf(op));
      expect(c.attributes["http.response.status_code"], c.name).toBeTypeOf("number");
      expect(c.attributes["poortwachter.source"], c.name).toBeTypeOf("string");
    }
    expect(new Set(clients.map((c) => c.attributes["poortwachter.source"]))).toEqual(
      new Set(SOURCES.map((s) => s.source)),
    );

    const decisions = spans.filter((s) => s.name === "policy.decision");
    expect(decisions.length).toBeGreaterThan(0);
    for (const d of decisions) expect(parentOf(d)).toBe(idOf(op));
    expect(decisions).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({
          "poortwachter.policy.action": "field",
          "poortwachter.policy.source": "brp",
          "poortwachter.policy.allowed": true,
        }) as unknown,
      }),
    );
    const ruled = decisions.filter((d) => d.attributes["poortwachter.policy.rule"] !== "none");
    expect(ruled.length).toBeGreaterThan(0);

    const commits = spans.filter((s) => s.name === "audit.commit");
    expect(commits.length).toBeGreaterThan(0);
    for (const c of commits) {
      expect(parentOf(c)).toBe(idOf(op));
      expect(c.attributes["poortwachter.audit.records"]).toBeGreaterThan(0);
    }
    const audited = (await h.t.app.audit.list({ limit: 100_000 })).filter((r) => r.traceId === traceId);
    const committed = commits.reduce((n, c) => n + Number(c.attributes["poortwachter.audit.records"]), 0);
    expect(committed).toBe(audited.length);
  });

  it("hold no subject identifier: not the BSN asked, the residents' BSNs, the KvK number or the addresses", async () => {
    const res = await h.post(WALK, { token, variables: { id: regie, research, bsn } });
    expect(res.body.errors).toBeUndefined();
    const persoon = (res.body.data as { regie: { persoon: { adres: Record<string, unknown> } } }).regie
      .persoon;
    const residents = (persoon.adres["bewoners"] as { bsn: string }[]).map((b) => b.bsn);
    const postcode = (persoon.adres["bag"] as { adres: { postcode: string } }).adres.postcode;
    expect(residents.length).toBeGreaterThan(0);
    const texts = textsOf(exporter.getFinishedSpans());
    expect(texts.length).toBeGreaterThan(10);
    for (const secret of [bsn, ...residents, "88888888", postcode])
      for (const t of texts) expect(t).not.toContain(secret);
  });

  it("name the rule of a refused decision, not the subject refused", async () => {
    const stranger = "999999023"; // passes the 11-check; no case names it
    const res = await h.post(
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      { token, variables: { id: regie, bsn: stranger } },
    );
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    const spans = exporter.getFinishedSpans();
    expect(spans.filter((s) => s.name === "policy.decision")).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({
          "poortwachter.policy.source": "brp",
          "poortwachter.policy.allowed": false,
          "poortwachter.policy.rule": "binding.caseSubjects",
        }) as unknown,
      }),
    );
    expect(spans.filter((s) => s.kind === SpanKind.CLIENT)).toEqual([]);
    for (const t of textsOf(spans)) expect(t).not.toContain(stranger);
  });

  it("a refused request has its span too, with the status", async () => {
    const res = await h.post(WALK, { variables: { id: regie, research, bsn } });
    expect(res.status).toBe(401);
    const http = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
    expect(http).toHaveLength(1);
    expect(http[0]!.attributes["http.response.status_code"]).toBe(401);
  });
});

describe("the request span's ids", () => {
  it("are the trace context's: the request's own span id, the caller's span as parent", async () => {
    const spans = new InMemorySpanExporter();
    const telemetry = createTelemetry({ serviceName: "test", exporter: spans })!;
    const observer = createRequestObserver({ metrics: createMetrics(), telemetry });
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    await runInTrace(
      traceId,
      () => observer.request("POST", () => Promise.resolve(200)),
      "b7ad6b7169203331",
      "1111222233334444",
    );
    await runInTrace(
      "1af7651916cd43dd8448eb211c80319c",
      () => observer.request("GET", () => Promise.resolve(204)),
      undefined,
      "5555666677778888",
    );
    const [withParent, root] = spans.getFinishedSpans();
    expect(withParent!.spanContext()).toMatchObject({ traceId, spanId: "1111222233334444" });
    expect(withParent!.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    expect(root!.spanContext()).toMatchObject({
      traceId: "1af7651916cd43dd8448eb211c80319c",
      spanId: "5555666677778888",
    });
    expect(root!.parentSpanContext).toBeUndefined();
    await telemetry.shutdown();
  });

  it("upstream paths keep their words and lose their identifiers and query", () => {
    expect(pathTemplate("http://kvk.test/api/v1/basisprofielen/88888888?geoData=true")).toBe(
      "/api/v1/basisprofielen/{id}",
    );
    expect(pathTemplate("http://bag.test/lvbag/v2/adresseerbareobjecten/0363010000000001")).toBe(
      "/lvbag/v2/adresseerbareobjecten/{id}",
    );
    expect(
      pathTemplate(
        "http://zgw.test/zaken/api/v1/zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=999999023",
      ),
    ).toBe("/zaken/api/v1/zaken");
  });
});

describe("the request log (issue 13)", () => {
  const requestLines = () =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l["msg"] === "graphql request");

  it("writes one line per request with the trace id, operation, status and roles, and no BSN", async () => {
    const traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
    const res = await h.post(WALK, {
      token,
      variables: { id: regie, research, bsn },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.body.errors).toBeUndefined();
    const logged = requestLines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      traceId,
      operation: "Walk",
      operationType: "query",
      status: 200,
      outcome: "ok",
      roles: ["analyst"],
    });
    expect(logged[0]!["durationMs"]).toBeTypeOf("number");
    for (const l of lines) {
      expect(l).not.toContain(bsn);
      expect(l).not.toContain("analist.jansen");
    }
  });

  it("logs a refused request as denied, and an unnamed operation as such", async () => {
    await h.post(`query($bsn: String!) { case(id: "x") { persoon(bsn: $bsn) { hits { probe } } } }`, {
      variables: { bsn },
    });
    await h.post(`query($id: ID!) { case(id: $id) { id } }`, { token, variables: { id: regie } });
    const logged = requestLines();
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ status: 401, outcome: "denied", operation: null, roles: [] });
    expect(logged[1]).toMatchObject({ status: 200, outcome: "ok", operation: null, operationType: "query" });
    for (const l of lines) expect(l).not.toContain(bsn);
  });

  it("does not repeat an operation name that could hold a subject identifier", async () => {
    await h.post(`query Lookup${bsn} { me { roles } }`, { token });
    await h.post(`query Adres6211ab { me { roles } }`, { token });
    const logged = requestLines();
    expect(logged.map((l) => l["operation"])).toEqual(["redacted", "redacted"]);
    for (const l of lines) expect(l).not.toContain(bsn);
  });

  it("writes nothing with REQUEST_LOG=false", async () => {
    const quiet: string[] = [];
    const app = await startHttpApp({
      env: { REQUEST_LOG: "false" },
      logger: pino(
        { level: "info" },
        new Writable({
          write(chunk: Buffer, _e, done) {
            quiet.push(chunk.toString("utf8"));
            done();
          },
        }),
      ),
    });
    try {
      const analyst = await app.t.token("analist.jansen", "analyst");
      const r = await app.post(`{ me { roles } }`, { token: analyst });
      expect(r.status).toBe(200);
      expect(quiet.filter((l) => l.includes("graphql request"))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("OTLP export (OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  it("sends the request's spans to the collector, at the latest when the gateway closes", async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    const at = await listen(collector, 0, "127.0.0.1");
    const app = await startHttpApp({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${at.port}/`, OTEL_SERVICE_NAME: "pw-test" },
    });
    let closed = false;
    try {
      const analyst = await app.t.token("analist.jansen", "analyst");
      const traceId = "6bf92f3577b34da6a3ce929d0e0e4738";
      const r = await app.post(`query Me { me { roles } }`, {
        token: analyst,
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      expect(r.status).toBe(200);
      // Batched: nothing need have gone yet; closing flushes what is buffered.
      await app.close();
      closed = true;
      const sent = received.filter((x) => x.path === "/v1/traces").map((x) => x.body);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.join("")).toContain(traceId);
      expect(sent.join("")).toContain("pw-test");
      expect(sent.join("")).toContain("query Me");
    } finally {
      if (!closed) await app.close();
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});
