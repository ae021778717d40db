import { traceHeaders } from "../../context/trace-context.ts";
import { startUpstreamSpan } from "../../observability/upstream-span.ts";
import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import { sourceErrorForStatus, sourceErrorForThrown, type FetchLike } from "../http/index.ts";
import { foutSchema } from "./kvk-schema.ts";

/** A KVK answer: a JSON body, or KVK's "nothing found" (404 with a `{fout:[…]}` body). */
export type KvkAnswer = { readonly found: true; readonly body: unknown } | { readonly found: false };

const isJson = (contentType: string | null) =>
  /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType ?? "");

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * One GET to a KVK API. Like `requestJson` (src/sources/http), every failure is a value and no
 * upstream body leaves this function, with one difference that KVK needs: a 404 is read, and only
 * a 404 in KVK's error format (`{fout:[…]}`, design.md "Hit semantics": Zoeken answers 404 for no
 * results) counts as "nothing found". Any other 404 (a wrong base URL, a proxy page) stays an
 * error, so a misconfiguration is UNKNOWN and never NO_HIT. `requestJson` discards error bodies,
 * hence this small sibling instead of a change to the shared helper.
 */
export async function getKvkJson(
  fetch: FetchLike,
  url: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  /** Aborts the call from outside too (the resilience layer's overall deadline). */
  signal?: AbortSignal,
): Promise<Result<KvkAnswer, SourceError>> {
  let response: Response;
  let text: string;
  const trace = traceHeaders(url);
  const span = startUpstreamSpan("GET", url, trace);
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    response = await fetch(url, {
      method: "GET",
      headers: { ...headers, ...trace },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    const failure = sourceErrorForThrown(error);
    span.end({ errorKind: failure.kind });
    return err(failure);
  }
  const result = kvkAnswerOf(response, text);
  span.end({ status: response.status, errorKind: result.ok ? undefined : result.error.kind });
  return result;
}

/** What KVK's response means: a body, "nothing found", or the failure it is. */
function kvkAnswerOf(response: Response, text: string): Result<KvkAnswer, SourceError> {
  const json = isJson(response.headers.get("content-type"));
  if (response.status === 404 && json && foutSchema.safeParse(parse(text)).success)
    return ok({ found: false });
  if (!response.ok) {
    const code = json ? foutSchema.safeParse(parse(text)).data?.fout[0]?.code : undefined;
    return err(sourceErrorForStatus(response.status, code));
  }
  if (!json) return err({ kind: "malformed", status: response.status, reason: "unexpected_content_type" });
  const body = parse(text);
  if (body === undefined) return err({ kind: "malformed", status: response.status, reason: "invalid_json" });
  return ok({ found: true, body });
}
