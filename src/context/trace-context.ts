import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

/**
 * W3C trace context (issue 13): the trace a request belongs to, for everything that runs on its
 * behalf — the audit records (their `traceId`) and every upstream call, which carries its own
 * `traceparent` (a new span id under the request's trace id) so that a registry's own log can be
 * joined with ours. Kept in AsyncLocalStorage, so the source clients, made once at start-up, need
 * no request argument; outside a request (CLI, tests of a client alone) nothing is sent.
 */
const storage = new AsyncLocalStorage<{ readonly traceId: string; actor?: string }>();

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The caller's trace id from its `traceparent` (never all zeros), or a new one. */
export function traceIdFrom(traceparent: string | undefined): string {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  return m?.[1] && !/^0+$/.test(m[1]) ? m[1] : randomBytes(16).toString("hex");
}

/** Runs `fn` as part of the trace `traceId`. */
export const runInTrace = <T>(traceId: string, fn: () => T): T => storage.run({ traceId }, fn);

/**
 * Names the staff member or client the request runs for, once it is authenticated, for the BRP's
 * protocollering headers (`x-gebruiker`). Outside a request it does nothing.
 */
export function bindTraceActor(actor: string): void {
  const store = storage.getStore();
  if (store) store.actor = actor;
}

/** Who the request this code runs for acts as, if known. */
export const currentTraceActor = (): string | undefined => storage.getStore()?.actor;

/** The trace id of the request this code runs for, if any. */
export const currentTraceId = (): string | undefined => storage.getStore()?.traceId;

/** `traceparent` for one upstream call inside the current trace (sampled); none outside a trace. */
export function traceHeaders(): Record<string, string> {
  const traceId = currentTraceId();
  return traceId ? { traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01` } : {};
}
