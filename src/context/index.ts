export * from "./operation-context.ts";
export * from "./audited-transaction.ts";
export {
  bindTraceActor,
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
