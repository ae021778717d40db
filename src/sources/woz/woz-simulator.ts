import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerFault,
  createFaultSwitch,
  createRequestLog,
  keptHeaders,
  listenSimulator,
  simulatorHandle,
  type RequestLogOptions,
  type SimulatorFault,
  type SimulatorHandle,
} from "../http/index.ts";
import type { BagRecordedRequest } from "../bag/index.ts";
import type { KvkRegister } from "../kvk/index.ts";
import type { Municipality } from "../synthetic/index.ts";
import { wozProblem, type WozProblemStatus } from "./woz-problems.ts";
import type { WozRegistry } from "./woz-records.ts";
import { answerWozRequest, type WozRouteAnswer } from "./woz-simulator-routes.ts";
import { createWozRegistry } from "./woz-synthetic.ts";

/** How the simulator misbehaves, switchable at runtime to test the gateway's failure handling. */
export type WozFault = SimulatorFault;

/**
 * What the simulator records of a request: the same record as the BAG simulator's (a GET with its
 * query and the protocol's headers: accept, x-api-key, traceparent).
 */
export type WozRecordedRequest = BagRecordedRequest;

export interface WozSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  /** The same municipality's Handelsregister, so companies own objects (woz-synthetic.ts). */
  readonly kvkRegister?: KvkRegister;
  /** Calendar year of the newest tijdvak; default this year. */
  readonly year?: number;
  readonly host?: string;
  readonly port?: number;
  /** When set, every call needs this `X-Api-Key`. */
  readonly apiKey?: string;
}

/** A running simulator; `url` is the base URL including the base path, e.g. GET `${url}/wozobjecten`. */
export type WozSimulator = SimulatorHandle<WozRecordedRequest> & { readonly registry: WozRegistry };

/** Base path of the simulator (the spec names only a mock server); production is a change of URL. */
export const WOZ_BASE_PATH = "/wozbevragen/v1";
const KEPT_HEADERS = ["accept", "x-api-key", "traceparent"];
const API_VERSION = "1.0.0";
const ACCEPTABLE = /(^|,)\s*(\*\/\*|application\/\*|application\/hal\+json|application\/json)\s*(;|,|$)/;

/**
 * A WOZ Bevragen v1 server over a synthetic municipality (woz-synthetic.ts), speaking HTTP as the
 * spec: GET only, HAL JSON, `fields`, paging, `X-Api-Key`, problem+json errors, and the faults
 * every simulator has.
 */
export async function startWozSimulator(options: WozSimulatorOptions): Promise<WozSimulator> {
  const { municipality, host = "127.0.0.1", port = 0, apiKey } = options;
  const registry = createWozRegistry(municipality, {
    ...(options.year === undefined ? {} : { year: options.year }),
    ...(options.kvkRegister ? { kvkRegister: options.kvkRegister } : {}),
  });
  const log = createRequestLog<WozRecordedRequest>(options.requestLogSize);
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
    const send = (answer: WozRouteAnswer, raw?: string) => {
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
    const problem = (status: WozProblemStatus) =>
      send({ status, contentType: "application/problem+json", body: wozProblem(status, url.href) });

    const faulted = answerFault(faults.next(), req, {
      noAnswer: () => log.record({ ...base, status: 0, response: { contentType: "", body: undefined } }),
      serverError: (status) => problem(status),
      raw: (status, contentType, raw) => send({ status, contentType, body: undefined }, raw),
      malformed: { contentType: "application/hal+json", body: '{"_embedded":{"wozObjecten":[{' },
    });
    if (faulted) return;
    if (req.method !== "GET" || !url.pathname.startsWith(WOZ_BASE_PATH + "/")) return problem(404);
    if (apiKey !== undefined && headers["x-api-key"] !== apiKey) return problem(401);
    if (headers["accept"] !== undefined && !ACCEPTABLE.test(headers["accept"])) return problem(406);
    send(
      answerWozRequest(
        {
          path: url.pathname.slice(WOZ_BASE_PATH.length),
          query: url.searchParams,
          base: origin + WOZ_BASE_PATH,
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
  return { ...simulatorHandle(origin + WOZ_BASE_PATH, log, server, faults.set), registry };
}
