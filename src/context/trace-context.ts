import { AsyncLocalStorage } from "node:async_hooks";
import { newSpanId, newTraceId } from "../shared/random-ids.ts";

/**
 * W3C trace context (issue 13): the trace a request belongs to, for everything that runs on its
 * behalf — the audit records (their `traceId`) and every upstream call, which carries its own
 * `traceparent` (a new span id under the request's trace id) so that a registry's own log can be
 * joined with ours. Kept in AsyncLocalStorage, so the source clients, made once at start-up, need
 * no request argument; outside a request (CLI, tests of a client alone) nothing is sent.
 */
/** One upstream call made inside the trace: its own span, so a registry's log can be joined (LDV `foreign_operation`). */
export interface UpstreamSpan {
  readonly spanId: string;
  /** The URL's origin and path, no query (which may hold subject identifiers). */
  readonly target: string;
  readonly startTime: Date;
}

interface TraceStore {
  readonly traceId: string;
  /** The span of the request itself (the gateway's operation), parent of its audit records' spans. */
  readonly spanId: string;
  /** The caller's span from its `traceparent`, when it sent one. */
  readonly parentSpanId?: string | undefined;
  actor?: string;
  /** Aborted when the request's caller has gone (src/server/http-server.ts). */
  signal?: AbortSignal;
  readonly upstream: UpstreamSpan[];
}

const storage = new AsyncLocalStorage<TraceStore>();

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** A new random span id (8 bytes, hex), as W3C trace context defines it. */
export { newSpanId };

/** The caller's trace id from its `traceparent` (never all zeros), or a new one. */
export function traceIdFrom(traceparent: string | undefined): string {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  return m?.[1] && !/^0+$/.test(m[1]) ? m[1] : newTraceId();
}

/** The caller's span id from a valid `traceparent` (never all zeros), else undefined. */
export function parentSpanIdFrom(traceparent: string | undefined): string | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  return m?.[1] && !/^0+$/.test(m[1]) && m[2] && !/^0+$/.test(m[2]) ? m[2] : undefined;
}

/**
 * Runs `fn` as part of the trace `traceId`, as a new span (the request's) whose parent is the
 * caller's span `parentSpanId` when it sent one.
 */
export const runInTrace = <T>(
  traceId: string,
  fn: () => T,
  parentSpanId?: string,
  spanId: string = newSpanId(),
): T => storage.run({ traceId, spanId, parentSpanId, upstream: [] }, fn);

/**
 * Names the staff member or client the request runs for, once it is authenticated, for the BRP's
 * protocollering headers (`x-gebruiker`). Outside a request it does nothing.
 */
export function bindTraceActor(actor: string): void {
  const store = storage.getStore();
  if (store) store.actor = actor;
}

/**
 * Ties the request's abort signal to its trace, so every upstream call made for it can give up
 * when the caller has gone: a call still waiting for a slot leaves the line (issue 15). Outside a
 * request it does nothing.
 */
export function bindTraceSignal(signal: AbortSignal): void {
  const store = storage.getStore();
  if (store) store.signal = signal;
}

/** The abort signal of the request this code runs for, if it has one. */
export const currentRequestSignal = (): AbortSignal | undefined => storage.getStore()?.signal;

/** Who the request this code runs for acts as, if known. */
export const currentTraceActor = (): string | undefined => storage.getStore()?.actor;

/** The trace id of the request this code runs for, if any. */
export const currentTraceId = (): string | undefined => storage.getStore()?.traceId;

/** The request's span and its parent, if this code runs for a request. */
export function currentSpan():
  | { readonly traceId: string; readonly spanId: string; readonly parentSpanId?: string | undefined }
  | undefined {
  const store = storage.getStore();
  return store
    ? { traceId: store.traceId, spanId: store.spanId, parentSpanId: store.parentSpanId }
    : undefined;
}

/** The upstream calls made so far in the current request, oldest first. */
export const currentUpstreamSpans = (): readonly UpstreamSpan[] => storage.getStore()?.upstream ?? [];

/**
 * `traceparent` for one upstream call inside the current trace (sampled): a new span id under the
 * request's trace, remembered with the call's target (`url` without its query); none outside a trace.
 */
export function traceHeaders(url?: string): Record<string, string> {
  const store = storage.getStore();
  if (!store) return {};
  const spanId = newSpanId();
  store.upstream.push({ spanId, target: url ? targetOf(url) : "", startTime: new Date() });
  return { traceparent: `00-${store.traceId}-${spanId}-01` };
}

function targetOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "";
  }
}
