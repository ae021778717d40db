import { performance } from "node:perf_hooks";
import { SpanStatusCode } from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "pino";
import type { AuditEntry, AuditLog } from "../audit/index.ts";
import type { ResilientSource } from "../sources/http/index.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { createRequestObserver, type RequestObserver } from "./request-observer.ts";
import { activeTelemetry, createTelemetry } from "./telemetry.ts";
import { withSource } from "./upstream-span.ts";

export interface ObservabilityOptions {
  /** OTEL_SERVICE_NAME (default `poortwachter`). */
  readonly serviceName?: string | undefined;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; without it (and without `spanExporter`) tracing is off. */
  readonly otlpEndpoint?: string | undefined;
  /** Tests: an in-memory exporter. */
  readonly spanExporter?: SpanExporter | undefined;
  /** REQUEST_LOG: one line per GraphQL request to this logger; absent: none. */
  readonly requestLog?: Logger | undefined;
  /** The process's own metrics (CPU, memory, event loop) besides the gateway's. */
  readonly processMetrics?: boolean | undefined;
}

/**
 * Traces, metrics and the request log (issue 13), as one thing the app makes at start-up and
 * passes on: the HTTP server and the gateway observe requests with it, the audit log and the
 * sources are wrapped by it, the operator's listener serves its metrics, and `close()` flushes it.
 */
export interface Observability {
  readonly metrics: Metrics;
  readonly requests: RequestObserver;
  /** Whether spans are made at all. */
  readonly tracing: boolean;
  /** The audit log with a span and the commit metrics around each append, and refusals counted. */
  instrumentAudit(audit: AuditLog): AuditLog;
  /** A source's resilience with its calls timed and failures counted, and named on its spans. */
  instrumentSource(source: ResilientSource): ResilientSource;
  /** Counts an audit record as waiting for its commit until `recorded` settles. */
  queued<T>(recorded: Promise<T>): Promise<T>;
  /** The Prometheus text exposition, for `/metrics`. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
  /** Sends the spans still buffered (graceful shutdown). */
  shutdown(): Promise<void>;
}

/**
 * The reason a refusal is counted under: the rule its record names (the flagged refusals carry
 * it, src/disclosure/release.ts), else the refused operation (`brp.fields`, `case.read`), both
 * names from the policy or the code, never the reason's free text.
 */
export const denialReasonOf = (entry: AuditEntry): string =>
  typeof entry.detail?.["rule"] === "string" ? entry.detail["rule"] : entry.operation;

export function createObservability(options: ObservabilityOptions = {}): Observability {
  const telemetry = createTelemetry({
    serviceName: options.serviceName ?? "poortwachter",
    otlpEndpoint: options.otlpEndpoint,
    exporter: options.spanExporter,
  });
  const metrics = createMetrics({ processMetrics: options.processMetrics });
  const requests = createRequestObserver({ metrics, telemetry, requestLog: options.requestLog });

  return {
    metrics,
    requests,
    tracing: telemetry !== undefined,
    instrumentAudit: (audit) => ({
      ...audit,
      async append(entries, tx) {
        if (entries.length === 0) return audit.append(entries, tx);
        const span = activeTelemetry()?.startSpan("audit.commit", {
          attributes: { "poortwachter.audit.records": entries.length },
        });
        const started = performance.now();
        const result = await audit.append(entries, tx);
        // With `tx` the records are written in the caller's transaction, which commits after.
        metrics.auditCommit(result.ok, (performance.now() - started) / 1000);
        if (result.ok) for (const e of entries) if (e.decision === "deny") metrics.denial(denialReasonOf(e));
        if (span) {
          if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
        return result;
      },
    }),
    instrumentSource: (r) => ({
      source: r.source,
      state: () => r.state(),
      async run(call, runOptions) {
        const started = performance.now();
        const result = await withSource(r.source, () => r.run(call, runOptions));
        metrics.upstream(
          r.source,
          result.ok ? undefined : result.error.kind,
          (performance.now() - started) / 1000,
        );
        return result;
      },
    }),
    queued(recorded) {
      metrics.auditQueued(1);
      return recorded.finally(() => metrics.auditQueued(-1));
    },
    scrape: async () => ({
      contentType: metrics.registry.contentType,
      body: await metrics.registry.metrics(),
    }),
    shutdown: async () => {
      await telemetry?.shutdown();
    },
  };
}
