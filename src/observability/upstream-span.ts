import { context as otelContext, createContextKey, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from "@opentelemetry/semantic-conventions";
import { activeTelemetry } from "./telemetry.ts";

/** The source whose resilience runs the call (set by `instrumentSource`). */
const SOURCE = createContextKey("poortwachter.source");

/** Runs `fn` so that the upstream spans it makes name `source`; nothing when tracing is off. */
export const withSource = <T>(source: string, fn: () => T): T =>
  activeTelemetry() ? otelContext.with(otelContext.active().setValue(SOURCE, source), fn) : fn();

/** A path segment kept in a span: a word or a version; anything else may be an identifier. */
const PLAIN_SEGMENT = /^(?:[A-Za-z][A-Za-z_-]*|v\d+(?:\.\d+)*)$/;

/**
 * The path with every segment that is not a plain word replaced by `{id}`: a KvK number, a BAG
 * id or a zaak's UUID in a path is an identifier of a subject, and a collector is not the audit
 * log (whose LDV target keeps the path, src/context/trace-context.ts). The query is dropped.
 */
export function pathTemplate(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return "";
  }
  return path
    .split("/")
    .map((segment) => (segment === "" || PLAIN_SEGMENT.test(segment) ? segment : "{id}"))
    .join("/");
}

export interface UpstreamSpanHandle {
  /** Ends the span with the response's status, and the kind of failure (SourceError) if it failed. */
  end(outcome: { readonly status?: number | undefined; readonly errorKind?: string | undefined }): void;
}

const NOT_TRACED: UpstreamSpanHandle = Object.freeze({ end: () => undefined });
const SPAN_OF_TRACEPARENT = /^00-[0-9a-f]{32}-([0-9a-f]{16})-[0-9a-f]{2}$/;

/**
 * The client span of one HTTP call to a registry. Its span id is the one in the call's
 * `traceparent` (from `traceHeaders`), so the registry's log names this very span. Attributes:
 * method, server, path template, status; never the query, body or headers.
 */
export function startUpstreamSpan(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
): UpstreamSpanHandle {
  const telemetry = activeTelemetry();
  if (!telemetry) return NOT_TRACED;
  const spanId = SPAN_OF_TRACEPARENT.exec(headers["traceparent"] ?? "")?.[1];
  let server: { address: string; port: number } | undefined;
  try {
    const u = new URL(url);
    server = { address: u.hostname, port: Number(u.port || (u.protocol === "https:" ? 443 : 80)) };
  } catch {
    server = undefined;
  }
  const template = pathTemplate(url);
  const source = otelContext.active().getValue(SOURCE);
  const span = telemetry.startSpan(
    `${method} ${template}`.trim(),
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        "url.template": template,
        ...(server ? { [ATTR_SERVER_ADDRESS]: server.address, [ATTR_SERVER_PORT]: server.port } : {}),
        ...(typeof source === "string" ? { "poortwachter.source": source } : {}),
      },
    },
    spanId ? { spanId } : undefined,
  );
  return {
    end({ status, errorKind }) {
      if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // The client decides what failed: KVK's 404 "nothing found" is an answer, not an error.
      if (errorKind) {
        span.setAttribute(ATTR_ERROR_TYPE, errorKind);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}
