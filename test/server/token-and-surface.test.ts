import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, importJWK, SignJWT, type JWK } from "jose";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, type App } from "../../src/app/index.ts";
import { DEMO_KEY_FILE, loadOrCreateDemoIssuer } from "../../src/auth/index.ts";
import { startListeners } from "../../src/cli/serve-command.ts";
import { DEMO_ISSUER, loadConfig } from "../../src/config/index.ts";
import { createHttpServer, createOpsServer, listen } from "../../src/server/index.ts";
import { GatewayError } from "../../src/shared/index.ts";
import { startBrpSimulator, type BrpSimulator } from "../../src/sources/brp/index.ts";
import { createMunicipality } from "../../src/sources/synthetic/index.ts";
import { openDb, type Db } from "../../src/store/index.ts";
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from "../auth/helpers/jwks-server.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Issue 10, over real HTTP: token lifetime and `iat` rules (demo issuer and a real OIDC issuer
 * over JWKS), `WWW-Authenticate` on every 401 (RFC 6750), and a `/ready` that tells the public
 * only up or down while the circuit states go to the operator's listener.
 */
const ME = "{ me { subject } }";
const CHALLENGE = 'Bearer realm="poortwachter"';
const INVALID_TOKEN = 'Bearer realm="poortwachter", error="invalid_token"';
const nowS = () => Math.floor(Date.now() / 1000);
/** The configured maximum; 0 (so that every lifetime test fails) if the config had none. */
const maxLifetimeOf = (app: App) => app.config.oidc.maxTokenLifetimeS ?? 0;

/** The 401 every refused token gets: UNAUTHENTICATED, no data, an RFC 6750 challenge. */
function expectRefused(res: { status: number; headers: Headers; body: unknown }, challenge = INVALID_TOKEN) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe(challenge);
  const body = res.body as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
  expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  expect(body.data).toBeUndefined();
}

async function serve(server: Server): Promise<{ base: string; close: () => Promise<void> }> {
  const address = await listen(server, 0, "127.0.0.1");
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("demo mode over HTTP", () => {
  let h: HttpApp;
  /** Signs with the demo issuer's own key, any claims: what someone holding the demo key could make. */
  let signDemo: (claims: Record<string, unknown>) => Promise<string>;
  beforeAll(async () => {
    h = await startHttpApp();
    const issuer = h.t.app.demo!.issuer;
    const jwk = JSON.parse(await readFile(join(h.t.app.config.dataDir, DEMO_KEY_FILE), "utf8")) as JWK;
    const key = await importJWK(jwk, "ES256");
    signDemo = (claims) =>
      new SignJWT({ roles: ["analyst"], amr: ["pwd", "otp"], ...claims })
        .setProtectedHeader({ alg: "ES256", kid: issuer.jwks.keys[0]?.kid ?? "", typ: "JWT" })
        .setIssuer(DEMO_ISSUER)
        .setAudience(issuer.audience)
        .setSubject("analist.jansen")
        .sign(key);
  });
  afterAll(async () => {
    await h.close();
  });

  describe("token lifetime", () => {
    it("accepts the demo issuer's default token, whose lifetime is within the maximum", async () => {
      const token = await h.t.token("analist.jansen", "analyst");
      const { iat, exp } = decodeJwt(token);
      expect((exp ?? Infinity) - (iat ?? 0)).toBeLessThanOrEqual(maxLifetimeOf(h.t.app));
      const res = await h.post(ME, { token });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ me: { subject: "analist.jansen" } });
    });

    it("refuses a demo token issued an hour in the future", async () => {
      const future = await loadOrCreateDemoIssuer(h.t.app.config.dataDir, {
        clock: { now: () => new Date(Date.now() + 3600_000) },
      });
      const token = await future.mint({ sub: "analist.jansen", roles: ["analyst"], ttlSeconds: 600 });
      expectRefused(await h.post(ME, { token }));
    });

    it("refuses a demo token that expires in the year 2999", async () => {
      const ttlSeconds = Math.floor(Date.UTC(2999, 0, 1) / 1000) - nowS();
      const token = await h.t.app.demo!.issuer.mint({
        sub: "analist.jansen",
        roles: ["analyst"],
        ttlSeconds,
      });
      expectRefused(await h.post(ME, { token }));
    });

    it("refuses a token signed with the demo key without iat, or not yet valid (nbf)", async () => {
      expectRefused(await h.post(ME, { token: await signDemo({ exp: nowS() + 300 }) }));
      const now = nowS();
      expectRefused(
        await h.post(ME, { token: await signDemo({ iat: now, nbf: now + 600, exp: now + 900 }) }),
      );
    });

    it("accepts an iat within the clock tolerance and a lifetime of exactly the maximum", async () => {
      const now = nowS();
      const max = maxLifetimeOf(h.t.app);
      const skewed = await signDemo({ iat: now + 20, exp: now + 320 });
      expect((await h.post(ME, { token: skewed })).status).toBe(200);
      const longest = await signDemo({ iat: now, exp: now + max });
      expect((await h.post(ME, { token: longest })).status).toBe(200);
      expectRefused(await h.post(ME, { token: await signDemo({ iat: now, exp: now + max + 1 }) }));
    });
  });

  describe("WWW-Authenticate on every 401 (RFC 6750)", () => {
    it("challenges without an error when no bearer token was sent", async () => {
      expectRefused(await h.post(ME), CHALLENGE);
      expectRefused(await h.post(ME, { headers: { authorization: "Basic dXNlcjpwYXNz" } }), CHALLENGE);
    });

    it("says invalid_token when a bearer token was sent and refused", async () => {
      expectRefused(await h.post(ME, { headers: { authorization: "Bearer not-a-jwt" } }));
      const past = await loadOrCreateDemoIssuer(h.t.app.config.dataDir, {
        clock: { now: () => new Date(Date.now() - 3600_000) },
      });
      const expired = await past.mint({ sub: "analist.jansen", roles: ["analyst"], ttlSeconds: 60 });
      expectRefused(await h.post(ME, { token: expired }));
    });

    it("challenges a GET request without a token too", async () => {
      const res = await fetch(`${h.base}/graphql?query=${encodeURIComponent(ME)}`, {
        headers: { "apollo-require-preflight": "true" },
      });
      expectRefused({ status: res.status, headers: res.headers, body: await res.json() }, CHALLENGE);
    });

    it("adds the challenge to a 401 from any other path through Apollo", async () => {
      const gateway = {
        ...h.t.app.gateway,
        contextFor: () =>
          Promise.reject(new GatewayError("UNAUTHENTICATED", undefined, { http: { status: 401 } })),
      };
      const s = await serve(createHttpServer(gateway, h.t.app.db));
      try {
        for (const [authorization, challenge] of [
          [undefined, CHALLENGE],
          ["Bearer some.token.here", INVALID_TOKEN],
        ] as const) {
          const res = await fetch(`${s.base}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
            body: JSON.stringify({ query: ME }),
          });
          expectRefused({ status: res.status, headers: res.headers, body: await res.json() }, challenge);
        }
      } finally {
        await s.close();
      }
    });

    it("does not send a challenge with a 200 or a 400", async () => {
      const token = await h.t.token("analist.jansen", "analyst");
      expect((await h.post(ME, { token })).headers.get("www-authenticate")).toBeNull();
      expect((await h.post("{ nope }", { token })).headers.get("www-authenticate")).toBeNull();
    });
  });

  describe("/ready", () => {
    it("tells the public only that the gateway is ready", async () => {
      const res = await fetch(`${h.base}/ready`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"status":"ready"}');
    });

    it("tells the public only that it is unavailable when the database is", async () => {
      const broken: Db = { ...h.t.app.db, query: () => Promise.reject(new Error("connection refused")) };
      const s = await serve(createHttpServer(h.t.app.gateway, broken));
      try {
        const res = await fetch(`${s.base}/ready`);
        expect(res.status).toBe(503);
        expect(await res.text()).toBe('{"status":"unavailable"}');
      } finally {
        await s.close();
      }
    });

    it("gives the operator's listener the circuits, and nothing but health and readiness", async () => {
      const states = () => h.t.app.resilience.map((r) => r.state());
      const ops = await serve(createOpsServer(h.t.app.db, states));
      const broken: Db = { ...h.t.app.db, query: () => Promise.reject(new Error("connection refused")) };
      const down = await serve(createOpsServer(broken, () => [{ source: "brp", circuit: "open" }]));
      try {
        const ready = await fetch(`${ops.base}/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({
          status: "ready",
          sources: {
            brp: "closed",
            bag: "closed",
            hr: "closed",
            brk: "closed",
            bewoning: "closed",
            historie: "closed",
            permits: "closed",
            woz: "closed",
          },
        });
        expect((await fetch(`${ops.base}/health`)).status).toBe(200);
        const graphql = await fetch(`${ops.base}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: ME }),
        });
        expect(graphql.status).toBe(404);
        const unavailable = await fetch(`${down.base}/ready`);
        expect(unavailable.status).toBe(503);
        expect(await unavailable.json()).toEqual({
          status: "unavailable",
          database: "unavailable",
          sources: { brp: "open" },
        });
      } finally {
        await ops.close();
        await down.close();
      }
    });

    it("serve starts the operator's listener only when OPS_PORT is set, on OPS_HOST", async () => {
      const started = await startListeners(h.t.app, {
        ...h.t.app.config,
        port: 0,
        ops: { port: 0, host: "127.0.0.1" },
      });
      if (!started.ok) throw new Error(started.error);
      try {
        expect(started.value.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const ops = (await (await fetch(`${started.value.opsUrl}/ready`)).json()) as { sources?: unknown };
        expect(ops.sources).toBeDefined();
        const pub = await fetch(new URL("/ready", started.value.url));
        expect(await pub.json()).toEqual({ status: "ready" });
      } finally {
        await started.value.close();
      }
      const without = await startListeners(h.t.app, { ...h.t.app.config, port: 0 });
      if (!without.ok) throw new Error(without.error);
      expect(without.value.opsUrl).toBeUndefined();
      await without.value.close();
    });
  });
});

describe("MFA required (Maastricht art. 9)", () => {
  let h: HttpApp;
  beforeAll(async () => {
    h = await startHttpApp({ env: { OIDC_REQUIRE_MFA: "true" } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("asks a password-only token for stronger authentication (RFC 9470)", async () => {
    const token = await h.t.app.demo!.issuer.mint({
      sub: "analist.jansen",
      roles: ["analyst"],
      amr: ["pwd"],
    });
    expectRefused(
      await h.post(ME, { token }),
      'Bearer realm="poortwachter", error="insufficient_user_authentication"',
    );
  });
});

describe("production mode over HTTP (OIDC issuer over JWKS)", () => {
  let idp: TestIdp;
  let sim: BrpSimulator;
  let app: App;
  let dataDir: string;
  let s: { base: string; close: () => Promise<void> };

  beforeAll(async () => {
    idp = await startTestIdp();
    sim = await startBrpSimulator({ municipality: createMunicipality({ seed: 7, size: 50 }), apiKey: "k" });
    dataDir = mkdtempSync(join(tmpdir(), "poortwachter-tokens-"));
    const config = loadConfig({
      DATA_DIR: dataDir,
      OIDC_ISSUER: ISSUER,
      OIDC_JWKS_URL: idp.jwksUrl,
      OIDC_AUDIENCE: AUDIENCE,
      BRP_URL: sim.url,
      BRP_API_KEY: "k",
      AUDIT_HMAC_KEY: "production-hmac-key-of-at-least-32-chars",
      RETENTION_INTERVAL_MINUTES: "0",
    });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    const booted = await bootstrap({
      config: config.value,
      db: await openDb({ dataDir: "memory://" }),
      logger: pino({ level: "silent" }),
    });
    if (!booted.ok) throw new Error(booted.error.problems.join("; "));
    app = booted.value;
    s = await serve(createHttpServer(app.gateway, app.db));
  });
  afterAll(async () => {
    await s.close();
    await app.close();
    await sim.close();
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (token: string) => {
    const res = await fetch(`${s.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ME }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
  };

  it("has the documented default maximum lifetime", () => {
    expect(app.config.oidc.maxTokenLifetimeS).toBe(7200);
  });

  it.each([
    ["a five-minute token", 0, 300],
    ["an iat 20 s ahead (within the clock tolerance)", 20, 320],
    ["a lifetime of exactly the maximum", 0, 7200],
  ])("accepts %s", async (_name, iatFromNow, expFromNow) => {
    const now = nowS();
    const token = await idp.sign({ roles: ["analyst"], iat: now + iatFromNow, exp: now + expFromNow });
    const res = await call(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { me: { subject: "u-1001" } } });
  });

  it.each([
    ["issued an hour in the future", { iat: 3600, exp: 3900 }],
    ["expiring in the year 2999", { iat: 0, exp: Math.floor(Date.UTC(2999, 0, 1) / 1000) - nowS() }],
    ["living one second longer than the maximum", { iat: 0, exp: 7201 }],
    ["issued long ago, still unexpired", { iat: -86_400, exp: 300 }],
    ["without iat", { iat: undefined, exp: 300 }],
    ["not yet valid (nbf)", { iat: 0, nbf: 600, exp: 900 }],
  ] as const)("refuses a token %s", async (_name, offsets) => {
    const now = nowS();
    const claims = Object.fromEntries(
      Object.entries(offsets).map(([claim, offset]) => [
        claim,
        offset === undefined ? undefined : now + offset,
      ]),
    );
    expectRefused(await call(await idp.sign({ roles: ["analyst"], ...claims })));
  });
});

describe("settings", () => {
  const demo = { DEMO_MODE: "true" };
  it("reads OIDC_MAX_TOKEN_LIFETIME_S, OPS_PORT and OPS_HOST", () => {
    const config = loadConfig({ ...demo, OIDC_MAX_TOKEN_LIFETIME_S: "900", OPS_PORT: "9464" });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    expect(config.value.oidc.maxTokenLifetimeS).toBe(900);
    expect(config.value.ops).toEqual({ port: 9464, host: "127.0.0.1" });
    const none = loadConfig(demo);
    expect(none.ok && none.value.ops).toEqual({ port: undefined, host: "127.0.0.1" });
  });

  it.each([
    ["a lifetime under a minute", { OIDC_MAX_TOKEN_LIFETIME_S: "30" }, "OIDC_MAX_TOKEN_LIFETIME_S"],
    ["a lifetime over a day", { OIDC_MAX_TOKEN_LIFETIME_S: "86401" }, "OIDC_MAX_TOKEN_LIFETIME_S"],
    ["the operator port equal to PORT", { PORT: "4000", OPS_PORT: "4000" }, "OPS_PORT"],
  ])("refuses %s", (_name, env, setting) => {
    const config = loadConfig({ ...demo, ...env });
    expect(config.ok).toBe(false);
    expect(!config.ok && config.error.problems.join("\n")).toContain(setting);
  });
});
