import { SignJWT, generateKeyPair, type CryptoKey, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createAuthenticator, type AuthError } from "../../src/auth/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import type { Actor, Result } from "../../src/shared/index.ts";
import { AUDIENCE, ISSUER } from "./helpers/jwks-server.ts";
import { oidcConfig } from "./helpers/oidc-config.ts";

/** Issue 15: the verified-token cache saves the signature check, never a lifetime check. */
const T0 = Date.UTC(2026, 0, 1, 12) / 1000;
let key: { publicKey: CryptoKey; privateKey: CryptoKey };
let other: CryptoKey;
beforeAll(async () => {
  key = await generateKeyPair("ES256");
  other = (await generateKeyPair("ES256")).privateKey;
});

const sign = (claims: JWTPayload = {}, signer: CryptoKey = key.privateKey) =>
  new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: "u-1001", iat: T0, exp: T0 + 300, ...claims })
    .setProtectedHeader({ alg: "ES256", kid: "es-1" })
    .sign(signer);

/** An authenticator on a fake clock that counts its signature checks (key look-ups). */
function harness(tokenCacheSize: number, overrides: Parameters<typeof oidcConfig>[1] = {}) {
  const state = { nowS: T0, lookups: 0 };
  const auth = createAuthenticator({
    oidc: oidcConfig("http://unused.test/jwks.json", { tokenCacheSize, ...overrides }),
    jwks: async () => {
      state.lookups += 1;
      return key.publicKey;
    },
    clock: { now: () => new Date(state.nowS * 1000) },
  });
  return { state, authenticate: (token: string) => auth.authenticate(`Bearer ${token}`) };
}

const outcome = (r: Result<Actor, AuthError>) => (r.ok ? { ok: r.value.subject } : r.error);

describe("verified-token cache (AUTH_TOKEN_CACHE_SIZE)", () => {
  it("verifies a token's signature once, then answers from the cache", async () => {
    const h = harness(10);
    const token = await sign();
    for (let i = 0; i < 3; i++) expect(outcome(await h.authenticate(token))).toEqual({ ok: "u-1001" });
    expect(h.state.lookups).toBe(1);
  });

  it("refuses a cached token after exp (fake clock), exactly as without the cache", async () => {
    const cached = harness(10);
    const plain = harness(0);
    const token = await sign({ nbf: T0 - 60 });
    expect(outcome(await cached.authenticate(token))).toEqual({ ok: "u-1001" });
    // Around exp + tolerance (30 s), and far beyond the maximum age: the same answer either way.
    for (const at of [299, 300, 329, 330, 331, 3600, 7200 + 31]) {
      cached.state.nowS = plain.state.nowS = T0 + at;
      expect([at, outcome(await cached.authenticate(token))]).toEqual([
        at,
        outcome(await plain.authenticate(token)),
      ]);
    }
    cached.state.nowS = T0 + 331;
    expect(outcome(await cached.authenticate(token))).toEqual({ kind: "expired", reason: "token_expired" });
    // A clock set back (a replica with skew) is judged by the same rules too: iat in the future.
    cached.state.nowS = plain.state.nowS = T0 - 31;
    expect(outcome(await cached.authenticate(token))).toEqual(outcome(await plain.authenticate(token)));
  });

  it("never caches a refused token", async () => {
    const h = harness(10);
    const forged = await sign({}, other);
    expect(outcome(await h.authenticate(forged))).toEqual({ kind: "invalid", reason: "bad_signature" });
    expect(outcome(await h.authenticate(forged))).toEqual({ kind: "invalid", reason: "bad_signature" });
    expect(h.state.lookups).toBe(2);

    // Not valid yet: refused, and once valid it is verified anew, not answered from a refusal.
    const early = await sign({ nbf: T0 + 100 });
    expect(outcome(await h.authenticate(early))).toEqual({
      kind: "invalid",
      reason: "claim_nbf_check_failed",
    });
    h.state.nowS = T0 + 100;
    expect(outcome(await h.authenticate(early))).toEqual({ ok: "u-1001" });
    expect(h.state.lookups).toBe(4);

    // Refused after the signature check (MFA, lifetime): each attempt is checked in full.
    const mfa = harness(10, { requireMfa: true });
    const noMfa = await sign();
    for (let i = 0; i < 2; i++)
      expect(outcome(await mfa.authenticate(noMfa))).toEqual({
        kind: "mfa_required",
        reason: "mfa_not_shown",
      });
    const long = await sign({ exp: T0 + 7201 });
    for (let i = 0; i < 2; i++)
      expect(outcome(await mfa.authenticate(long))).toEqual({ kind: "invalid", reason: "lifetime_too_long" });
    expect(mfa.state.lookups).toBe(4);
  });

  it("is bounded: beyond its size the oldest insertion is verified anew", async () => {
    const h = harness(2);
    const [a, b, c] = await Promise.all([sign({ sub: "a" }), sign({ sub: "b" }), sign({ sub: "c" })]);
    for (const t of [a, b, c]) await h.authenticate(t);
    expect(h.state.lookups).toBe(3);
    expect(outcome(await h.authenticate(c))).toEqual({ ok: "c" });
    expect(h.state.lookups).toBe(3);
    expect(outcome(await h.authenticate(a))).toEqual({ ok: "a" });
    expect(h.state.lookups).toBe(4);
  });

  it("verifies a token that differs by one character anew", async () => {
    const h = harness(10);
    const token = await sign();
    await h.authenticate(token);
    const [head, body, sig = ""] = token.split(".");
    const flipped = `${head}.${body}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
    expect(outcome(await h.authenticate(flipped))).toEqual({ kind: "invalid", reason: "bad_signature" });
    expect(h.state.lookups).toBe(2);
    // The payload of a cached token with one character changed is checked too.
    const claims = JSON.parse(Buffer.from(body ?? "", "base64url").toString()) as JWTPayload;
    const altered = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: "u-1002" })).toString("base64url")}.${sig}`;
    expect(outcome(await h.authenticate(altered))).toEqual({ kind: "invalid", reason: "bad_signature" });
    expect(h.state.lookups).toBe(3);
  });

  it("with size 0 verifies every request; the setting defaults to 1,000", async () => {
    const h = harness(0);
    const token = await sign();
    for (let i = 0; i < 3; i++) await h.authenticate(token);
    expect(h.state.lookups).toBe(3);
    const loaded = loadConfig({ DEMO_MODE: "true" });
    expect(loaded.ok && loaded.value.oidc.tokenCacheSize).toBe(1000);
    const off = loadConfig({ DEMO_MODE: "true", AUTH_TOKEN_CACHE_SIZE: "0" });
    expect(off.ok && off.value.oidc.tokenCacheSize).toBe(0);
    expect(loadConfig({ DEMO_MODE: "true", AUTH_TOKEN_CACHE_SIZE: "-1" }).ok).toBe(false);
  });
});
