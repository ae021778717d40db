import { describe, expect, it } from "vitest";
import { bearerChallenge } from "../../src/auth/index.ts";

describe("bearerChallenge (RFC 6750 §3, RFC 9470)", () => {
  const realm = 'Bearer realm="poortwachter"';
  it.each([
    ["no header", undefined, undefined, realm],
    ["an empty header", "", undefined, realm],
    ["another scheme", "Basic dXNlcjpwYXNz", { kind: "invalid", reason: "not_bearer" }, realm],
    ["the Bearer scheme without a token", "Bearer", { kind: "invalid", reason: "not_bearer" }, realm],
    [
      "a refused bearer token",
      "Bearer a.b.c",
      { kind: "invalid", reason: "bad_signature" },
      `${realm}, error="invalid_token"`,
    ],
    [
      "an expired bearer token",
      "bearer a.b.c",
      { kind: "expired", reason: "token_expired" },
      `${realm}, error="invalid_token"`,
    ],
    [
      "a bearer token refused elsewhere (no reason known)",
      "Bearer a.b.c",
      undefined,
      `${realm}, error="invalid_token"`,
    ],
    [
      "a token without multi-factor authentication",
      "Bearer a.b.c",
      { kind: "mfa_required", reason: "mfa_not_shown" },
      `${realm}, error="insufficient_user_authentication"`,
    ],
  ] as const)("for %s", (_name, header, error, expected) => {
    expect(bearerChallenge(header, error)).toBe(expected);
  });
});
