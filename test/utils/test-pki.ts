import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM texts of a throwaway PKI, and the folder its files lie in (removed by `remove`). */
export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate of another CA, which the server must refuse. */
  readonly strangerCert: string;
  readonly strangerKey: string;
  /** File paths of the above, e.g. for BRK_CLIENT_CERT. */
  readonly files: { readonly ca: string; readonly clientCert: string; readonly clientKey: string };
  remove(): void;
}

/**
 * A CA with a server certificate for 127.0.0.1 / localhost and a client certificate, made with
 * `openssl` in a temporary folder, for mTLS tests (nothing is kept after `remove`).
 */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "poortwachter-pki-"));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ca = (name: string) => {
    ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      f(`${name}.key`),
      "-out",
      f(`${name}.crt`),
    );
  };
  const issue = (name: string, issuer: string, ext: string) => {
    writeFileSync(f(`${name}.ext`), ext);
    ssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      f(`${name}.key`),
      "-out",
      f(`${name}.csr`),
    );
    ssl(
      "x509",
      "-req",
      "-in",
      f(`${name}.csr`),
      "-CA",
      f(`${issuer}.crt`),
      "-CAkey",
      f(`${issuer}.key`),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      f(`${name}.ext`),
      "-out",
      f(`${name}.crt`),
    );
  };
  ca("test-ca");
  ca("stranger-ca");
  issue("server", "test-ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  issue("client", "test-ca", "extendedKeyUsage=clientAuth\n");
  issue("stranger", "stranger-ca", "extendedKeyUsage=clientAuth\n");
  const read = (name: string) => readFileSync(f(name), "utf8");
  return {
    dir,
    caCert: read("test-ca.crt"),
    serverCert: read("server.crt"),
    serverKey: read("server.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
    strangerCert: read("stranger.crt"),
    strangerKey: read("stranger.key"),
    files: { ca: f("test-ca.crt"), clientCert: f("client.crt"), clientKey: f("client.key") },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
