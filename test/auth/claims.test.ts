import { describe, expect, it } from "vitest";
import { meetsMfaRequirement, parseRoles, readClaim, safeAlgorithms } from "../../src/auth/index.ts";
import type { Actor } from "../../src/shared/index.ts";

describe("readClaim", () => {
  it.each([
    ["a top-level claim", { roles: ["a"] }, "roles", ["a"]],
    ["a dotted path", { realm_access: { roles: ["a"] } }, "realm_access.roles", ["a"]],
    [
      "a literal name with dots before the path",
      { "https://idp/roles": "x", https: { "//idp/roles": "y" } },
      "https://idp/roles",
      "x",
    ],
    ["a missing segment", { realm_access: {} }, "realm_access.roles", undefined],
    ["a path through a non-object", { realm_access: "x" }, "realm_access.roles", undefined],
    ["a path into the prototype", {}, "__proto__.constructor", undefined],
    ["an inherited property", {}, "toString", undefined],
  ] as const)("reads %s", (_name, payload, name, expected) => {
    expect(readClaim(payload, name)).toEqual(expected);
  });
});

describe("parseRoles", () => {
  it.each([
    [
      ["analyst", "analyst", "dpo"],
      ["analyst", "dpo"],
    ],
    ["analyst  coordinator,legal", ["analyst", "coordinator", "legal"]],
    [["analyst", 7, null, "Analyst"], ["analyst"]],
    [42, []],
    [undefined, []],
  ] as const)("parses %j", (value, expected) => {
    expect(parseRoles(value)).toEqual(expected);
  });
});

describe("safeAlgorithms", () => {
  it("drops HMAC and none whatever the configuration says", () => {
    expect(safeAlgorithms(["HS256", "hs512", "none", "NONE", "RS256", "ES256"])).toEqual(["RS256", "ES256"]);
  });
});

describe("meetsMfaRequirement", () => {
  const actor = (amr: string[], acr?: string): Actor => ({ subject: "s", roles: [], amr, acr, issuer: "i" });
  const requirement = { requireMfa: true, mfaAmr: ["otp"], mfaAcr: ["high"] };
  it.each([
    [actor([]), false],
    [actor(["pwd"]), false],
    [actor(["pwd", "otp"]), true],
    [actor([], "high"), true],
    [actor([], "low"), false],
  ])("%j -> %s", (a, expected) => {
    expect(meetsMfaRequirement(a, requirement)).toBe(expected);
    expect(meetsMfaRequirement(a, { ...requirement, requireMfa: false })).toBe(true);
  });
});
