import { mkdtempSync, rmSync } from "node:fs";
import { DEMO_SUBJECTS_ARG } from "../utils/case-subjects.ts";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, type App } from "../../src/app/index.ts";
import { loadOrCreateDemoIssuer } from "../../src/auth/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import { createMunicipality } from "../../src/sources/synthetic/index.ts";
import { startBrpSimulator, type BrpSimulator } from "../../src/sources/brp/index.ts";
import { openDb } from "../../src/store/index.ts";
import { weighBefore } from "../utils/weighing.ts";

/**
 * Outside demo mode: tokens from the configured identity provider (JWKS over HTTP), the BRP at
 * a configured URL with an API key, no demo issuer, no demo data. Demo tokens are refused.
 */
const ISSUER = "https://idp.gemeente.test/realms/ondermijning";
let jwks: Server;
let key: CryptoKey;
let sim: BrpSimulator;
let app: App;
let dataDir: string;

async function idpToken(sub: string, roles: string[]): Promise<string> {
  return new SignJWT({ realm_access: { roles } })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(ISSUER)
    .setAudience("poortwachter")
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

async function gql(token: string, query: string, variables?: Record<string, unknown>) {
  const contextValue = await app.gateway.contextFor({ authorization: `Bearer ${token}` });
  const res = await app.gateway.apollo.executeOperation(
    { query, ...(variables ? { variables } : {}) },
    { contextValue },
  );
  if (res.body.kind !== "single") throw new Error("unexpected");
  return res.body.singleResult;
}

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  key = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwks = createServer((_, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", () => resolve()));
  sim = await startBrpSimulator({
    municipality: createMunicipality({ seed: 7, size: 50 }),
    apiKey: "prod-key",
  });
  dataDir = mkdtempSync(join(tmpdir(), "poortwachter-prod-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    OIDC_ISSUER: ISSUER,
    OIDC_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`,
    OIDC_AUDIENCE: "poortwachter",
    OIDC_ROLE_CLAIM: "realm_access.roles",
    BRP_URL: sim.url,
    BRP_API_KEY: "prod-key",
    AUDIT_HMAC_KEY: "production-hmac-key-of-at-least-32-chars",
  });
  if (!config.ok) throw new Error(config.error.problems.join("; "));
  const booted = await bootstrap({
    config: config.value,
    db: await openDb({ dataDir: "memory://" }),
    logger: pino({ level: "silent" }),
  });
  if (!booted.ok) throw new Error(booted.error.problems.join("; "));
  app = booted.value;
});
afterAll(async () => {
  await app.close();
  await sim.close();
  await new Promise<void>((resolve) => jwks.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("production mode", () => {
  it("has no demo issuer and no demo data", async () => {
    expect(app.demo).toBeUndefined();
    const r = await gql(await idpToken("a.analist", ["analyst"]), `{ cases { id } }`);
    expect(r.data).toEqual({ cases: [] });
  });

  it("serves the identity provider's analyst against the configured BRP", async () => {
    const token = await idpToken("a.analist", ["analyst"]);
    const opened = await gql(
      token,
      `mutation { openCase(input: { reference: "PROD-1", motivation: "Signal.", ${DEMO_SUBJECTS_ARG} }) { id } }`,
    );
    const id = (opened.data as { openCase: { id: string } }).openCase.id;
    for (const to of ["weging", "bronnenonderzoek"]) {
      await weighBefore((q, v) => gql(token, q, v), id, to);
      await gql(
        token,
        `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next.") { phase } }`,
        { id, to },
      );
    }
    // Privacy check 1 per closed source, advised GO (Maastricht art. 18.1): only then do they answer.
    const officer = await idpToken("p.officer", ["privacy_officer"]);
    for (const [source, probes] of [
      ["brp", ["brp.ingeschreven", "brp.binnenGemeente"]],
      [
        "permits",
        [
          "permits.horeca",
          "permits.exploitatie",
          "permits.omgeving",
          "permits.parkeer",
          "permits.boeteAlcoholwet",
        ],
      ],
      ["historie", ["historie.eerderAdresInGemeente"]],
    ] as const) {
      const requested = await gql(
        token,
        `mutation($id: ID!, $source: String!, $probes: [String!]) { requestPrivacyCheck(input: { caseId: $id,
          kind: CHECK_1, source: $source, probes: $probes, motivation: "Source research." }) { id } }`,
        { id, source, probes },
      );
      const checkId = (requested.data as { requestPrivacyCheck: { id: string } }).requestPrivacyCheck.id;
      const advised = await gql(
        officer,
        `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Proportionate.") { status } }`,
        { id: checkId },
      );
      expect(advised.data).toEqual({ advisePrivacyCheck: { status: "APPROVED" } });
    }
    const bsn = createMunicipality({ seed: 7, size: 50 }).wellKnown.residentBsn;
    const r = await gql(
      token,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits { probe result } } } }`,
      {
        id,
        bsn,
      },
    );
    expect(r.data).toEqual({
      case: {
        persoon: {
          // Only the BRP is configured: the other sources' probes are UNKNOWN, never NO_HIT.
          hits: [
            { probe: "brp.ingeschreven", result: "HIT" },
            { probe: "brp.binnenGemeente", result: "HIT" },
            ...[
              "permits.horeca",
              "permits.exploitatie",
              "permits.omgeving",
              "permits.parkeer",
              "permits.boeteAlcoholwet",
              "historie.eerderAdresInGemeente",
            ].map((probe) => ({ probe, result: "UNKNOWN" })),
          ],
        },
      },
    });
    expect(sim.requests.length).toBeGreaterThan(0);
    expect(sim.requests.every((q) => q.headers["x-api-key"] === "prod-key")).toBe(true);
  });

  it("refuses demo tokens", async () => {
    const demoDir = mkdtempSync(join(tmpdir(), "poortwachter-demo-key-"));
    try {
      const demo = await loadOrCreateDemoIssuer(demoDir);
      const token = await demo.mint({ sub: "analist.jansen", roles: ["analyst"] });
      await expect(app.gateway.contextFor({ authorization: `Bearer ${token}` })).rejects.toMatchObject({
        extensions: { code: "UNAUTHENTICATED" },
      });
    } finally {
      rmSync(demoDir, { recursive: true, force: true });
    }
  });
});
