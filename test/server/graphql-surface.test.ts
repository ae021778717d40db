import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSchema as buildSdl, parse, validate } from "graphql";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, type App } from "../../src/app/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import { createHttpServer, listen } from "../../src/server/index.ts";
import { DEMO_LANDING_PAGE } from "../../src/server/surface.ts";
import { ROLES } from "../../src/shared/index.ts";
import { startBrpSimulator, type BrpSimulator } from "../../src/sources/brp/index.ts";
import { createMunicipality } from "../../src/sources/synthetic/index.ts";
import { openDb } from "../../src/store/index.ts";
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from "../auth/helpers/jwks-server.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Issue 12, over real HTTP: what the GraphQL endpoint shows of itself. Outside demo mode no
 * introspection for any role, no "Did you mean …", no landing page, no automatic persisted
 * queries, no stack traces; demo mode keeps introspection and APQ and shows a local page.
 */
interface Answer {
  readonly status: number;
  readonly type: string | null;
  readonly text: string;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(base: string, token: string, payload: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    text,
    body: JSON.parse(text) as Answer["body"],
  };
}

/** GETs a path as a browser asks for a page. */
async function browse(
  base: string,
  path: string,
): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}${path}`, {
    headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
  });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const apq = (query: string | undefined, hash: string) => ({
  ...(query === undefined ? {} : { query }),
  extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
});

const INTROSPECTION = [
  ["__schema", "{ __schema { queryType { name } types { name } } }"],
  ["__type", '{ __type(name: "Case") { name fields { name } } }'],
  ["an aliased __schema", "{ s: __schema { types { name } } }"],
  ["__type inside a fragment", 'query { ...F } fragment F on Query { __type(name: "PersoonView") { name } }'],
] as const;

/** Typos graphql-js answers with "Did you mean …?": a field, an argument, a type. */
const TYPOS = [
  "{ cas { id } }",
  '{ case(idd: "x") { id } }',
  "{ ...F } fragment F on Quer { me { subject } }",
];

/** No stack, no source line, no internal path: only a message and a code. */
function expectNoTrace(a: Answer) {
  expect(a.text).not.toMatch(/stacktrace|exception|\bat .*\.(ts|js):\d+|node_modules/i);
  for (const e of a.body.errors ?? []) expect(Object.keys(e.extensions ?? {})).toEqual(["code"]);
}

describe("production mode", () => {
  let idp: TestIdp;
  let sim: BrpSimulator;
  let app: App;
  let dataDir: string;
  let server: Server;
  let base: string;
  /** A token per role the identity provider can grant by its role claim. */
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    idp = await startTestIdp();
    sim = await startBrpSimulator({ municipality: createMunicipality({ seed: 7, size: 50 }), apiKey: "k" });
    dataDir = mkdtempSync(join(tmpdir(), "poortwachter-surface-"));
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
    expect(config.value.demoMode).toBe(false);
    const booted = await bootstrap({
      config: config.value,
      db: await openDb({ dataDir: "memory://" }),
      logger: pino({ level: "silent" }),
    });
    if (!booted.ok) throw new Error(booted.error.problems.join("; "));
    app = booted.value;
    server = createHttpServer(app.gateway, app.db);
    base = `http://127.0.0.1:${(await listen(server, 0, "127.0.0.1")).port}`;
    // `application` is granted by the clients file only (a service account), never by a role claim.
    for (const role of ROLES.filter((r) => r !== "application"))
      tokens.set(role, await idp.sign({ sub: `u-${role}`, roles: [role] }));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
    await sim.close();
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("authenticates every role's token (so that the refusals below are about introspection)", async () => {
    expect(tokens.size).toBe(ROLES.length - 1);
    for (const [role, token] of tokens) {
      const a = await post(base, token, { query: "{ __typename }" });
      expect([role, a.status, a.body]).toEqual([role, 200, { data: { __typename: "Query" } }]);
    }
  });

  it.each(INTROSPECTION)("refuses %s for every role, before anything runs", async (_name, query) => {
    for (const [role, token] of tokens) {
      const a = await post(base, token, { query });
      expect([role, a.status]).toEqual([role, 400]);
      expect(a.body.data).toBeUndefined();
      expect(a.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
      expect(a.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
      expect(a.text).not.toMatch(/"(types|fields|queryType)"/);
      expectNoTrace(a);
    }
  });

  it.each(TYPOS)("gives no suggestion for the typo in %s", async (query) => {
    // graphql-js itself suggests the schema's names here: the gateway must not pass that on.
    const raw = validate(
      buildSdl("type Query { case(id: ID): Case me: Me } type Case { id: ID } type Me { subject: String }"),
      parse(query),
    );
    expect(raw.map((e) => e.message).join(" ")).toMatch(/Did you mean/);
    for (const [role, token] of tokens) {
      const a = await post(base, token, { query });
      expect([role, a.status]).toEqual([role, 400]);
      expect(a.body.errors?.length).toBeGreaterThan(0);
      expect(a.text).not.toMatch(/did you mean/i);
      expect(a.text).not.toMatch(/"case"|"Query"|"id"/);
      expectNoTrace(a);
    }
  });

  it("refuses automatic persisted queries: a document sent with its hash is not registered", async () => {
    const token = tokens.get("analyst") ?? "";
    const query = "{ me { subject } }";
    const hash = sha256(query);
    // Whatever the answer to the registration (refused, or run as the caller's own document where
    // the trusted-document setting lets the role send one), nothing is stored under the hash.
    const register = await post(base, token, apq(query, hash));
    expect(register.body.data !== undefined || (register.body.errors ?? []).length > 0).toBe(true);
    expectNoTrace(register);
    for (let i = 0; i < 2; i += 1) {
      const byHash = await post(base, token, apq(undefined, hash));
      // Apollo answers its own APQ errors with 200 (so that APQ clients resend); refused either way.
      expect([200, 400]).toContain(byHash.status);
      expect(byHash.body.data).toBeUndefined();
      expect(byHash.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
      expect(byHash.text).not.toContain("u-analyst");
      expectNoTrace(byHash);
    }
  });

  it("has Apollo's automatic persisted queries switched off, not merely unused", async () => {
    // Straight to Apollo, past any plugin that reads the extension first: the option itself refuses.
    const contextValue = await app.gateway.contextFor({
      authorization: `Bearer ${tokens.get("analyst") ?? ""}`,
    });
    const query = "{ me { subject } }";
    const res = await app.gateway.apollo.executeOperation(
      { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } },
      { contextValue },
    );
    if (res.body.kind !== "single") throw new Error("unexpected incremental answer");
    const { data, errors } = res.body.singleResult;
    if (errors?.[0]?.message.startsWith("PersistedQueryNotSupported")) {
      expect(data).toBeUndefined();
    } else {
      // A plugin ahead of Apollo's check took the extension off: then it ran as a plain document
      // and the hash alone must still find nothing.
      expect(data).toEqual({ me: { subject: "u-analyst" } });
      const again = await app.gateway.apollo.executeOperation(
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } },
        {
          contextValue: await app.gateway.contextFor({
            authorization: `Bearer ${tokens.get("analyst") ?? ""}`,
          }),
        },
      );
      if (again.body.kind !== "single") throw new Error("unexpected incremental answer");
      expect(again.body.singleResult.data).toBeUndefined();
    }
  });

  it("shows a browser no page, and nothing from a CDN", async () => {
    for (const path of ["/graphql", "/"]) {
      const page = await browse(base, path);
      expect([path, page.status >= 400]).toEqual([path, true]);
      expect(page.type).not.toMatch(/html/);
      expect(page.text).not.toMatch(/cdn|https?:\/\/|<script|<html/i);
    }
  });
});

describe("demo mode", () => {
  let h: HttpApp;
  let token: string;
  beforeAll(async () => {
    h = await startHttpApp();
    expect(h.t.app.config.demoMode).toBe(true);
    token = await h.t.token("analist.jansen", "analyst");
  });
  afterAll(async () => {
    await h.close();
  });

  it("answers introspection, for GraphQL tools", async () => {
    const schema = await post(h.base, token, { query: "{ __schema { queryType { name } } }" });
    expect(schema.body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    const type = await post(h.base, token, { query: '{ __type(name: "Case") { name } }' });
    expect(type.body).toEqual({ data: { __type: { name: "Case" } } });
  });

  it("still gives no suggestion", async () => {
    const a = await post(h.base, token, { query: TYPOS[0] });
    expect(a.status).toBe(400);
    expect(a.text).not.toMatch(/did you mean/i);
    expectNoTrace(a);
  });

  it("registers an automatic persisted query and then runs it by its hash", async () => {
    const query = "{ me { subject } }";
    const hash = sha256(query);
    const unknown = await post(h.base, token, apq(undefined, hash));
    expect(unknown.body.data).toBeUndefined();
    expect(unknown.body.errors?.[0]?.message).toMatch(/PersistedQueryNotFound/);
    expect((await post(h.base, token, apq(query, hash))).body).toEqual({
      data: { me: { subject: "analist.jansen" } },
    });
    expect((await post(h.base, token, apq(undefined, hash))).body).toEqual({
      data: { me: { subject: "analist.jansen" } },
    });
  });

  it("shows a browser the local page at /graphql, which loads nothing from elsewhere", async () => {
    const page = await browse(h.base, "/graphql");
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).toBe(DEMO_LANDING_PAGE);
    expect(page.text).toMatch(/Poortwachter \(demo mode\)/);
    expect(page.text).not.toMatch(/cdn|https:\/\/|<script|<link|<img|src=/i);
    // The only URL on it is the gateway's own, in the curl example.
    expect(page.text.match(/https?:\/\/[^\s"']+/g)).toEqual(["http://127.0.0.1:4000/graphql"]);
    const root = await browse(h.base, "/");
    expect(root.status).toBe(404);
    expect(root.text).not.toMatch(/cdn|https?:\/\//i);
  });
});
