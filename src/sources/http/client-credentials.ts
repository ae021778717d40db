import { err, ok, type Clock, type Result, type SourceError } from "../../shared/index.ts";
import { sourceErrorForStatus, sourceErrorForThrown } from "./http-errors.ts";
import type { FetchLike } from "./http-json.ts";

export interface ClientCredentialsOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

export interface TokenProvider {
  token(): Promise<Result<string, SourceError>>;
  /** Forget the cached token (after the upstream refused it). */
  invalidate(): void;
}

/** Renew this long before `expires_in` runs out. */
const SKEW_MS = 30_000;

/**
 * OAuth2 client credentials (RFC 6749 §4.4): POSTs `grant_type=client_credentials` form-encoded
 * with the client id and secret, caches the access token until shortly before it expires, and
 * shares one in-flight request between concurrent callers.
 */
export function createClientCredentialsTokenProvider(options: ClientCredentialsOptions): TokenProvider {
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<Result<string, SourceError>> | undefined;

  async function fetchToken(): Promise<Result<string, SourceError>> {
    let response: Response;
    let body: unknown;
    try {
      response = await options.fetch(options.tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: options.clientId,
          client_secret: options.clientSecret,
        }).toString(),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        // A refused client is an authorisation problem of ours, whatever status the server picked.
        return err(
          response.status === 400 || response.status === 401
            ? { kind: "unauthorized", status: response.status, reason: "token_refused" }
            : sourceErrorForStatus(response.status),
        );
      }
      body = await response.json();
    } catch (error) {
      const mapped = sourceErrorForThrown(error);
      return err(
        error instanceof SyntaxError ? { kind: "malformed", reason: "invalid_token_response" } : mapped,
      );
    }
    const token = (body as { access_token?: unknown } | null)?.access_token;
    const expiresIn = (body as { expires_in?: unknown } | null)?.expires_in;
    if (typeof token !== "string" || token.length === 0)
      return err({ kind: "malformed", reason: "invalid_token_response" });
    const lifetimeMs = typeof expiresIn === "number" && expiresIn > 0 ? expiresIn * 1000 : 60_000;
    cached = { token, expiresAt: options.clock.now().getTime() + lifetimeMs - SKEW_MS };
    return ok(token);
  }

  return {
    async token() {
      if (cached && cached.expiresAt > options.clock.now().getTime()) return ok(cached.token);
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
