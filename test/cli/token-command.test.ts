import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthenticator, loadOrCreateDemoIssuer } from "../../src/auth/index.ts";
import { runTokenCommand } from "../../src/cli/token-command.ts";
import type { OidcConfig } from "../../src/config/index.ts";
import { ROLES } from "../../src/shared/index.ts";

// Demo mode: no configured issuer, only the demo issuer.
const demoOidc: OidcConfig = {
  issuer: undefined,
  jwksUrl: undefined,
  audience: undefined,
  algorithms: ["ES256"],
  roleClaim: "roles",
  departmentClaim: "department",
  requireMfa: true,
  mfaAmr: ["otp"],
  mfaAcr: [],
  clockToleranceS: 30,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "poortwachter-token-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string | undefined> = { DATA_DIR: dir }) {
  let stdout = "";
  let stderr = "";
  const code = await runTokenCommand(argv, {
    env,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}

describe("runTokenCommand", () => {
  it("prints only a token that the demo-mode authenticator accepts", async () => {
    const out = await run([
      "--sub",
      "an-1",
      "--role",
      "analyst",
      "--role",
      "coordinator,legal",
      "--department",
      "handhaving",
    ]);
    expect(out).toMatchObject({ code: 0, stderr: "" });
    expect(out.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const demoIssuer = await loadOrCreateDemoIssuer(dir);
    const auth = createAuthenticator({ oidc: demoOidc, demoIssuer });
    const result = await auth.authenticate(`Bearer ${out.stdout.trim()}`);
    expect(result.ok && result.value).toMatchObject({
      subject: "an-1",
      roles: ["analyst", "coordinator", "legal"],
      department: "handhaving",
    });
  });

  it("uses --data-dir over DATA_DIR, and --ttl for the lifetime", async () => {
    const other = join(dir, "other");
    const out = await run(["--sub", "a", "--role", "dpo", "--data-dir", other, "--ttl", "30m"], {
      DATA_DIR: "/nonexistent/x",
    });
    expect(out.code).toBe(0);
    const claims = decodeJwt(out.stdout.trim());
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(1800);
    const auth = createAuthenticator({ oidc: demoOidc, demoIssuer: await loadOrCreateDemoIssuer(other) });
    expect((await auth.authenticate(`Bearer ${out.stdout.trim()}`)).ok).toBe(true);
  });

  it.each([
    ["8h", 8 * 3600],
    ["3600", 3600],
    ["45s", 45],
    ["1d", 86_400],
  ])("reads --ttl %s (within a raised OIDC_MAX_TOKEN_LIFETIME_S)", async (ttl, seconds) => {
    const env = { DATA_DIR: dir, OIDC_MAX_TOKEN_LIFETIME_S: "86400" };
    const claims = decodeJwt((await run(["--sub", "a", "--role", "dpo", "--ttl", ttl], env)).stdout.trim());
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(seconds);
  });

  it("refuses a --ttl beyond the lifetime the gateway accepts, which would only mint a refused token", async () => {
    const out = await run(["--sub", "a", "--role", "analyst", "--ttl", "8h"]);
    expect(out).toMatchObject({ code: 2, stdout: "" });
    expect(out.stderr).toContain("OIDC_MAX_TOKEN_LIFETIME_S");
    const within = await run(["--sub", "a", "--role", "analyst", "--ttl", "2h"]);
    expect(within.code).toBe(0);
  });

  it("refuses an unknown role with exit 2, naming it and listing the valid roles", async () => {
    const out = await run(["--sub", "a", "--role", "analyst,admin"]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain('unknown role "admin"');
    for (const role of ROLES) expect(out.stderr).toContain(role);
  });

  it.each([
    ["no --sub", ["--role", "analyst"], "--sub"],
    ["no --role", ["--sub", "a"], "--role is required"],
    ["a bad --ttl", ["--sub", "a", "--role", "analyst", "--ttl", "soon"], "--ttl is not a duration"],
    ["a zero --ttl", ["--sub", "a", "--role", "analyst", "--ttl", "0"], "--ttl"],
    ["an unknown option", ["--sub", "a", "--role", "analyst", "--admin"], "--admin"],
    ["a positional argument", ["--sub", "a", "--role", "analyst", "extra"], "extra"],
  ])("refuses %s with exit 2", async (_name, argv, message) => {
    const out = await run(argv);
    expect(out).toMatchObject({ code: 2, stdout: "" });
    expect(out.stderr).toContain(message);
    expect(out.stderr).toContain("Usage:");
  });

  it("prints help on stdout with exit 0", async () => {
    const out = await run(["--help"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("--sub <user>");
    expect(out.stderr).toBe("");
  });
});
