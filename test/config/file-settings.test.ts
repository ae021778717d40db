import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";

/**
 * Issue 12: every setting accepts `<NAME>_FILE`, the path of a file holding the value (a mounted
 * Docker or Kubernetes secret), so that AUDIT_HMAC_KEY and credentials need not be in the
 * environment.
 */
const dir = mkdtempSync(join(tmpdir(), "poortwachter-secrets-"));
const secret = (name: string, value: string) => {
  const path = join(dir, name);
  writeFileSync(path, value);
  return path;
};
const PRODUCTION = {
  OIDC_ISSUER: "https://idp.example.nl",
  OIDC_JWKS_URL: "https://idp.example.nl/jwks",
  OIDC_AUDIENCE: "poortwachter",
  BRP_URL: "https://brp.example.nl/haalcentraal/api/brp",
};

describe("<NAME>_FILE settings", () => {
  it("reads the value from the file, without the trailing newline", () => {
    const key = "k".repeat(48);
    const config = loadConfig({
      ...PRODUCTION,
      AUDIT_HMAC_KEY_FILE: secret("hmac", `${key}\n`),
      BRP_API_KEY_FILE: secret("brp", "s3cret"),
    });
    expect(config.ok, JSON.stringify(config)).toBe(true);
    if (!config.ok) return;
    expect(config.value.auditHmacKey).toBe(key);
    expect(config.value.brp.auth).toEqual({ kind: "apiKey", apiKey: "s3cret" });
  });

  it("refuses both forms at once, and a file it cannot read, naming them", () => {
    const both = loadConfig({
      ...PRODUCTION,
      AUDIT_HMAC_KEY: "x".repeat(48),
      AUDIT_HMAC_KEY_FILE: secret("h2", "y".repeat(48)),
    });
    expect(both).toMatchObject({
      ok: false,
      error: { problems: ["AUDIT_HMAC_KEY_FILE: set AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE, not both"] },
    });
    const missing = loadConfig({ ...PRODUCTION, AUDIT_HMAC_KEY_FILE: join(dir, "nope") });
    expect(missing).toMatchObject({
      ok: false,
      error: { problems: [`AUDIT_HMAC_KEY_FILE: cannot read ${join(dir, "nope")} (ENOENT)`] },
    });
  });

  it("leaves other programs' _FILE variables alone", () => {
    const config = loadConfig({ DEMO_MODE: "true", SSL_CERT_FILE: "/etc/ssl/certs/ca.pem" });
    expect(config.ok).toBe(true);
  });
});
