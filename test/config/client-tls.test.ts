import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";
import { createTestPki, type TestPki } from "../utils/test-pki.ts";

/** BRK_CLIENT_CERT / BRK_CLIENT_KEY / BRK_CA: read and checked at start-up, refused with the variable named. */
let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
}, 60_000);
afterAll(() => pki.remove());

const load = (env: Record<string, string>) => loadConfig({ DEMO_MODE: "true", ...env });
const problems = (env: Record<string, string>) => {
  const r = load(env);
  return r.ok ? [] : r.error.problems;
};

describe("BRK client certificate", () => {
  it("cert, key and CA are read into the config", () => {
    const r = load({
      BRK_CLIENT_CERT: pki.files.clientCert,
      BRK_CLIENT_KEY: pki.files.clientKey,
      BRK_CA: pki.files.ca,
    });
    expect(r.ok && r.value.brk.tls).toEqual({ cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert });
  });

  it("nothing set: no mTLS", () => {
    const r = load({});
    expect(r.ok && r.value.brk.tls).toBeUndefined();
  });

  it("a missing file stops start-up, naming the variable and the path", () => {
    const missing = join(pki.dir, "nope.crt");
    expect(problems({ BRK_CLIENT_CERT: missing, BRK_CLIENT_KEY: pki.files.clientKey })).toEqual([
      `BRK_CLIENT_CERT: cannot read ${missing} (ENOENT)`,
    ]);
  });

  it.each([
    [{ BRK_CLIENT_CERT: "/x.crt" }, "BRK_CLIENT_CERT and BRK_CLIENT_KEY: set both or neither"],
    [{ BRK_CA: "/ca.crt" }, "BRK_CA: only with BRK_CLIENT_CERT and BRK_CLIENT_KEY"],
  ])("%j is refused", (env, problem) => {
    expect(problems(env)).toEqual([problem]);
  });

  it("a file that is no PEM certificate is refused without its content in the message", () => {
    const junk = join(pki.dir, "junk.pem");
    writeFileSync(junk, "geheim-niet-tonen");
    const found = problems({ BRK_CLIENT_CERT: junk, BRK_CLIENT_KEY: pki.files.clientKey });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^BRK_CLIENT_CERT, BRK_CLIENT_KEY: not a usable PEM certificate, key and CA/);
    expect(found[0]).not.toContain("geheim");
  });

  it("a key that does not belong to the certificate is refused", () => {
    const other = join(pki.dir, "stranger-only.key");
    writeFileSync(other, pki.strangerKey);
    expect(problems({ BRK_CLIENT_CERT: pki.files.clientCert, BRK_CLIENT_KEY: other })[0]).toMatch(
      /not a usable PEM/,
    );
  });
});
