import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerFault,
  createFaultSwitch,
  createRequestLog,
  type RequestLogOptions,
  keptHeaders,
  listenSimulator,
  simulatorHandle,
  type SimulatorHandle,
  type SimulatorFault,
} from "../http/index.ts";
import type { Municipality } from "../synthetic/index.ts";
import { bagProblem } from "./bag-problems.ts";
import { answerBagRequest, type RouteAnswer } from "./bag-simulator-routes.ts";
import { createBagRegistry } from "./bag-synthetic.ts";

/** How the simulator misbehaves, switchable at runtime to test the gateway's failure handling. */
export type BagFault = SimulatorFault;

export interface BagRecordedRequest {
  readonly method: string;
  /** Full path including the base path, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Only the headers that matter to the protocol: accept, accept-crs, x-api-key. */
  readonly headers: Readonly<Record<string, string>>;
  /** 0 when the simulator did not answer (timeout, reset). */
  readonly status: number;
  /** body is undefined for the deliberately unparseable fault answers. */
  readonly response: { readonly contentType: string; readonly body: unknown };
}

export interface BagSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  readonly host?: string;
  readonly port?: number;
  /** When set, every call needs this `X-Api-Key`. */
  readonly apiKey?: string;
}

/** A running simulator; `url` is the base URL including /lvbag/individuelebevragingen/v2, e.g. GET `${url}/panden/{id}`. */
export type BagSimulator = SimulatorHandle<BagRecordedRequest>;

/** The production base path (servers[1] of the specs), kept so production is a change of origin. */
export const BAG_BASE_PATH = "/lvbag/individuelebevragingen/v2";
const KEPT_HEADERS = ["accept", "accept-crs", "x-api-key", "traceparent"];
const API_VERSION = "2.0.0";

/**
 * A BAG Individuele Bevragingen v2 server over a synthetic municipality (plus the getting-started
 * test objects), speaking HTTP as the real API: GET only, HAL JSON, `X-Api-Key`, `Accept-Crs` for
 * the endpoints with geometry, problem+json errors.
 */
export async function startBagSimulator(options: BagSimulatorOptions): Promise<BagSimulator> {
  const { municipality, host = "127.0.0.1", port = 0, apiKey } = options;
  const registry = createBagRegistry(municipality);
  const log = createRequestLog<BagRecordedRequest>(options.requestLogSize);
  const faults = createFaultSwitch();
  let origin = "";

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", origin);
    const headers = keptHeaders(req, KEPT_HEADERS);
    const base = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
    };
    const send = (answer: RouteAnswer, raw?: string) => {
      log.record({
        ...base,
        status: answer.status,
        response: { contentType: answer.contentType, body: answer.body },
      });
      res.writeHead(answer.status, {
        "Content-Type": answer.contentType,
        "api-version": API_VERSION,
        ...answer.headers,
      });
      res.end(raw ?? JSON.stringify(answer.body));
    };
    const problem = (status: 401 | 404 | 500 | 503) =>
      send({ status, contentType: "application/problem+json", body: bagProblem(status, url.href) });

    const faulted = answerFault(faults.next(), req, {
      noAnswer: () => log.record({ ...base, status: 0, response: { contentType: "", body: undefined } }),
      serverError: (status) => problem(status),
      raw: (status, contentType, raw) => send({ status, contentType, body: undefined }, raw),
      malformed: { contentType: "application/hal+json", body: '{"_embedded":{"adressen":[{' },
    });
    if (faulted) return;
    if (req.method !== "GET" || !url.pathname.startsWith(BAG_BASE_PATH + "/")) return problem(404);
    if (apiKey !== undefined && headers["x-api-key"] !== apiKey) return problem(401);
    send(
      answerBagRequest(
        {
          path: url.pathname.slice(BAG_BASE_PATH.length),
          query: url.searchParams,
          headers,
          base: origin + BAG_BASE_PATH,
          instance: url.href,
        },
        registry,
      ),
    );
  }

  const server = await listenSimulator(host, port, (req, res) => {
    // GET only: the body (if any) is drained and ignored.
    req.resume();
    handle(req, res);
  });
  origin = server.origin;
  return simulatorHandle(origin + BAG_BASE_PATH, log, server, faults.set);
}
