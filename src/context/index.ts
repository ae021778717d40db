export * from "./operation-context.ts";
export * from "./audited-transaction.ts";
export {
  bindTraceActor,
  currentTraceActor,
  currentTraceId,
  runInTrace,
  traceHeaders,
  traceIdFrom,
} from "./trace-context.ts";
