import { SignJWT, base64url, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticator, type AuthError } from "../../src/auth/index.ts";
import type { Actor, Result } from "../../src/shared/index.ts";
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from "./helpers/jwks-server.ts";
import { oidcConfig } from "./helpers/oidc-config.ts";

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.close();
});

const nowS = () => Math.floor(Date.now() / 1000);

const actorOf = (result: Result<Actor, AuthError>): Actor => {
  if (!result.ok) throw new Error(`expected an actor, got ${result.error.kind}/${result.error.reason}`);
  return result.value;
};
const errorOf = (result: Result<Actor, AuthError>): AuthError => {
  if (result.ok) throw new Error(`expected an error, got actor ${result.value.subject}`);
  return result.error;
};

describe("createAuthenticator with the configured issuer", () => {
  const auth = () => createAuthenticator({ oidc: oidcConfig(idp.jwksUrl) });

  it.each(["RS256", "ES256"] as const)(
    "accepts a valid %s token fetched from the remote JWKS",
    async (alg) => {
      const before = idp.requests();
      const token = await idp.sign(
        {
          roles: ["analyst", "coordinator"],
          department: "handhaving",
          azp: "case-app",
          amr: ["pwd", "otp"],
          acr: "2",
        },
        { alg },
      );
      const actor = actorOf(await auth().authenticate(`Bearer ${token}`));
      expect(actor).toEqual({
        subject: "u-1001",
        roles: ["analyst", "coordinator"],
        department: "handhaving",
        clientId: "case-app",
        amr: ["pwd", "otp"],
        acr: "2",
        issuer: ISSUER,
      });
      expect(idp.requests()).toBeGreaterThan(before);
    },
  );

  it("takes the client id from client_id when there is no azp, and accepts a lower-case scheme", async () => {
    const token = await idp.sign({ roles: ["application"], client_id: "vth-system" });
    const actor = actorOf(await auth().authenticate(`bearer ${token}`));
    expect(actor.clientId).toBe("vth-system");
    // The application role comes only from clients.yaml (issue 12): an unlisted client gets none.
    expect(actor.roles).toEqual([]);
    expect(actor.amr).toEqual([]);
  });

  it.each([
    ["no header", undefined, "missing"],
    ["an empty header", "", "missing"],
    ["another scheme", "Basic dXNlcjpwYXNz", "invalid"],
    ["Bearer without a token", "Bearer", "invalid"],
    ["a token that is not a JWT", "Bearer not-a-jwt", "invalid"],
  ] as const)("refuses %s", async (_name, header, kind) => {
    expect(errorOf(await auth().authenticate(header)).kind).toBe(kind);
  });

  const badTokens: [string, () => Promise<string>, AuthError][] = [
    [
      "a wrong issuer",
      () => idp.sign({ iss: "https://evil.test/" }),
      { kind: "invalid", reason: "claim_iss_check_failed" },
    ],
    [
      "a wrong audience",
      () => idp.sign({ aud: "other-app" }),
      { kind: "invalid", reason: "claim_aud_check_failed" },
    ],
    [
      "an expired token",
      () => idp.sign({}, { expiresIn: -120 }),
      { kind: "expired", reason: "token_expired" },
    ],
    [
      "a token without exp",
      () => idp.sign({}, { expiresIn: null }),
      { kind: "invalid", reason: "claim_exp_missing" },
    ],
    [
      "a token issued an hour in the future",
      () => idp.sign({ iat: nowS() + 3600, exp: nowS() + 3900 }),
      { kind: "invalid", reason: "claim_iat_check_failed" },
    ],
    [
      "a token that expires in the year 2999",
      () => idp.sign({ exp: Math.floor(Date.UTC(2999, 0, 1) / 1000) }),
      { kind: "invalid", reason: "lifetime_too_long" },
    ],
    [
      "a token without iat",
      () => idp.sign({ iat: undefined }),
      { kind: "invalid", reason: "claim_iat_missing" },
    ],
    [
      "a token issued a day ago that has not expired",
      () => idp.sign({ iat: nowS() - 86_400 }),
      { kind: "expired", reason: "token_expired" },
    ],
    [
      "a token that is not valid yet (nbf)",
      () => idp.sign({ nbf: nowS() + 600 }),
      { kind: "invalid", reason: "claim_nbf_check_failed" },
    ],
    [
      "a token without sub",
      () => idp.sign({ sub: undefined }),
      { kind: "invalid", reason: "claim_sub_missing" },
    ],
    [
      "a token signed with another key under the published kid",
      async () => idp.sign({}, { alg: "ES256", key: (await generateKeyPair("ES256")).privateKey }),
      { kind: "invalid", reason: "bad_signature" },
    ],
    [
      "a token whose payload was changed after signing",
      async () => {
        const [header, , signature] = (await idp.sign({ roles: ["department_member"] })).split(".");
        const now = Math.floor(Date.now() / 1000);
        const forged = { iss: ISSUER, aud: AUDIENCE, sub: "u-1001", exp: now + 300, roles: ["analyst"] };
        return `${header}.${base64url.encode(JSON.stringify(forged))}.${signature}`;
      },
      { kind: "invalid", reason: "bad_signature" },
    ],
    [
      "an unsigned token (alg none)",
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
        const payload = { iss: ISSUER, aud: AUDIENCE, sub: "u-1001", exp: now + 300, roles: ["analyst"] };
        return `${header}.${base64url.encode(JSON.stringify(payload))}.`;
      },
      { kind: "invalid", reason: "alg_not_allowed" },
    ],
    [
      "an HS256 token",
      () =>
        new SignJWT({ roles: ["analyst"] })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject("u-1001")
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!")),
      { kind: "invalid", reason: "alg_not_allowed" },
    ],
  ];

  it.each(badTokens)("refuses %s", async (_name, makeToken, expected) => {
    expect(errorOf(await auth().authenticate(`Bearer ${await makeToken()}`))).toEqual(expected);
  });

  it("refuses an algorithm that is not in the allow-list", async () => {
    const rsOnly = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl, { algorithms: ["RS256"] }) });
    const es = await idp.sign({ roles: ["analyst"] }, { alg: "ES256" });
    expect(errorOf(await rsOnly.authenticate(`Bearer ${es}`))).toEqual({
      kind: "invalid",
      reason: "alg_not_allowed",
    });
    const rs = await idp.sign({ roles: ["analyst"] }, { alg: "RS256" });
    expect(actorOf(await rsOnly.authenticate(`Bearer ${rs}`)).roles).toEqual(["analyst"]);
  });

  it("never accepts HS256, even when configured and the key resolver would hand out the secret", async () => {
    const secret = new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!");
    const token = await new SignJWT({ roles: ["analyst"] })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject("u-1001")
      .setExpirationTime("5m")
      .sign(secret);
    const confused = createAuthenticator({
      oidc: oidcConfig(idp.jwksUrl, { algorithms: ["HS256", "none", "RS256"] }),
      jwks: async () => secret,
    });
    expect(errorOf(await confused.authenticate(`Bearer ${token}`))).toEqual({
      kind: "invalid",
      reason: "alg_not_allowed",
    });
  });

  it("accepts a token expired within the clock tolerance, and uses the injected clock", async () => {
    const token = await idp.sign({}, { expiresIn: -10 });
    expect(actorOf(await auth().authenticate(`Bearer ${token}`)).subject).toBe("u-1001");
    const later = createAuthenticator({
      oidc: oidcConfig(idp.jwksUrl),
      clock: { now: () => new Date(Date.now() + 3600_000) },
    });
    expect(errorOf(await later.authenticate(`Bearer ${await idp.sign({})}`)).kind).toBe("expired");
  });

  it("bounds exp - iat by the configured maximum lifetime and lets iat lead by the tolerance", async () => {
    const short = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl, { maxTokenLifetimeS: 600 }) });
    const now = nowS();
    const at = (iat: number, exp: number) => idp.sign({ iat: now + iat, exp: now + exp });
    expect((await short.authenticate(`Bearer ${await at(0, 600)}`)).ok).toBe(true);
    expect(errorOf(await short.authenticate(`Bearer ${await at(0, 601)}`))).toEqual({
      kind: "invalid",
      reason: "lifetime_too_long",
    });
    expect((await short.authenticate(`Bearer ${await at(25, 300)}`)).ok).toBe(true);
    expect(errorOf(await short.authenticate(`Bearer ${await at(40, 300)}`)).reason).toBe(
      "claim_iat_check_failed",
    );
    // Without the setting (a hand-made configuration) the default maximum still applies.
    const { maxTokenLifetimeS: _unset, ...withoutMax } = oidcConfig(idp.jwksUrl);
    const fallback = createAuthenticator({ oidc: withoutMax });
    expect(errorOf(await fallback.authenticate(`Bearer ${await at(0, 7201)}`)).reason).toBe(
      "lifetime_too_long",
    );
  });

  it("puts no token content in error reasons", async () => {
    const tokens = [
      await idp.sign({ iss: "https://evil.test/secret-issuer" }),
      await idp.sign({ aud: "secret-audience" }),
      await idp.sign({ sub: "secret-subject" }, { expiresIn: -3600 }),
    ];
    for (const token of tokens) {
      const { reason } = errorOf(await auth().authenticate(`Bearer ${token}`));
      expect(reason).toMatch(/^[a-z_]+$/);
      expect(reason).not.toMatch(/secret|evil/);
    }
  });

  it("refuses every token when no issuer is configured", async () => {
    const none = createAuthenticator({
      oidc: oidcConfig(idp.jwksUrl, { issuer: undefined, jwksUrl: undefined, audience: undefined }),
    });
    expect(errorOf(await none.authenticate(`Bearer ${await idp.sign({ roles: ["analyst"] })}`))).toEqual({
      kind: "invalid",
      reason: "issuer_not_configured",
    });
  });

  it("reports an unreachable JWKS as invalid without leaking the URL", async () => {
    const unreachable = await startTestIdp();
    const url = unreachable.jwksUrl;
    await unreachable.close();
    const auth404 = createAuthenticator({ oidc: oidcConfig(url) });
    const error = errorOf(await auth404.authenticate(`Bearer ${await idp.sign({})}`));
    expect(error).toEqual({ kind: "invalid", reason: "jwks_unavailable" });
  });
});

describe("role and department claims", () => {
  it.each([
    ["an array", "roles", { roles: ["analyst", "dpo"] }, ["analyst", "dpo"]],
    ["a space-separated string", "roles", { roles: "analyst dpo" }, ["analyst", "dpo"]],
    ["a comma-separated string", "roles", { roles: "analyst, legal" }, ["analyst", "legal"]],
    ["a dotted path", "realm_access.roles", { realm_access: { roles: ["coordinator"] } }, ["coordinator"]],
    [
      "unknown roles among known ones",
      "roles",
      { roles: ["analyst", "admin", "offline_access"] },
      ["analyst"],
    ],
    ["only unknown roles", "roles", { roles: ["admin", "uma_authorization"] }, []],
    ["no role claim at all", "roles", {}, []],
  ] as const)("maps %s", async (_name, roleClaim, claims, expected) => {
    const idpAuth = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl, { roleClaim }) });
    const actor = actorOf(await idpAuth.authenticate(`Bearer ${await idp.sign(claims)}`));
    expect(actor.roles).toEqual(expected);
  });

  it("reads the department from the configured claim and ignores a non-string one", async () => {
    const idpAuth = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl, { departmentClaim: "org.unit" }) });
    const withDept = await idp.sign({ roles: ["department_member"], org: { unit: "vergunningen" } });
    expect(actorOf(await idpAuth.authenticate(`Bearer ${withDept}`)).department).toBe("vergunningen");
    const numeric = await idp.sign({ roles: ["department_member"], org: { unit: 42 } });
    expect(actorOf(await idpAuth.authenticate(`Bearer ${numeric}`)).department).toBeUndefined();
  });
});

describe("MFA requirement (Maastricht art. 9)", () => {
  const mfa = (mfaAcr: string[] = []) =>
    createAuthenticator({
      oidc: oidcConfig(idp.jwksUrl, { requireMfa: true, mfaAmr: ["otp", "mfa"], mfaAcr }),
    });

  it.each([
    ["no amr", {}, [], "mfa_required"],
    ["password only", { amr: ["pwd"] }, [], "mfa_required"],
    ["password and otp", { amr: ["pwd", "otp"] }, [], "ok"],
    [
      "an acr that is configured as multi-factor",
      { acr: "urn:eherkenning:loa:3" },
      ["urn:eherkenning:loa:3"],
      "ok",
    ],
    [
      "an acr that is not configured",
      { acr: "urn:eherkenning:loa:2" },
      ["urn:eherkenning:loa:3"],
      "mfa_required",
    ],
  ] as const)("with %s", async (_name, claims, mfaAcr, expected) => {
    const result = await mfa([...mfaAcr]).authenticate(
      `Bearer ${await idp.sign({ roles: ["analyst"], ...claims })}`,
    );
    expect(result.ok ? "ok" : result.error.kind).toBe(expected);
  });

  it("is not checked when not required", async () => {
    const plain = createAuthenticator({ oidc: oidcConfig(idp.jwksUrl) });
    expect((await plain.authenticate(`Bearer ${await idp.sign({ amr: ["pwd"] })}`)).ok).toBe(true);
  });
});
