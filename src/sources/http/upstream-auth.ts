import type { UpstreamAuth } from "../../config/index.ts";
import {
  ok,
  systemClock,
  UnreachableCaseError,
  type Clock,
  type Result,
  type SourceError,
} from "../../shared/index.ts";
import { createClientCredentialsTokenProvider } from "./client-credentials.ts";
import type { FetchLike } from "./http-json.ts";

export interface AuthHeaders {
  /** Headers to add to one upstream call, fetching a token first if needed. */
  headers(): Promise<Result<Record<string, string>, SourceError>>;
  /** Called after a 401: drops a cached token so the next call gets a fresh one. */
  refused(): void;
}

export interface AuthHeaderOptions {
  readonly fetch: FetchLike;
  readonly clock?: Clock;
  readonly timeoutMs: number;
  /** Header name for an API key; BRP uses X-API-KEY, BAG X-Api-Key, KVK apikey. */
  readonly apiKeyHeader?: string;
}

/** Turns an UpstreamAuth from Config into per-call headers. */
export function createAuthHeaders(auth: UpstreamAuth, options: AuthHeaderOptions): AuthHeaders {
  switch (auth.kind) {
    case "none":
      return { headers: async () => ok({}), refused: () => undefined };
    case "apiKey": {
      const name = options.apiKeyHeader ?? "X-API-KEY";
      return { headers: async () => ok({ [name]: auth.apiKey }), refused: () => undefined };
    }
    case "clientCredentials": {
      const provider = createClientCredentialsTokenProvider({
        ...auth,
        fetch: options.fetch,
        clock: options.clock ?? systemClock,
        timeoutMs: options.timeoutMs,
      });
      return {
        async headers() {
          const token = await provider.token();
          return token.ok ? ok({ Authorization: `Bearer ${token.value}` }) : token;
        },
        refused: () => provider.invalidate(),
      };
    }
    default:
      throw new UnreachableCaseError(auth);
  }
}
