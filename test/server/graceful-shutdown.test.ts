import { execFileSync, spawn } from "node:child_process";
import { request } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { shutdownHandler, startListeners, type Listeners } from "../../src/cli/serve-command.ts";
import { loadConfig } from "../../src/config/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * Issue 12, graceful shutdown: on SIGTERM the gateway drains — `/ready` answers 503, no new
 * connection is taken, the requests in flight are answered — and only after SHUTDOWN_TIMEOUT_S
 * are the rest cut. A second signal does not cut them short. First in-process with a BRP that
 * hangs (so requests are surely in flight), then the compiled server (`npm run build`, `node
 * dist/…`) as its own process under a burst of requests, signalled twice.
 */

/** One POST without keep-alive: resolves with the status and body, or the socket error's code. */
function post(
  url: string,
  token: string,
  query: string,
): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
          connection: "close",
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(JSON.stringify({ query }));
  });
}

const get = (url: string) =>
  fetch(url).then(
    async (r) => ({ status: r.status, body: await r.text() }),
    (e: Error & { cause?: { code?: string } }) => ({ status: 0, body: e.cause?.code ?? e.message }),
  );

describe("draining in process", () => {
  let t: TestApp;
  let listeners: Listeners;
  let token: string;
  let hits: string;

  beforeAll(async () => {
    t = await startTestApp();
    const config = loadConfig({ DEMO_MODE: "true", PORT: "0", OPS_PORT: "0", DATA_DIR: tmpdir() });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    const started = await startListeners(t.app, config.value);
    if (!started.ok) throw new Error(started.error);
    listeners = started.value;
    token = await t.token("analist.jansen", "analyst");
    const caseId = (await t.demoCase("bronnenonderzoek")).id;
    hits = `{ case(id: "${caseId}") { persoon(bsn: "${t.app.demo!.municipality.wellKnown.residentBsn}") { hits { probe result } } } }`;
  });
  afterAll(async () => {
    t.app.demo!.simulators.brp.setFault("none");
    await t.close();
  });

  it("answers every request in flight, says 503 on /ready meanwhile, and takes no new connection", async () => {
    const brp = t.app.demo!.simulators.brp;
    brp.setFault("timeout");
    const inFlight = Array.from({ length: 4 }, () => post(listeners.url, token, hits));
    await vi.waitFor(() => expect(listeners.inFlight()).toBe(4), { timeout: 5000 });

    const drained = listeners.drain(20_000);
    const ready = await get(`${listeners.opsUrl}/ready`);
    expect(ready).toEqual({ status: 503, body: '{"status":"draining"}' });
    const late = await post(listeners.url, token, hits);
    expect(late).toEqual({ error: "ECONNREFUSED" });

    const answers = await Promise.all(inFlight);
    for (const a of answers) {
      expect(a).toMatchObject({ status: 200 });
      // The BRP never answered: UNKNOWN, never NO_HIT, and the answer arrived whole.
      expect(JSON.parse((a as { body: string }).body).data.case.persoon.hits).toContainEqual(
        expect.objectContaining({ result: "UNKNOWN" }),
      );
    }
    expect(await drained).toBe(0);
  });

  it("a second signal only reports; the requests in flight are answered, then the app closes and exits 0", async () => {
    const app = await startTestApp();
    const config = loadConfig({ DEMO_MODE: "true", PORT: "0", DATA_DIR: tmpdir() });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    const started = await startListeners(app.app, config.value);
    if (!started.ok) throw new Error(started.error);
    const own = started.value;
    const caseId = (await app.demoCase("bronnenonderzoek")).id;
    const query = `{ case(id: "${caseId}") { persoon(bsn: "${app.app.demo!.municipality.wellKnown.residentBsn}") { hits { probe result } } } }`;
    const analyst = await app.token("analist.jansen", "analyst");
    app.app.demo!.simulators.brp.setFault("timeout");
    const pending = Array.from({ length: 3 }, () => post(own.url, analyst, query));
    await vi.waitFor(() => expect(own.inFlight()).toBe(3), { timeout: 5000 });

    const lines: string[] = [];
    let closed = false;
    const exitCode = new Promise<number>((resolve) => {
      const stop = shutdownHandler({
        listeners: own,
        app: { close: async () => void (closed = true) },
        io: { stdout: (s) => void lines.push(s), stderr: (s) => void lines.push(s) },
        timeoutMs: 20_000,
        exit: resolve,
      });
      stop("SIGTERM");
      stop("SIGTERM");
    });
    expect(lines).toEqual([
      "SIGTERM: draining 3 request(s) in flight (at most 20 s)…\n",
      "SIGTERM again: still answering 3 request(s) in flight; stopping when they are done.\n",
    ]);
    for (const a of await Promise.all(pending)) expect(a).toMatchObject({ status: 200 });
    expect(await exitCode).toBe(0);
    expect(closed).toBe(true);
    expect(lines.at(-1)).toBe("Stopped.\n");
    app.app.demo!.simulators.brp.setFault("none");
    await app.close();
  });

  it("after SHUTDOWN_TIMEOUT_S the requests still in flight are cut, and counted", async () => {
    // A fresh gateway: the one above has seen the BRP time out, and its circuit may be open.
    const app = await startTestApp({ env: { BRP_TIMEOUT_MS: "5000" } });
    const config = loadConfig({ DEMO_MODE: "true", PORT: "0", DATA_DIR: tmpdir() });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    const started = await startListeners(app.app, config.value);
    if (!started.ok) throw new Error(started.error);
    const caseId = (await app.demoCase("bronnenonderzoek")).id;
    const query = `{ case(id: "${caseId}") { persoon(bsn: "${app.app.demo!.municipality.wellKnown.residentBsn}") { hits { probe result } } } }`;
    const analyst = await app.token("analist.jansen", "analyst");
    app.app.demo!.simulators.brp.setFault("timeout");
    const pending = Array.from({ length: 2 }, () => post(started.value.url, analyst, query));
    await vi.waitFor(() => expect(started.value.inFlight()).toBe(2), { timeout: 5000 });
    expect(await started.value.drain(50)).toBe(2);
    for (const a of await Promise.all(pending)) expect(a).toHaveProperty("error");
    app.app.demo!.simulators.brp.setFault("none");
    await app.close();
  });
});

describe("the compiled server under load", () => {
  const root = process.cwd();

  beforeAll(() => {
    // `npm run build`, with this Node: tsc, then the schema and migrations beside the modules.
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
      cwd: root,
      stdio: "pipe",
    });
    execFileSync(process.execPath, ["scripts/build-assets.mjs"], { cwd: root, stdio: "pipe" });
  }, 120_000);

  it("drains: no request that reached it is cut, exit 0", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-shutdown-"));
    const child = spawn(process.execPath, ["dist/src/cli/main.js", "serve", "--demo"], {
      cwd: root,
      env: { ...process.env, PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await vi.waitFor(() => expect(out).toMatch(/export TOKEN=\S+/), { timeout: 90_000, interval: 100 });
    const url = /listening on (\S+)/.exec(out)![1]!;
    const token = /export TOKEN=(\S+)/.exec(out)![1]!;
    const caseId = /DEMO-regie\s+(\S+)/.exec(out)![1]!;
    const walk = `{ case(id: "${caseId}") { persoon(bsn: "924691347") { brp { naam { geslachtsnaam } } adres { bewoners { bsn brp { naam { geslachtsnaam } } } vergunningen { soort } } } } }`;

    // Eight clients, each sending one request after another, until the server refuses to connect.
    let signalled = false;
    const results: ({ status: number; body: string } | { error: string })[] = [];
    let answeredAfterSignal = 0;
    const client = async () => {
      for (;;) {
        const r = await post(url, token, walk);
        results.push(r);
        if ("error" in r) return;
        if (signalled) answeredAfterSignal++;
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await vi.waitFor(() => expect(results.length).toBeGreaterThanOrEqual(16), {
      timeout: 30_000,
      interval: 20,
    });
    signalled = true;
    child.kill("SIGTERM");
    await Promise.all(clients);
    expect(await exited).toBe(0);

    const errors = results.filter((r): r is { error: string } => "error" in r).map((r) => r.error);
    // Each client stops at its first failed connection: refused once the listener is closed, or
    // reset when it was still in the kernel's listen backlog (never accepted by the gateway).
    expect(errors.length).toBeLessThanOrEqual(8);
    for (const e of errors) expect(["ECONNREFUSED", "ECONNRESET"]).toContain(e);
    for (const r of results.filter((x): x is { status: number; body: string } => !("error" in x))) {
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).data.case.persoon.brp).not.toBeNull();
    }
    // Every request the gateway had accepted when the signal came was answered in full.
    const draining = /SIGTERM: draining (\d+) request\(s\) in flight/.exec(out);
    expect(draining).not.toBeNull();
    expect(answeredAfterSignal).toBeGreaterThanOrEqual(Number(draining![1]));
    expect(out).toContain("Stopped.");
    expect(out).not.toContain("cut");
  }, 180_000);
});
