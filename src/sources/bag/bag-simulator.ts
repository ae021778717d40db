import {
  startGetSimulator,
  type GetRecordedRequest,
  type RequestLogOptions,
  type SimulatorFault,
  type SimulatorHandle,
} from "../http/index.ts";
import type { Municipality } from "../synthetic/index.ts";
import { bagProblem } from "./bag-problems.ts";
import { answerBagRequest } from "./bag-simulator-routes.ts";
import { createBagRegistry } from "./bag-synthetic.ts";

/** How the simulator misbehaves, switchable at runtime to test the gateway's failure handling. */
export type BagFault = SimulatorFault;

/** What the simulator records of a request; headers: accept, accept-crs, x-api-key, traceparent. */
export type BagRecordedRequest = GetRecordedRequest;

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
  const { municipality, apiKey } = options;
  const registry = createBagRegistry(municipality);
  return startGetSimulator({
    host: options.host,
    port: options.port,
    requestLogSize: options.requestLogSize,
    basePath: BAG_BASE_PATH,
    apiVersion: API_VERSION,
    keptHeaders: KEPT_HEADERS,
    apiKey: apiKey === undefined ? undefined : { header: "x-api-key", value: apiKey },
    problem: (status, instance) => bagProblem(status, instance),
    malformed: { contentType: "application/hal+json", body: '{"_embedded":{"adressen":[{' },
    route: (request) => answerBagRequest(request, registry),
  });
}
