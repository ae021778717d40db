import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configTable, DEMO_ISSUER, loadConfig } from "../../src/config/index.ts";

const production = {
  OIDC_ISSUER: "https://idp.example.nl/realms/gemeente",
  OIDC_JWKS_URL: "https://idp.example.nl/realms/gemeente/protocol/openid-connect/certs",
  OIDC_AUDIENCE: "poortwachter",
  BRP_URL: "https://brp.example.nl/haalcentraal/api/brp",
  AUDIT_HMAC_KEY: "k".repeat(32),
};

describe("configuration", () => {
  it("accepts a complete production configuration and freezes it", () => {
    const r = loadConfig({ ...production, BRP_API_KEY: "secret", OIDC_ROLE_CLAIM: "realm_access.roles" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.brp.auth).toEqual({ kind: "apiKey", apiKey: "secret" });
    expect(r.value.oidc.roleClaim).toBe("realm_access.roles");
    expect(Object.isFrozen(r.value)).toBe(true);
  });

  it("defaults to demo-free operation and names every missing production setting", () => {
    const r = loadConfig({});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    for (const name of ["OIDC_ISSUER", "OIDC_JWKS_URL", "OIDC_AUDIENCE", "BRP_URL", "AUDIT_HMAC_KEY"])
      expect(r.error.problems.some((p) => p.startsWith(name))).toBe(true);
  });

  it.each([
    [{ PORT: "seventy" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DEMO_MODE: "sure" }, "DEMO_MODE"],
    [{ DATABASE_URL: "mysql://x/y" }, "DATABASE_URL"],
    [{ MUNICIPALITY_CODE: "935" }, "MUNICIPALITY_CODE"],
    [{ OIDC_ALGORITHMS: "HS256" }, "OIDC_ALGORITHMS"],
    [{ AUDIT_HMAC_KEY: "short" }, "AUDIT_HMAC_KEY"],
    [{ BRP_TIMEOUT_MS: "0" }, "BRP_TIMEOUT_MS"],
    [{ BRP_CLIENT_ID: "only-id" }, "BRP_TOKEN_URL"],
    [{ OIDC_ISSUER: DEMO_ISSUER }, "OIDC_ISSUER"],
  ])("refuses %j with a message naming %s", (bad, name) => {
    const r = loadConfig({ ...production, ...bad });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.problems.join("\n")).toContain(name);
  });

  it("needs nothing else in demo mode", () => {
    const r = loadConfig({ DEMO_MODE: "true" });
    expect(r.ok && r.value.demoMode).toBe(true);
  });

  it("keeps the README's configuration table equal to the schema", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const table = /<!-- config-table:start -->([\s\S]*?)<!-- config-table:end -->/.exec(readme)?.[1] ?? "";
    // Cells compared, not alignment: Prettier pads Markdown tables.
    const cells = (markdown: string) =>
      markdown
        .split("\n")
        .filter((line) => line.trim().startsWith("|") && !/^\|[\s|:-]+\|$/.test(line.trim()))
        .map((line) => line.split("|").map((cell) => cell.trim()));
    expect(cells(table)).toEqual(cells(configTable()));
    expect(cells(table).length).toBeGreaterThan(20);
  });
});
