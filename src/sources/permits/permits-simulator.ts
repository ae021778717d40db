import type { IncomingMessage, ServerResponse } from "node:http";
import { systemClock, type Clock } from "../../shared/index.ts";
import {
  answerFault,
  createFaultSwitch,
  createRequestLog,
  type RequestLogOptions,
  keptHeaders,
  listenSimulator,
  readBody,
  simulatorHandle,
  type SimulatorFault,
  type SimulatorHandle,
} from "../http/index.ts";
import { createKvkRegister, type KvkRegister } from "../kvk/index.ts";
import type { Municipality } from "../synthetic/index.ts";
import { bagObjectUrl } from "./permits-client.ts";
import { verifyZgwToken } from "./permits-jwt.ts";
import { zgwFout, type ZgwFoutStatus } from "./permits-problems.ts";
import type { PermitRegister } from "./permits-records.ts";
import type { RenderContext } from "./permits-render.ts";
import { answerCatalogi } from "./permits-simulator-catalogi.ts";
import type { ApiContext, RouteAnswer } from "./permits-simulator-http.ts";
import { answerZaken } from "./permits-simulator-zaken.ts";
import { createPermitRegister } from "./permits-synthetic.ts";

export type PermitsFault = SimulatorFault;

export interface PermitsRecordedRequest {
  /** Which API was addressed; undefined for a path outside both. */
  readonly api: "zaken" | "catalogi" | undefined;
  readonly method: string;
  /** Full path including the base path, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Only the headers that matter to the protocol (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body of a POST; undefined otherwise. */
  readonly body: unknown;
  /** 0 when the simulator did not answer (timeout, reset). */
  readonly status: number;
  /** body is undefined for the deliberately unparseable fault answers. */
  readonly response: { readonly contentType: string; readonly body: unknown };
}

export interface PermitsSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  /** Defaults to `createKvkRegister(municipality)`; pass the KVK simulator's to share companies. */
  readonly kvkRegister?: KvkRegister | undefined;
  /** The ZGW client that may call, and its HS256 secret. */
  readonly clientId: string;
  readonly secret: string;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  /** Results per page (the reference implementations use 100); small values force pagination in tests. */
  readonly pageSize?: number | undefined;
  /** Base URL the zaakobjecten use for BAG objects (default the production BAG API). */
  readonly bagUrl?: string | undefined;
  /** The time the JWT's `iat` / `exp` are checked against. */
  readonly clock?: Clock | undefined;
}

/** A running simulator; `url` is the Zaken API's base URL (as `zakenUrl`). */
export interface PermitsSimulator extends SimulatorHandle<PermitsRecordedRequest> {
  readonly zakenUrl: string;
  readonly catalogiUrl: string;
  readonly register: PermitRegister;
}

/** The base paths of Open Zaak, the reference implementation of both APIs. */
export const ZAKEN_BASE_PATH = "/zaken/api/v1";
export const CATALOGI_BASE_PATH = "/catalogi/api/v1";
const API_VERSION = { zaken: "1.5.1", catalogi: "1.3.1" } as const;
const KEPT_HEADERS = ["accept", "accept-crs", "content-crs", "content-type", "authorization", "traceparent"];

/**
 * The permit system of a synthetic municipality behind the ZGW Zaken API 1.5 and Catalogi API
 * 1.3, on one server under their real base paths: JWT HS256 client authentication (401 without a
 * token, 403 for a wrong one), `Accept-Crs` on the ZAAK operations, page-number pagination with
 * absolute links, the list filters the client uses (unknown filters refused), problem+json errors
 * in the specs' Fout / ValidatieFout format, and the switchable faults of every simulator.
 */
export async function startPermitsSimulator(options: PermitsSimulatorOptions): Promise<PermitsSimulator> {
  const { municipality, clientId, secret, host = "127.0.0.1", port = 0, pageSize = 100 } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError("pageSize: a positive integer");
  const clock = options.clock ?? systemClock;
  const register = createPermitRegister(municipality, options.kvkRegister ?? createKvkRegister(municipality));
  const log = createRequestLog<PermitsRecordedRequest>(options.requestLogSize);
  const faults = createFaultSwitch();
  let origin = "";
  let errors = 0;
  const instance = () => `urn:uuid:00000000-0000-4000-8000-${(++errors).toString(16).padStart(12, "0")}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const api: PermitsRecordedRequest["api"] = url.pathname.startsWith(ZAKEN_BASE_PATH + "/")
      ? "zaken"
      : url.pathname.startsWith(CATALOGI_BASE_PATH + "/")
        ? "catalogi"
        : undefined;
    const headers = keptHeaders(req, KEPT_HEADERS);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === "" ? undefined : (JSON.parse(text) as unknown);
    } catch {
      body = undefined;
    }
    const base = {
      api,
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    };
    const apiBase = origin + (api === "catalogi" ? CATALOGI_BASE_PATH : ZAKEN_BASE_PATH);
    const send = (answer: RouteAnswer, raw?: string) => {
      log.record({
        ...base,
        status: answer.status,
        response: { contentType: answer.contentType, body: answer.body },
      });
      res.writeHead(answer.status, {
        "Content-Type": answer.contentType,
        "API-version": API_VERSION[api ?? "zaken"],
        ...answer.headers,
      });
      res.end(raw ?? JSON.stringify(answer.body));
    };
    const problem = (status: ZgwFoutStatus, detail?: string) =>
      send({
        status,
        contentType: "application/problem+json",
        body: zgwFout(apiBase, status, instance(), detail === undefined ? {} : { detail }),
      });

    const faulted = answerFault(faults.next(), req, {
      noAnswer: () => log.record({ ...base, status: 0, response: { contentType: "", body: undefined } }),
      serverError: (status) => problem(status),
      raw: (status, contentType, raw) => send({ status, contentType, body: undefined }, raw),
      malformed: {
        contentType: "application/json",
        body: '{"count":1,"next":null,"previous":null,"results":[{',
      },
    });
    if (faulted) return;
    if (api === undefined)
      return send(
        { status: 404, contentType: "text/html", body: undefined },
        "<html><body>Not Found</body></html>",
      );
    const bearer = /^Bearer (.+)$/.exec(headers["authorization"] ?? "")?.[1];
    if (bearer === undefined) return problem(401);
    if (!(await verifyZgwToken(bearer, { clientId, secret, now: clock.now() }))) return problem(403);

    const rctx: RenderContext = {
      zakenBase: origin + ZAKEN_BASE_PATH,
      catalogiBase: origin + CATALOGI_BASE_PATH,
      bagObjectUrl: (id) => bagObjectUrl(id, options.bagUrl),
      rsin: register.rsin,
    };
    const route = {
      method: req.method ?? "",
      path: url.pathname.slice((api === "zaken" ? ZAKEN_BASE_PATH : CATALOGI_BASE_PATH).length),
      url,
      headers,
      body,
      instance: instance(),
    };
    const ctx: ApiContext = { base: apiBase, pageSize };
    send(
      api === "zaken" ? answerZaken(route, register, ctx, rctx) : answerCatalogi(route, register, ctx, rctx),
    );
  }

  const server = await listenSimulator(host, port, handle);
  origin = server.origin;
  return {
    ...simulatorHandle(origin + ZAKEN_BASE_PATH, log, server, faults.set),
    zakenUrl: origin + ZAKEN_BASE_PATH,
    catalogiUrl: origin + CATALOGI_BASE_PATH,
    register,
  };
}
