import {
  context as otelContext,
  createContextKey,
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type IdGenerator,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { newSpanId, newTraceId } from "../shared/random-ids.ts";

/**
 * OpenTelemetry traces of the gateway (issue 13). The ids are not the SDK's own: the trace and
 * span ids of src/context/trace-context.ts are what the audit records and every upstream
 * `traceparent` carry (for the Logboek Dataverwerkingen export, Delft art. 6b, Maastricht art. 9:
 * every processing is logged and can be followed), so a span here has the same id, and a
 * collector's trace, the audit log and a registry's own log name the same spans.
 */
export interface Telemetry {
  /**
   * Starts a span; `ids` fixes its own span id and, for a root span, its trace id. Without
   * `parent` the span is a child of the active context's span.
   */
  startSpan(
    name: string,
    options: { readonly kind?: SpanKind; readonly attributes?: Attributes },
    ids?: { readonly traceId?: string; readonly spanId?: string },
    parent?: Context,
  ): Span;
  /** Sends the spans still buffered and stops (graceful shutdown). */
  shutdown(): Promise<void>;
}

/** Where in an OTel context the request's telemetry is: outside a traced request there is none. */
const TELEMETRY = createContextKey("poortwachter.telemetry");

/** The telemetry of the traced request this code runs for, if tracing is on. */
export const activeTelemetry = (): Telemetry | undefined =>
  otelContext.active().getValue(TELEMETRY) as Telemetry | undefined;

/** Runs `fn` with `span` active and the telemetry findable by the code it calls. */
export const withSpan = <T>(telemetry: Telemetry, span: Span, fn: () => T): T =>
  otelContext.with(trace.setSpan(otelContext.active().setValue(TELEMETRY, telemetry), span), fn);

/** The caller's span (from its `traceparent`) as the remote parent of the request's span. */
export const remoteParent = (traceId: string, spanId: string): Context =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });

/**
 * Random ids, except for the span being started now when its ids are given: `startSpan` is
 * synchronous, so the preset cannot be taken by another span in between.
 */
class PresetIdGenerator implements IdGenerator {
  preset: { traceId?: string | undefined; spanId?: string | undefined } | undefined;
  generateTraceId(): string {
    return this.preset?.traceId ?? newTraceId();
  }
  generateSpanId(): string {
    return this.preset?.spanId ?? newSpanId();
  }
}

export interface TelemetryOptions {
  /** OTEL_SERVICE_NAME. */
  readonly serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: spans go there over OTLP/HTTP (`/v1/traces`), batched. */
  readonly otlpEndpoint?: string | undefined;
  /** Tests: spans go here at once instead. */
  readonly exporter?: SpanExporter | undefined;
}

/**
 * The tracer, or undefined when no exporter is configured: then no span is ever made and every
 * helper of this module returns at its first line (tracing off costs one context lookup).
 */
export function createTelemetry(options: TelemetryOptions): Telemetry | undefined {
  const processors: SpanProcessor[] = [];
  if (options.exporter) processors.push(new SimpleSpanProcessor(options.exporter));
  if (options.otlpEndpoint)
    processors.push(
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, "")}/v1/traces` }),
      ),
    );
  if (processors.length === 0) return undefined;
  const ids = new PresetIdGenerator();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    // Every request is traced, as every request is audited: the ids are the audit log's.
    sampler: new AlwaysOnSampler(),
    idGenerator: ids,
    spanProcessors: processors,
  });
  // For its context manager (AsyncLocalStorage), which carries the active span across awaits. It
  // also becomes the global provider; this code does not use that, the tracer is passed on. No
  // propagator: the `traceparent` sent upstream is trace-context.ts's.
  provider.register({ propagator: null });
  const tracer = provider.getTracer("poortwachter");
  return {
    startSpan(name, spanOptions, preset, parent) {
      ids.preset = preset;
      try {
        return tracer.startSpan(name, spanOptions, parent ?? otelContext.active());
      } finally {
        ids.preset = undefined;
      }
    },
    shutdown: () => provider.shutdown(),
  };
}

export { SpanKind };
