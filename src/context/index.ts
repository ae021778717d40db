export * from "./operation-context.ts";
export * from "./audited-transaction.ts";
export { currentTraceId, runInTrace, traceHeaders, traceIdFrom } from "./trace-context.ts";
