import type { z } from "zod";
import type { UpstreamAuth } from "../../config/index.ts";
import { currentRequestSignal } from "../../context/trace-context.ts";
import { err, ok, type Clock, type Result, type SourceError } from "../../shared/index.ts";
import { requestJson, type FetchLike } from "./http-json.ts";
import { passThrough, type SourceResilience } from "./resilience.ts";
import { createAuthHeaders } from "./upstream-auth.ts";

/** What every upstream client takes; each client's TSDoc says what its `baseUrl` is. */
export interface UpstreamClientOptions {
  /** Base URL of the API, without the resource paths the client adds. */
  readonly baseUrl: string;
  readonly auth: UpstreamAuth;
  readonly timeoutMs: number;
  readonly fetch?: FetchLike;
  readonly clock?: Clock;
  /** This source's retry / circuit breaker / bulkhead, shared by all requests; default none. */
  readonly resilience?: SourceResilience;
}

export interface UpstreamJsonOptions {
  readonly auth: UpstreamAuth;
  readonly timeoutMs: number;
  readonly fetch?: FetchLike | undefined;
  readonly clock?: Clock | undefined;
  /** Header name for an API key (default X-API-KEY). */
  readonly apiKeyHeader?: string | undefined;
  /**
   * The source's shared retry / circuit breaker / bulkhead (created once at app start); default
   * none. The token fetch of client credentials stays outside it.
   */
  readonly resilience?: SourceResilience | undefined;
}

export interface UpstreamJsonRequest {
  readonly url: string;
  readonly method: "GET" | "POST";
  /** Content-Type, Accept and the like; the credentials are added here. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * May be repeated without effect, so may be retried. Default: true for GET, false for POST; a
   * POST that is a query (the BRP APIs) says so.
   */
  readonly idempotent?: boolean;
}

/**
 * One authenticated upstream call whose answer must be JSON matching `schema`: credentials added
 * (a token fetched when needed, dropped after a 401), every failure a value, an answer of the
 * wrong shape `malformed`. What every client needs; each adds only its own protocol. The request and
 * the check of the answer run inside `resilience`, so a schema mismatch counts for its breaker.
 */
export function createUpstreamJson(options: UpstreamJsonOptions) {
  const fetch = options.fetch ?? globalThis.fetch;
  const auth = createAuthHeaders(options.auth, {
    fetch,
    timeoutMs: options.timeoutMs,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.apiKeyHeader ? { apiKeyHeader: options.apiKeyHeader } : {}),
  });
  return async function call<S extends z.ZodType>(
    req: UpstreamJsonRequest,
    schema: S,
  ): Promise<Result<z.output<S>, SourceError>> {
    const authHeaders = await auth.headers();
    if (!authHeaders.ok) return authHeaders;
    const resilience = options.resilience ?? passThrough;
    const result = await resilience.run(
      async (signal): Promise<Result<z.output<S>, SourceError>> => {
        const response = await requestJson({
          fetch,
          url: req.url,
          method: req.method,
          headers: { ...req.headers, ...authHeaders.value },
          ...(req.body === undefined ? {} : { body: req.body }),
          timeoutMs: options.timeoutMs,
          signal,
        });
        if (!response.ok) return response;
        const parsed = schema.safeParse(response.value.body);
        if (!parsed.success)
          return err({ kind: "malformed", status: response.value.status, reason: "schema_mismatch" });
        return ok(parsed.data);
      },
      { idempotent: req.idempotent ?? req.method === "GET", signal: currentRequestSignal() },
    );
    if (!result.ok && result.error.kind === "unauthorized") auth.refused();
    return result;
  };
}

export type UpstreamJson = ReturnType<typeof createUpstreamJson>;
