import { useCallback, useEffect, useState } from "react";
import type { TypedDocumentString } from "./gql/graphql.ts";
import { currentToken, forgetToken, TOKEN_GONE } from "./auth.ts";

/** A GraphQL error as the gateway reports it: message and code (FORBIDDEN, BAD_USER_INPUT, …). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Every data access of the console: the same /graphql API with the caller's bearer token, so the
 * same policy and the same audit as any other client.
 */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const token = currentToken();
  const res = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  if (res.status === 401) {
    // Expired or refused token: forget it and show the login page again.
    forgetToken();
    window.dispatchEvent(new Event(TOKEN_GONE));
  }
  let body: { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`HTTP ${res.status}`, undefined, res.status);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code, res.status);
  if (body.data === undefined) throw new ApiError(`HTTP ${res.status}`, undefined, res.status);
  return body.data;
}

export interface QueryState<R> {
  readonly data: R | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Runs a query when its variables change; `skip` leaves it until the caller has input. */
export function useQuery<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  skip = false,
): QueryState<R> {
  const [data, setData] = useState<R>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(!skip);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let live = true;
    setLoading(true);
    setError(undefined);
    request(document, JSON.parse(key) as V).then(
      (r) => {
        if (!live) return;
        setData(r);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        // No stale answer beside the error of a new question.
        setData(undefined);
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [document, key, skip, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
