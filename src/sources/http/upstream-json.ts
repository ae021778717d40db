import type { z } from "zod";
import type { UpstreamAuth } from "../../config/index.ts";
import { err, ok, type Clock, type Result, type SourceError } from "../../shared/index.ts";
import { requestJson, type FetchLike } from "./http-json.ts";
import { createAuthHeaders } from "./upstream-auth.ts";

export interface UpstreamJsonOptions {
  readonly auth: UpstreamAuth;
  readonly timeoutMs: number;
  readonly fetch?: FetchLike | undefined;
  readonly clock?: Clock | undefined;
  /** Header name for an API key (default X-API-KEY). */
  readonly apiKeyHeader?: string | undefined;
}

export interface UpstreamJsonRequest {
  readonly url: string;
  readonly method: "GET" | "POST";
  /** Content-Type, Accept and the like; the credentials are added here. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * One authenticated upstream call whose answer must be JSON matching `schema`: credentials added
 * (a token fetched when needed, dropped after a 401), every failure a value, an answer of the
 * wrong shape `malformed`. What every client needs; each adds only its own protocol.
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
    const response = await requestJson({
      fetch,
      url: req.url,
      method: req.method,
      headers: { ...req.headers, ...authHeaders.value },
      ...(req.body === undefined ? {} : { body: req.body }),
      timeoutMs: options.timeoutMs,
    });
    if (!response.ok) {
      if (response.error.kind === "unauthorized") auth.refused();
      return response;
    }
    const parsed = schema.safeParse(response.value.body);
    if (!parsed.success)
      return err({ kind: "malformed", status: response.value.status, reason: "schema_mismatch" });
    return ok(parsed.data);
  };
}

export type UpstreamJson = ReturnType<typeof createUpstreamJson>;
