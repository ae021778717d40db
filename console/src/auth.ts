// OIDC authorization code flow with PKCE (S256) against the configured issuer (issue 14). The
// access token lives in sessionStorage only (gone when the tab closes); the verifier and state
// only between the redirect and the callback.

export interface ConsoleSettings {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly discoveryUrl: string;
  readonly scope: string;
}

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly end_session_endpoint?: string;
}

const TOKEN_KEY = "poortwachter.token";
const FLOW_KEY = "poortwachter.pkce";

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

const randomString = (bytes: number): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const loadSettings = () => getJson<ConsoleSettings>("/console/config.json");
const discover = (settings: ConsoleSettings) => getJson<Discovery>(settings.discoveryUrl);

/** Event on window when the token is gone (a 401 from the gateway). */
export const TOKEN_GONE = "poortwachter:token-gone";

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function currentToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** Sends the browser to the issuer's authorization endpoint. */
export async function startLogin(settings: ConsoleSettings): Promise<void> {
  const discovery = await discover(settings);
  const verifier = randomString(48);
  const state = randomString(24);
  sessionStorage.setItem(FLOW_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", settings.redirectUri);
  url.searchParams.set("scope", settings.scope);
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await s256(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  window.location.assign(url.toString());
}

/** On the redirect URI: checks the state, exchanges the code with the verifier, keeps the token. */
export async function completeLogin(settings: ConsoleSettings, params: URLSearchParams): Promise<string> {
  const flow = JSON.parse(sessionStorage.getItem(FLOW_KEY) ?? "null") as {
    verifier: string;
    state: string;
  } | null;
  sessionStorage.removeItem(FLOW_KEY);
  const error = params.get("error");
  if (error) throw new Error(`${error}: ${params.get("error_description") ?? ""}`);
  if (!flow || params.get("state") !== flow.state) throw new Error("state does not match the login request");
  const code = params.get("code");
  if (!code) throw new Error("no authorization code");
  const discovery = await discover(settings);
  const res = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: settings.redirectUri,
      client_id: settings.clientId,
      code_verifier: flow.verifier,
    }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token)
    throw new Error(`${body.error ?? `HTTP ${res.status}`}: ${body.error_description ?? ""}`);
  sessionStorage.setItem(TOKEN_KEY, body.access_token);
  return body.access_token;
}

export async function logout(settings: ConsoleSettings | undefined): Promise<void> {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(FLOW_KEY);
  if (!settings) return;
  try {
    const discovery = await discover(settings);
    if (discovery.end_session_endpoint) {
      const url = new URL(discovery.end_session_endpoint);
      url.searchParams.set("client_id", settings.clientId);
      url.searchParams.set("post_logout_redirect_uri", new URL("/console/", window.location.href).toString());
      window.location.assign(url.toString());
    }
  } catch {
    // Logged out here; the issuer's session is its own.
  }
}
