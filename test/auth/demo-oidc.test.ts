import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoOidc, DEMO_CODE_TTL_MS, loadOrCreateDemoIssuer } from "../../src/auth/index.ts";
import { DEMO_ISSUER } from "../../src/config/index.ts";
import type { Clock } from "../../src/shared/index.ts";

const CLIENT = "poortwachter-console";
const VERIFIER = "v".repeat(20) + "-._~" + "A1".repeat(12);
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");

describe("demo issuer: authorization code flow with PKCE for the console", () => {
  let server: Server;
  let base: string;
  let dir: string;
  let now = Date.parse("2026-03-01T10:00:00Z");
  const clock: Clock = { now: () => new Date(now) };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "poortwachter-oidc-"));
    const issuer = await loadOrCreateDemoIssuer(dir);
    server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const handle = createDemoOidc({
      issuer,
      publicUrl: base,
      clientId: CLIENT,
      redirectUri: `${base}/console/callback`,
      clock,
    });
    server.on("request", (req, res) => {
      void handle(req, res, new URL(req.url ?? "/", base)).then((done) => {
        if (!done) res.writeHead(404).end();
      });
    });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const authorizeForm = (over: Record<string, string> = {}) =>
    new URLSearchParams({
      response_type: "code",
      client_id: CLIENT,
      redirect_uri: `${base}/console/callback`,
      code_challenge_method: "S256",
      code_challenge: CHALLENGE,
      state: "st4te",
      sub: "privacy.officer",
      ...over,
    });

  async function code(over: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${base}/demo-oidc/authorize`, {
      method: "POST",
      body: authorizeForm(over),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${base}/console/callback`);
    expect(location.searchParams.get("state")).toBe("st4te");
    return location.searchParams.get("code") ?? "";
  }

  const exchange = (c: string, over: Record<string, string> = {}) =>
    fetch(`${base}/demo-oidc/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: c,
        redirect_uri: `${base}/console/callback`,
        client_id: CLIENT,
        code_verifier: VERIFIER,
        ...over,
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it("publishes a discovery document with S256 only", async () => {
    const d = (await (await fetch(`${base}/demo-oidc/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(d["issuer"]).toBe(DEMO_ISSUER);
    expect(d["authorization_endpoint"]).toBe(`${base}/demo-oidc/authorize`);
    expect(d["code_challenge_methods_supported"]).toEqual(["S256"]);
  });

  it("lists the demo users on its login page, under a CSP without scripts", async () => {
    const q = authorizeForm();
    q.delete("sub");
    const res = await fetch(`${base}/demo-oidc/authorize?${q.toString()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain("Inloggen als privacy.officer");
    expect(html).toContain("Inloggen als coordinator");
    expect(html).not.toContain("<script");
  });

  it("issues the demo user's token for a code and the matching verifier, once", async () => {
    const c = await code();
    const first = await exchange(c);
    expect(first.status).toBe(200);
    const claims = decodeJwt(String(first.body["access_token"]));
    expect(claims.sub).toBe("privacy.officer");
    expect(claims["roles"]).toEqual(["privacy_officer"]);
    expect(claims.iss).toBe(DEMO_ISSUER);
    const again = await exchange(c);
    expect(again.status).toBe(400);
    expect(again.body["error"]).toBe("invalid_grant");
  });

  it("refuses a wrong verifier, and the code is spent after that attempt", async () => {
    const c = await code();
    const wrong = await exchange(c, { code_verifier: "w".repeat(43) });
    expect(wrong.body).toMatchObject({ error: "invalid_grant" });
    expect(String(wrong.body["error_description"])).toContain("code_verifier");
    expect((await exchange(c)).status).toBe(400);
  });

  it("refuses another redirect_uri or client at the token endpoint", async () => {
    expect((await exchange(await code(), { redirect_uri: `${base}/console/other` })).body["error"]).toBe(
      "invalid_grant",
    );
    expect((await exchange(await code(), { client_id: "other" })).body["error"]).toBe("invalid_client");
  });

  it("refuses an expired code", async () => {
    const c = await code();
    now += DEMO_CODE_TTL_MS + 1;
    const res = await exchange(c);
    expect(res.body).toMatchObject({ error: "invalid_grant", error_description: "code expired" });
  });

  it("refuses an authorization request without S256, with another redirect URI, or for an unknown user", async () => {
    for (const [over, problem] of [
      [{ code_challenge_method: "plain" }, "S256"],
      [{ redirect_uri: "https://evil.example/cb" }, "redirect_uri"],
      [{ client_id: "other" }, "client_id"],
      [{ sub: "nobody" }, "unknown demo user"],
    ] as const) {
      const res = await fetch(`${base}/demo-oidc/authorize`, {
        method: "POST",
        body: authorizeForm(over),
        redirect: "manual",
      });
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain(problem);
    }
  });
});
