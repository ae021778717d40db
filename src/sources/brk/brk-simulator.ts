import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerOptions as TlsServerOptions } from "node:https";
import {
  answerFault,
  createFaultSwitch,
  createRequestLog,
  keptHeaders,
  listenSimulator,
  readBody,
  simulatorHandle,
  type RequestLogOptions,
  type SimulatorFault,
  type SimulatorHandle,
} from "../http/index.ts";
import type { KvkRegister } from "../kvk/index.ts";
import type { Municipality } from "../synthetic/index.ts";
import { brkProblem } from "./brk-problems.ts";
import { answerBrkRequest, type BrkRouteAnswer } from "./brk-simulator-routes.ts";
import { createBrkRegister, type BrkRegister } from "./brk-synthetic.ts";

export type BrkFault = SimulatorFault;

export interface BrkRecordedRequest {
  readonly method: string;
  /** Full path including the base path, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Only the headers that matter to the protocol: accept, accept-crs, content-type, x-api-key. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body of a POST, undefined otherwise. */
  readonly body: unknown;
  /** 0 when the simulator did not answer (timeout, reset). */
  readonly status: number;
  readonly response: { readonly contentType: string; readonly body: unknown };
}

export interface BrkSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  /** The Handelsregister whose companies own parcels (the KVK simulator's, in the demo). */
  readonly kvkRegister: KvkRegister;
  readonly host?: string;
  readonly port?: number;
  /** When set, every call needs this `X-Api-Key`. */
  readonly apiKey?: string;
  /**
   * HTTPS instead of HTTP: e.g. `{ cert, key, ca, requestCert: true, rejectUnauthorized: true }`
   * to require a client certificate signed by `ca`, as the Kadaster's mTLS endpoints do.
   */
  readonly tls?: TlsServerOptions;
}

/** A running simulator; `url` includes the base path, e.g. GET `${url}/kadastraalonroerendezaken?…`. */
export type BrkSimulator = SimulatorHandle<BrkRecordedRequest> & { readonly register: BrkRegister };

/** The production base path (servers[2] of the spec), kept so production is a change of origin. */
export const BRK_BASE_PATH = "/esd/bevragen/v2";
const KEPT_HEADERS = ["accept", "accept-crs", "content-type", "x-api-key", "traceparent"];
const API_VERSION = "2.0.0";

/**
 * A BRK-Bevragen v2 server over a synthetic municipality: the same addresses and BAG ids as the
 * BAG simulator, owners that the BRP simulator (BSN) or the KVK simulator (KvK number) knows.
 * HAL JSON, `X-Api-Key`, problem+json errors, the shared switchable faults and request log.
 */
export async function startBrkSimulator(options: BrkSimulatorOptions): Promise<BrkSimulator> {
  const { host = "127.0.0.1", port = 0, apiKey } = options;
  const register = createBrkRegister(options.municipality, options.kvkRegister);
  const log = createRequestLog<BrkRecordedRequest>(options.requestLogSize);
  const faults = createFaultSwitch();
  let origin = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const headers = keptHeaders(req, KEPT_HEADERS);
    const text = req.method === "POST" ? await readBody(req) : (req.resume(), "");
    let body: unknown;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    const base = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    };
    const send = (answer: BrkRouteAnswer, raw?: string) => {
      log.record({
        ...base,
        status: answer.status,
        response: { contentType: answer.contentType, body: answer.body },
      });
      res.writeHead(answer.status, { "Content-Type": answer.contentType, "api-version": API_VERSION });
      res.end(raw ?? JSON.stringify(answer.body));
    };
    const problem = (status: 401 | 404 | 500 | 503) =>
      send({ status, contentType: "application/problem+json", body: brkProblem(status, url.href) });
    const faulted = answerFault(faults.next(), req, {
      noAnswer: () => log.record({ ...base, status: 0, response: { contentType: "", body: undefined } }),
      serverError: (status) => problem(status),
      raw: (status, contentType, raw) => send({ status, contentType, body: undefined }, raw),
      malformed: {
        contentType: "application/hal+json",
        body: '{"_embedded":{"kadastraalOnroerendeZaken":[{',
      },
    });
    if (faulted) return;
    if (!url.pathname.startsWith(BRK_BASE_PATH + "/")) return problem(404);
    if (apiKey !== undefined && headers["x-api-key"] !== apiKey) return problem(401);
    send(
      answerBrkRequest(
        {
          method: req.method ?? "",
          path: url.pathname.slice(BRK_BASE_PATH.length),
          query: url.searchParams,
          body,
          base: origin + BRK_BASE_PATH,
          instance: url.href,
        },
        register,
      ),
    );
  }

  const server = await listenSimulator(host, port, handle, options.tls);
  origin = server.origin;
  return { ...simulatorHandle(origin + BRK_BASE_PATH, log, server, faults.set), register };
}
