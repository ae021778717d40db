import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEMO_USERS } from "../demo/demo-users.ts";
import { systemClock, type Clock } from "../shared/index.ts";
import { DEMO_ALGORITHM, DEMO_TOKEN_TTL_S, type DemoIssuer } from "./demo-issuer.ts";

/** Path prefix of the demo issuer's OIDC endpoints on the gateway (demo mode only). */
export const DEMO_OIDC_PATH = "/demo-oidc";
/** An authorization code is good for one exchange within this many milliseconds. */
export const DEMO_CODE_TTL_MS = 60_000;
const MAX_FORM = 16 * 1024;
const MAX_PENDING_CODES = 1000;

export interface DemoOidcOptions {
  readonly issuer: DemoIssuer;
  /** Origin the browser reaches the gateway at (PUBLIC_URL). */
  readonly publicUrl: string;
  /** The one client registered with the demo issuer: the console. */
  readonly clientId: string;
  readonly redirectUri: string;
  readonly clock?: Clock;
}

interface PendingCode {
  readonly sub: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly expiresAt: number;
}

// RFC 7636 §4.1: 43-128 characters of the unreserved set; §4.2: S256 challenge is base64url.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;
const STATE = /^[\x21-\x7e]{1,512}$/;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const PAGE_CSP =
  "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    pragma: "no-cache",
  });
  res.end(JSON.stringify(body));
}

function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": PAGE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  });
  res.end(
    `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

/**
 * The demo issuer as an OIDC provider for the console (issue 14), demo mode only: discovery, an
 * authorization endpoint whose login page lists the demo users (choosing one is the consent), and a
 * token endpoint for the authorization code flow with PKCE (S256 only). Codes are single-use, live
 * {@link DEMO_CODE_TTL_MS}, and bind client, exact redirect URI and challenge. The token is the one
 * `npm run token` mints for that user.
 */
export function createDemoOidc(options: DemoOidcOptions) {
  const clock = options.clock ?? systemClock;
  const codes = new Map<string, PendingCode>();
  const base = `${options.publicUrl}${DEMO_OIDC_PATH}`;
  const discovery = {
    issuer: options.issuer.issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    jwks_uri: `${base}/jwks`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [DEMO_ALGORITHM],
    scopes_supported: ["openid"],
  };

  const purge = (now: number) => {
    for (const [code, pending] of codes) if (pending.expiresAt <= now) codes.delete(code);
  };

  /** The authorization request's problem, or its parameters. */
  function authorizeParams(p: URLSearchParams) {
    if (p.get("response_type") !== "code") return { problem: "response_type must be code" } as const;
    if (p.get("client_id") !== options.clientId) return { problem: "unknown client_id" } as const;
    if (p.get("redirect_uri") !== options.redirectUri)
      return { problem: "redirect_uri is not the one registered for this client" } as const;
    if (p.get("code_challenge_method") !== "S256")
      return { problem: "code_challenge_method must be S256 (PKCE)" } as const;
    const challenge = p.get("code_challenge") ?? "";
    if (!CHALLENGE.test(challenge)) return { problem: "code_challenge is not an S256 challenge" } as const;
    const state = p.get("state") ?? "";
    if (!STATE.test(state)) return { problem: "state is missing or malformed" } as const;
    return { challenge, state, scope: p.get("scope") ?? "openid" } as const;
  }

  function loginPage(res: ServerResponse, p: URLSearchParams): void {
    const params = authorizeParams(p);
    if ("problem" in params)
      return sendPage(res, 400, "Ongeldig inlogverzoek", `<p>${escapeHtml(params.problem)}</p>`);
    const hidden = (name: string, value: string) =>
      `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const fields = [
      hidden("response_type", "code"),
      hidden("client_id", options.clientId),
      hidden("redirect_uri", options.redirectUri),
      hidden("code_challenge_method", "S256"),
      hidden("code_challenge", params.challenge),
      hidden("state", params.state),
    ].join("");
    const users = DEMO_USERS.map(
      (u) =>
        `<li><form method="post" action="${DEMO_OIDC_PATH}/authorize">${fields}${hidden("sub", u.sub)}<button type="submit" name="login" value="${escapeHtml(u.sub)}">Inloggen als ${escapeHtml(u.sub)}</button> <span>(${escapeHtml(u.role)}: ${escapeHtml(u.description)})</span></form></li>`,
    ).join("");
    sendPage(
      res,
      200,
      "Demo-inlog Poortwachter",
      `<p>Demomodus: kies een demogebruiker. Daarmee geeft u de console toestemming namens die gebruiker te werken.</p><ul>${users}</ul>`,
    );
  }

  function issueCode(res: ServerResponse, form: URLSearchParams): void {
    const params = authorizeParams(form);
    if ("problem" in params)
      return sendPage(res, 400, "Ongeldig inlogverzoek", `<p>${escapeHtml(params.problem)}</p>`);
    const user = DEMO_USERS.find((u) => u.sub === form.get("sub"));
    if (!user) return sendPage(res, 400, "Ongeldig inlogverzoek", "<p>unknown demo user</p>");
    const now = clock.now().getTime();
    purge(now);
    if (codes.size >= MAX_PENDING_CODES)
      return sendPage(res, 503, "Te veel inlogverzoeken", "<p>try again in a minute</p>");
    const code = randomBytes(32).toString("base64url");
    codes.set(code, {
      sub: user.sub,
      clientId: options.clientId,
      redirectUri: options.redirectUri,
      challenge: params.challenge,
      expiresAt: now + DEMO_CODE_TTL_MS,
    });
    const target = new URL(options.redirectUri);
    target.searchParams.set("code", code);
    target.searchParams.set("state", params.state);
    res.writeHead(303, { location: target.toString(), "cache-control": "no-store" });
    res.end();
  }

  async function token(res: ServerResponse, form: URLSearchParams): Promise<void> {
    const fail = (error: string, description: string) =>
      sendJson(res, 400, { error, error_description: description });
    if (form.get("grant_type") !== "authorization_code")
      return fail("unsupported_grant_type", "grant_type must be authorization_code");
    const code = form.get("code") ?? "";
    const pending = codes.get(code);
    // Single use: whatever follows, this code is spent.
    codes.delete(code);
    if (!pending) return fail("invalid_grant", "unknown or already used code");
    if (pending.expiresAt <= clock.now().getTime()) return fail("invalid_grant", "code expired");
    if (form.get("client_id") !== pending.clientId) return fail("invalid_client", "client_id does not match");
    if (form.get("redirect_uri") !== pending.redirectUri)
      return fail("invalid_grant", "redirect_uri does not match the authorization request");
    const verifier = form.get("code_verifier") ?? "";
    if (!VERIFIER.test(verifier)) return fail("invalid_grant", "code_verifier is missing or malformed");
    if (s256(verifier) !== pending.challenge)
      return fail("invalid_grant", "code_verifier does not match the code_challenge");
    const user = DEMO_USERS.find((u) => u.sub === pending.sub);
    if (!user) return fail("invalid_grant", "unknown demo user");
    const accessToken = await options.issuer.mint({
      sub: user.sub,
      roles: [user.role],
      department: "department" in user ? user.department : undefined,
    });
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: DEMO_TOKEN_TTL_S,
      scope: "openid",
    });
  }

  /** Handles a request under {@link DEMO_OIDC_PATH}; false for any other path. */
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname !== DEMO_OIDC_PATH && !url.pathname.startsWith(`${DEMO_OIDC_PATH}/`)) return false;
    const path = url.pathname.slice(DEMO_OIDC_PATH.length);
    if (path === "/.well-known/openid-configuration" && req.method === "GET") {
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "access-control-allow-origin": "*",
        "cache-control": "no-cache",
      });
      res.end(JSON.stringify(discovery));
    } else if (path === "/jwks" && req.method === "GET") sendJson(res, 200, options.issuer.jwks);
    else if (path === "/authorize" && req.method === "GET") loginPage(res, url.searchParams);
    else if (path === "/authorize" && req.method === "POST") {
      const form = await readForm(req);
      if (!form) sendPage(res, 400, "Ongeldig inlogverzoek", "<p>expected a form</p>");
      else issueCode(res, form);
    } else if (path === "/token" && req.method === "POST") {
      const form = await readForm(req);
      if (!form) sendJson(res, 400, { error: "invalid_request", error_description: "expected a form body" });
      else await token(res, form);
    } else sendJson(res, 404, { error: "not found" });
    return true;
  };
}

export type DemoOidcHandler = ReturnType<typeof createDemoOidc>;
