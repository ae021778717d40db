import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type ConsoleConfig } from "../../src/config/index.ts";
import { createConsoleHandler } from "../../src/server/index.ts";

async function serve(config: ConsoleConfig): Promise<{ base: string; close: () => Promise<void> }> {
  const handle = createConsoleHandler(config);
  const server: Server = createServer((req, res) => {
    void handle(req, res, new URL(req.url ?? "/", "http://localhost")).then((done) => {
      if (!done) res.writeHead(404).end("other");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const consoleConfig = (env: Record<string, string>): ConsoleConfig => {
  const c = loadConfig({ DEMO_MODE: "true", ...env });
  if (!c.ok) throw new Error(c.error.problems.join("; "));
  return c.value.console;
};

describe("the console at /console", () => {
  let dir: string;
  let s: { base: string; close: () => Promise<void> };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "poortwachter-console-"));
    const root = join(dir, "console");
    mkdirSync(join(root, "assets"), { recursive: true });
    writeFileSync(join(root, "index.html"), "<!doctype html><title>c</title>");
    writeFileSync(join(root, "assets", "app-1.js"), "export {};");
    writeFileSync(join(root, "assets", "app-1.css"), "body{}");
    writeFileSync(join(dir, "secret.txt"), "secret");
    s = await serve(consoleConfig({ CONSOLE_DIR: root, PUBLIC_URL: "https://pw.example.nl" }));
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves files with their content type and a strict CSP", async () => {
    const js = await fetch(`${s.base}/console/assets/app-1.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    const csp = js.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect((await fetch(`${s.base}/console/assets/app-1.css`)).headers.get("content-type")).toBe(
      "text/css; charset=utf-8",
    );
  });

  it("answers index.html for client routes, 404 for a missing asset", async () => {
    for (const path of ["/console/", "/console/queue", "/console/callback?code=x&state=y"]) {
      const res = await fetch(`${s.base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await res.text()).toContain("<title>c</title>");
    }
    expect((await fetch(`${s.base}/console/assets/missing.js`)).status).toBe(404);
    const bare = await fetch(`${s.base}/console`, { redirect: "manual" });
    expect(bare.status).toBe(308);
  });

  it("reaches nothing outside its directory", async () => {
    for (const path of [
      "/console/..%2fsecret.txt",
      "/console/%2e%2e%2fsecret.txt",
      "/console/assets/..%5c..%5csecret.txt",
    ]) {
      const res = await fetch(`${s.base}${path}`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain("secret");
    }
    expect((await fetch(`${s.base}/console/.hidden`)).status).toBe(400);
  });

  it("tells the console how to log in: client id, redirect URI, discovery document", async () => {
    const body = (await (await fetch(`${s.base}/console/config.json`)).json()) as Record<string, unknown>;
    expect(body).toEqual({
      clientId: "poortwachter-console",
      redirectUri: "https://pw.example.nl/console/callback",
      discoveryUrl: "https://pw.example.nl/demo-oidc/.well-known/openid-configuration",
      scope: "openid",
    });
  });

  it("says plainly when the console is not built", async () => {
    const bare = await serve(consoleConfig({ CONSOLE_DIR: join(dir, "nothing") }));
    try {
      const res = await fetch(`${bare.base}/console/`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("console not built: npm run build\n");
    } finally {
      await bare.close();
    }
  });

  it("outside demo mode logs in at OIDC_ISSUER's discovery document, whose origin the CSP allows", () => {
    const c = loadConfig({
      OIDC_ISSUER: "https://login.example.nl/realms/gemeente/",
      OIDC_JWKS_URL: "https://login.example.nl/realms/gemeente/certs",
      OIDC_AUDIENCE: "poortwachter",
      BRP_URL: "https://brp.example.nl",
      AUDIT_HMAC_KEY: "production-hmac-key-of-at-least-32-chars",
      PUBLIC_URL: "https://pw.example.nl/",
    });
    if (!c.ok) throw new Error(c.error.problems.join("; "));
    expect(c.value.console.discoveryUrl).toBe(
      "https://login.example.nl/realms/gemeente/.well-known/openid-configuration",
    );
    expect(c.value.console.redirectUri).toBe("https://pw.example.nl/console/callback");
  });
});
