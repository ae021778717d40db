import { traceHeaders } from "../../context/trace-context.ts";
import { startUpstreamSpan } from "../../observability/upstream-span.ts";
import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import { sourceErrorForStatus, sourceErrorForThrown } from "./http-errors.ts";

export type FetchLike = typeof globalThis.fetch;

export interface JsonRequest {
  readonly fetch: FetchLike;
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as the body; the caller sets Content-Type. */
  readonly body?: string;
  /** Bounds this one attempt. */
  readonly timeoutMs: number;
  /** Aborts the call from outside too (the resilience layer's overall deadline). */
  readonly signal?: AbortSignal | undefined;
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

const isJson = (contentType: string | null) =>
  /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType ?? "");

/**
 * One HTTP call that must answer JSON. Every failure is a value: no exception and no upstream
 * body ever leaves this function (the problem `code` of a 400 is the one thing taken over).
 */
export async function requestJson(req: JsonRequest): Promise<Result<JsonResponse, SourceError>> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  // W3C trace context: this call is a span of the request's trace (src/context/trace-context.ts),
  // and the OpenTelemetry span of the call has the same id.
  const trace = traceHeaders(req.url);
  const span = startUpstreamSpan(req.method, req.url, trace);
  try {
    response = await req.fetch(req.url, {
      method: req.method,
      headers: { ...req.headers, ...trace },
      ...(req.body === undefined ? {} : { body: req.body }),
      signal,
    });
    text = await response.text();
  } catch (error) {
    const failure = sourceErrorForThrown(error);
    span.end({ errorKind: failure.kind });
    return err(failure);
  }
  const result = answerOf(response, text);
  span.end({ status: response.status, errorKind: result.ok ? undefined : result.error.kind });
  return result;
}

/** What a response that came means: the parsed JSON, or the failure it is. */
function answerOf(response: Response, text: string): Result<JsonResponse, SourceError> {
  const contentType = response.headers.get("content-type");
  if (!response.ok) {
    let code: unknown;
    if (isJson(contentType)) {
      try {
        code = (JSON.parse(text) as { code?: unknown } | null)?.code;
      } catch {
        code = undefined;
      }
    }
    return err(sourceErrorForStatus(response.status, code));
  }
  if (!isJson(contentType))
    return err({ kind: "malformed", status: response.status, reason: "unexpected_content_type" });
  try {
    return ok({ status: response.status, body: JSON.parse(text) as unknown });
  } catch {
    return err({ kind: "malformed", status: response.status, reason: "invalid_json" });
  }
}
