import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_ISSUER } from "../../src/config/index.ts";
import {
  DEMO_AUDIENCE,
  DEMO_KEY_FILE,
  createAuthenticator,
  loadOrCreateDemoIssuer,
} from "../../src/auth/index.ts";
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from "./helpers/jwks-server.ts";
import { oidcConfig } from "./helpers/oidc-config.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "poortwachter-demo-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadOrCreateDemoIssuer", () => {
  it("creates the data dir and a private key file readable only by the owner", async () => {
    const dataDir = join(dir, "nested", "data");
    const issuer = await loadOrCreateDemoIssuer(dataDir);
    const info = await stat(join(dataDir, DEMO_KEY_FILE));
    expect(info.mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(join(dataDir, DEMO_KEY_FILE), "utf8")) as Record<
      string,
      unknown
    >;
    expect(stored["d"]).toEqual(expect.any(String));
    expect(issuer.jwks.keys).toHaveLength(1);
    expect(issuer.jwks.keys[0]).not.toHaveProperty("d");
  });

  it("reloads the same key, so a token minted before a restart still verifies", async () => {
    const first = await loadOrCreateDemoIssuer(dir);
    const token = await first.mint({ sub: "analyst-1", roles: ["analyst"] });
    const second = await loadOrCreateDemoIssuer(dir);
    expect(second.jwks).toEqual(first.jwks);
    const { payload } = await jwtVerify(token, second.verifyKey, {
      issuer: DEMO_ISSUER,
      audience: DEMO_AUDIENCE,
    });
    expect(payload.sub).toBe("analyst-1");
  });

  it("does not verify a token from a demo issuer in another data dir", async () => {
    const other = await mkdtemp(join(tmpdir(), "poortwachter-demo-other-"));
    try {
      const token = await (await loadOrCreateDemoIssuer(other)).mint({ sub: "x", roles: ["analyst"] });
      const mine = await loadOrCreateDemoIssuer(dir);
      await expect(jwtVerify(token, mine.verifyKey)).rejects.toThrow();
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("mints the documented claims with defaults", async () => {
    const now = new Date("2025-03-01T09:00:00Z");
    const issuer = await loadOrCreateDemoIssuer(dir, { clock: { now: () => now }, newId: () => "jti-1" });
    const token = await issuer.mint({
      sub: "dm-1",
      roles: ["department_member"],
      department: "vergunningen",
      name: "D. Member",
    });
    const t = now.getTime() / 1000;
    expect(decodeJwt(token)).toEqual({
      iss: DEMO_ISSUER,
      aud: DEMO_AUDIENCE,
      sub: "dm-1",
      roles: ["department_member"],
      department: "vergunningen",
      amr: ["pwd", "otp"],
      name: "D. Member",
      iat: t,
      exp: t + 3600,
      jti: "jti-1",
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid: issuer.jwks.keys[0]?.kid, typ: "JWT" });
    const short = decodeJwt(await issuer.mint({ sub: "a", roles: [], amr: ["pwd"], ttlSeconds: 60 }));
    expect(short.exp).toBe(t + 60);
    expect(short.amr).toEqual(["pwd"]);
  });

  it("refuses a key file that is not a private ES256 key instead of replacing it", async () => {
    await writeFile(join(dir, DEMO_KEY_FILE), JSON.stringify({ kty: "oct", k: "abc" }));
    await expect(loadOrCreateDemoIssuer(dir)).rejects.toThrow(/not an ES256 private key/);
    expect(JSON.parse(await readFile(join(dir, DEMO_KEY_FILE), "utf8"))).toEqual({ kty: "oct", k: "abc" });
  });

  it("refuses to mint with an empty sub or a non-positive lifetime", async () => {
    const issuer = await loadOrCreateDemoIssuer(dir);
    await expect(issuer.mint({ sub: " ", roles: ["analyst"] })).rejects.toThrow(/sub/);
    await expect(issuer.mint({ sub: "a", roles: ["analyst"], ttlSeconds: 0 })).rejects.toThrow(/ttl/);
  });
});

describe("demo tokens at the authenticator", () => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(async () => {
    await idp.close();
  });

  it("are accepted when the demo issuer is given (demo mode)", async () => {
    const demoIssuer = await loadOrCreateDemoIssuer(dir);
    const auth = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl, { requireMfa: true }), demoIssuer });
    const token = await demoIssuer.mint({
      sub: "dm-1",
      roles: ["department_member"],
      department: "handhaving",
    });
    const result = await auth.authenticate(`Bearer ${token}`);
    expect(result).toEqual({
      ok: true,
      value: {
        subject: "dm-1",
        roles: ["department_member"],
        department: "handhaving",
        clientId: undefined,
        amr: ["pwd", "otp"],
        acr: undefined,
        issuer: DEMO_ISSUER,
      },
    });
    // The configured issuer keeps working next to the demo issuer.
    expect(
      (await auth.authenticate(`Bearer ${await idp.sign({ roles: ["analyst"], amr: ["otp"] })}`)).ok,
    ).toBe(true);
  });

  it("are refused when no demo issuer is given (demo mode off)", async () => {
    const demoIssuer = await loadOrCreateDemoIssuer(dir);
    const auth = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl) });
    const token = await demoIssuer.mint({ sub: "analyst-1", roles: ["analyst"] });
    const result = await auth.authenticate(`Bearer ${token}`);
    expect(result.ok ? "ok" : result.error.kind).toBe("invalid");
  });

  it("with a foreign signature are refused even in demo mode", async () => {
    const other = await mkdtemp(join(tmpdir(), "poortwachter-demo-forger-"));
    try {
      const forged = await (await loadOrCreateDemoIssuer(other)).mint({ sub: "x", roles: ["analyst"] });
      const auth = createAuthenticator({
        oidc: oidcConfig(idp.jwksUrl),
        demoIssuer: await loadOrCreateDemoIssuer(dir),
      });
      const result = await auth.authenticate(`Bearer ${forged}`);
      expect(result.ok ? "ok" : result.error).toEqual({ kind: "invalid", reason: "no_matching_key" });
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("signed with the demo key but claiming the configured issuer are refused", async () => {
    const demoIssuer = await loadOrCreateDemoIssuer(dir);
    const auth = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl), demoIssuer });
    const privateJwk = JSON.parse(await readFile(join(dir, DEMO_KEY_FILE), "utf8")) as JWK;
    const token = await new SignJWT({ roles: ["analyst"] })
      .setProtectedHeader({ alg: "ES256", kid: demoIssuer.jwks.keys[0]?.kid ?? "" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject("x")
      .setExpirationTime("5m")
      .sign(await importJWK(privateJwk, "ES256"));
    const result = await auth.authenticate(`Bearer ${token}`);
    expect(result.ok ? "ok" : result.error).toEqual({ kind: "invalid", reason: "no_matching_key" });
  });
});
