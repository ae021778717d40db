import type { z } from "zod";
import { currentRequestSignal } from "../../context/trace-context.ts";
import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import { requestJson, type FetchLike, type SourceResilience } from "../http/index.ts";
import type { ZgwTokenSource } from "./permits-jwt.ts";
import type { PageSchema } from "./permits-schema.ts";

/** One list request: its first page; later pages are the answers' `next` links. */
export interface ListRequest {
  readonly url: string;
  readonly method: "GET" | "POST";
  /** JSON body (POST `/zaken/_zoek`); sent again with every page, as the spec's `page` is a query parameter. */
  readonly body?: unknown;
  /**
   * `Accept-Crs` / `Content-Crs: EPSG:4326`: the Zaken API's ZAAK operations declare both headers
   * `required` (zaken carry a geometry), also on GET.
   */
  readonly crs: boolean;
}

export interface ZgwHttpOptions {
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly resilience: SourceResilience;
  readonly tokens: ZgwTokenSource;
  readonly maxPages: number;
}

/**
 * The page a `next` link asks for, if it is a later page than `current`. Only its `page`
 * parameter is taken: the request itself is rebuilt from the configured base URL, so the token
 * never goes to a host an answer named, and a proxy that rewrites host names does not matter.
 */
function nextPage(next: string, current: number): number | undefined {
  try {
    const page = Number(new URL(next).searchParams.get("page"));
    return Number.isInteger(page) && page > current ? page : undefined;
  } catch {
    return undefined;
  }
}

function pageUrl(url: string, page: number): string {
  if (page === 1) return url;
  const u = new URL(url);
  u.searchParams.set("page", String(page));
  return u.toString();
}

/**
 * The ZGW list protocol shared by both APIs: a JWT on every call, every call through the
 * source's resilience (each page is one idempotent call: GETs, and `POST /zaken/_zoek`, a query
 * that changes nothing), pages followed to the end by their `next` links. More than `maxPages` pages is an error value, never a silently cut list: a probe
 * on a cut list could answer NO_HIT for a case on the page that was not read.
 */
export function createZgwHttp(options: ZgwHttpOptions) {
  async function call(
    req: ListRequest,
    url: string,
    signal: AbortSignal,
  ): Promise<Result<unknown, SourceError>> {
    const token = await options.tokens.token();
    if (!token.ok) return token;
    const headers: Record<string, string> = {
      Accept: "application/json",
      Authorization: `Bearer ${token.value}`,
      ...(req.crs ? { "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326" } : {}),
      ...(req.body === undefined ? {} : { "Content-Type": "application/json" }),
    };
    const answer = await requestJson({
      fetch: options.fetch,
      signal,
      url,
      method: req.method,
      headers,
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      timeoutMs: options.timeoutMs,
    });
    if (!answer.ok) {
      if (answer.error.kind === "unauthorized") options.tokens.refused();
      return answer;
    }
    return ok(answer.value.body);
  }

  /** Every page of the list, each checked against `schema` (a page schema built once, permits-schema.ts). */
  return async function list<P extends PageSchema>(
    req: ListRequest,
    schema: P,
  ): Promise<Result<z.output<P>["results"], SourceError>> {
    // The answer is checked inside the call, so that a body of the wrong shape counts for the
    // source's circuit breaker as any other malformed answer.
    const fetchPage = async (url: string, signal: AbortSignal) => {
      const answer = await call(req, url, signal);
      if (!answer.ok) return answer;
      const parsed = schema.safeParse(answer.value);
      return parsed.success
        ? ok(parsed.data)
        : err<SourceError>({ kind: "malformed", status: 200, reason: "schema_mismatch" });
    };
    const results: z.output<P>["results"] = [];
    let page: number | undefined = 1;
    for (let pages = 1; page !== undefined; pages++) {
      if (pages > options.maxPages) return err({ kind: "rejected", reason: "page_limit_exceeded" });
      const url = pageUrl(req.url, page);
      const answer = await options.resilience.run((signal) => fetchPage(url, signal), {
        idempotent: true,
        signal: currentRequestSignal(),
      });
      if (!answer.ok) return answer;
      results.push(...answer.value.results);
      const { next } = answer.value;
      if (next === null) break;
      page = nextPage(next, page);
      if (page === undefined) return err({ kind: "malformed", status: 200, reason: "unexpected_next_link" });
    }
    return ok(results);
  };
}
