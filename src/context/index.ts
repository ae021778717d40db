export * from "./operation-context.ts";
export * from "./audited-transaction.ts";
export {
  bindTraceActor,
  bindTraceSignal,
  currentRequestSignal,
  currentSpan,
  currentUpstreamSpans,
  newSpanId,
  parentSpanIdFrom,
  type UpstreamSpan,
  currentTraceActor,
  currentTraceId,
  runInTrace,
  traceHeaders,
  traceIdFrom,
} from "./trace-context.ts";
