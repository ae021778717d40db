import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from "@opentelemetry/semantic-conventions";
import type { Logger } from "pino";
import { currentSpan } from "../context/index.ts";
import type { Actor } from "../shared/index.ts";
import type { Metrics, RequestOutcome } from "./metrics.ts";
import { activeTelemetry, remoteParent, withSpan, type Telemetry } from "./telemetry.ts";

/** What one request's plugin hooks learn, for its metrics, span and log line at the end. */
interface RequestScope {
  operation?: { readonly name: string | undefined; readonly type: string } | undefined;
  outcome?: RequestOutcome | undefined;
  actor?: Pick<Actor, "roles" | "clientId"> | undefined;
  operationSpan?: Span | undefined;
}

/** A refusal as the caller sees it: not authenticated, not permitted, or (for a case) not visible. */
const DENIED_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"]);

/**
 * `error` if any error is not a refusal (an upstream failure, bad input, an internal error),
 * else `denied` if any is, else `ok`: a partly refused answer counts as denied.
 */
export function outcomeOf(codes: readonly unknown[]): RequestOutcome {
  if (codes.some((c) => !DENIED_CODES.has(String(c)))) return "error";
  return codes.length > 0 ? "denied" : "ok";
}

/**
 * The operation name as logs, metrics and spans may carry it. The caller chooses it, so a name
 * that could hold a subject identifier (a run of five or more digits: a BSN, KvK number, BAG id,
 * or a postcode) is replaced: those stay in the audit log, pseudonymised, and nowhere else.
 */
export function safeOperationName(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  return /\d{5,}|[1-9]\d{3}_?[A-Za-z]{2}(?![A-Za-z])/.test(name) ? "redacted" : name;
}

const outcomeOfStatus = (status: number): RequestOutcome =>
  status === 401 || status === 403 ? "denied" : status >= 400 ? "error" : "ok";

export interface RequestObserverDeps {
  readonly metrics: Metrics;
  readonly telemetry?: Telemetry | undefined;
  /** Where the request log goes (REQUEST_LOG); absent: no request log. */
  readonly requestLog?: Logger | undefined;
}

/**
 * One GraphQL request over HTTP, observed: its server span (the id of trace-context.ts's request
 * span, under the caller's `traceparent`), the GraphQL operation's span under it, the request
 * metrics and one JSON log line. The line has the trace id, the operation's name and type, the
 * status, outcome and duration, and the caller's client id and roles: never the staff member, a
 * subject, a variable or anything of the answer (the audit log is where who-asked-what is kept).
 */
export function createRequestObserver(deps: RequestObserverDeps) {
  const { metrics, telemetry, requestLog } = deps;
  const scopes = new AsyncLocalStorage<RequestScope>();

  /** Runs the request; `handle` answers it and returns the status it sent. */
  async function request(method: string, handle: () => Promise<number>): Promise<number> {
    const scope: RequestScope = {};
    const started = performance.now();
    const ids = currentSpan();
    const span =
      telemetry && ids
        ? telemetry.startSpan(
            `${method} /graphql`,
            {
              kind: SpanKind.SERVER,
              attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: "/graphql" },
            },
            { traceId: ids.traceId, spanId: ids.spanId },
            ids.parentSpanId ? remoteParent(ids.traceId, ids.parentSpanId) : ROOT_CONTEXT,
          )
        : undefined;
    let status = 500;
    try {
      status = await scopes.run(scope, () =>
        telemetry && span ? withSpan(telemetry, span, handle) : handle(),
      );
      return status;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const outcome = scope.outcome ?? outcomeOfStatus(status);
      metrics.request(scope.operation?.name, outcome, seconds);
      if (span) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      requestLog?.info(
        {
          traceId: ids?.traceId,
          operation: scope.operation?.name ?? null,
          operationType: scope.operation?.type ?? null,
          status,
          outcome,
          durationMs: Math.round(seconds * 10_000) / 10,
          ...(scope.actor?.clientId ? { clientId: scope.actor.clientId } : {}),
          roles: scope.actor ? [...scope.actor.roles] : [],
        },
        "graphql request",
      );
    }
  }

  /** Runs Apollo's handling of the request as the GraphQL operation's span (child of the request's). */
  async function operation<T>(run: () => Promise<T>): Promise<T> {
    const active = activeTelemetry();
    const scope = scopes.getStore();
    if (!active || !scope) return run();
    const span = active.startSpan("graphql.operation", {});
    scope.operationSpan = span;
    try {
      return await withSpan(active, span, run);
    } finally {
      if (scope.outcome === "error") span.setStatus({ code: SpanStatusCode.ERROR });
      if (scope.outcome) span.setAttribute("poortwachter.outcome", scope.outcome);
      span.end();
    }
  }

  /** Tells the request's scope the operation, its caller and its outcome. No variables, ever. */
  const plugin: ApolloServerPlugin<BaseContext & { readonly actor?: Actor }> = {
    requestDidStart({ contextValue }) {
      const scope = scopes.getStore();
      if (!scope) return Promise.resolve();
      if (contextValue.actor)
        scope.actor = { roles: contextValue.actor.roles, clientId: contextValue.actor.clientId };
      return Promise.resolve({
        didResolveOperation({ operationName, operation }) {
          const type = operation?.operation ?? "query";
          const name = safeOperationName(operationName);
          scope.operation = { name, type };
          const span = scope.operationSpan;
          if (span) {
            span.updateName(`${type} ${name ?? "anonymous"}`);
            span.setAttribute("graphql.operation.type", type);
            if (name) span.setAttribute("graphql.operation.name", name);
          }
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          scope.outcome = outcomeOf(errors.map((e) => e.extensions?.["code"]));
          return Promise.resolve();
        },
      });
    },
  };

  return { request, operation, plugin };
}

export type RequestObserver = ReturnType<typeof createRequestObserver>;
