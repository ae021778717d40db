import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerFault,
  createFaultSwitch,
  createRequestLog,
  keptHeaders,
  listenSimulator,
  simulatorHandle,
  type RequestLogOptions,
  type SimulatorHandle,
} from "./simulator-harness.ts";

/** What a GET-only simulator records of a request (BAG, WOZ). */
export interface GetRecordedRequest {
  readonly method: string;
  /** Full path including the base path, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Only the headers that matter to the protocol (the simulator's `keptHeaders`). */
  readonly headers: Readonly<Record<string, string>>;
  /** 0 when the simulator did not answer (timeout, reset). */
  readonly status: number;
  /** body is undefined for the deliberately unparseable fault answers. */
  readonly response: { readonly contentType: string; readonly body: unknown };
}

/** What one route answers (before faults and recording). */
export interface GetRouteAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface GetRouteRequest {
  /** Path below the base path, e.g. `/panden/0935100000000001`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The kept headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Absolute base URL for links. */
  readonly base: string;
  /** Absolute URL of the request, for `instance` and `_links.self`. */
  readonly instance: string;
}

export interface GetSimulatorOptions extends RequestLogOptions {
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  /** The API's base path, e.g. /lvbag/individuelebevragingen/v2. */
  readonly basePath: string;
  /** Sent as `api-version` on every answer. */
  readonly apiVersion: string;
  /** Lower-case names of the request headers the log keeps (and the routes see). */
  readonly keptHeaders: readonly string[];
  /** When set, every call needs this key in this (lower-case) header, else a 401. */
  readonly apiKey?: { readonly header: string; readonly value: string } | undefined;
  /** The API's own problem+json body for a status. */
  problem(status: 401 | 404 | 500 | 503, instance: string): unknown;
  /** The start of a valid body, cut off, in the API's own content type (fault `malformed`). */
  readonly malformed: { readonly contentType: string; readonly body: string };
  /** Answers a GET below the base path, after faults and authentication. */
  route(request: GetRouteRequest): GetRouteAnswer;
}

/**
 * A GET-only JSON simulator (BAG, WOZ): the faults, the request log, the base path, the API key
 * and problem+json for what is not the API's; each simulator supplies only its routes.
 */
export async function startGetSimulator(
  options: GetSimulatorOptions,
): Promise<SimulatorHandle<GetRecordedRequest>> {
  const { basePath, apiKey } = options;
  const log = createRequestLog<GetRecordedRequest>(options.requestLogSize);
  const faults = createFaultSwitch();
  let origin = "";

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", origin);
    const headers = keptHeaders(req, options.keptHeaders);
    const base = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
    };
    const send = (answer: GetRouteAnswer, raw?: string) => {
      log.record({
        ...base,
        status: answer.status,
        response: { contentType: answer.contentType, body: answer.body },
      });
      res.writeHead(answer.status, {
        "Content-Type": answer.contentType,
        "api-version": options.apiVersion,
        ...answer.headers,
      });
      res.end(raw ?? JSON.stringify(answer.body));
    };
    const problem = (status: 401 | 404 | 500 | 503) =>
      send({ status, contentType: "application/problem+json", body: options.problem(status, url.href) });

    const faulted = answerFault(faults.next(), req, {
      noAnswer: () => log.record({ ...base, status: 0, response: { contentType: "", body: undefined } }),
      serverError: (status) => problem(status),
      raw: (status, contentType, raw) => send({ status, contentType, body: undefined }, raw),
      malformed: options.malformed,
    });
    if (faulted) return;
    if (req.method !== "GET" || !url.pathname.startsWith(basePath + "/")) return problem(404);
    if (apiKey !== undefined && headers[apiKey.header] !== apiKey.value) return problem(401);
    send(
      options.route({
        path: url.pathname.slice(basePath.length),
        query: url.searchParams,
        headers,
        base: origin + basePath,
        instance: url.href,
      }),
    );
  }

  const server = await listenSimulator(options.host ?? "127.0.0.1", options.port ?? 0, (req, res) => {
    // GET only: the body (if any) is drained and ignored.
    req.resume();
    handle(req, res);
  });
  origin = server.origin;
  return simulatorHandle(origin + basePath, log, server, faults.set);
}
