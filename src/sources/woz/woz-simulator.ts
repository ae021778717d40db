import type { BagSimulatorOptions } from "../bag/index.ts";
import {
  startGetSimulator,
  type GetRecordedRequest,
  type SimulatorFault,
  type SimulatorHandle,
} from "../http/index.ts";
import type { KvkRegister } from "../kvk/index.ts";
import { wozProblem } from "./woz-problems.ts";
import type { WozRegistry } from "./woz-records.ts";
import { answerWozRequest } from "./woz-simulator-routes.ts";
import { createWozRegistry } from "./woz-synthetic.ts";

/** How the simulator misbehaves, switchable at runtime to test the gateway's failure handling. */
export type WozFault = SimulatorFault;

/** What the simulator records of a request; headers: accept, x-api-key, traceparent. */
export type WozRecordedRequest = GetRecordedRequest;

/** The BAG simulator's options (municipality, host, port, `X-Api-Key`, log size), and: */
export interface WozSimulatorOptions extends BagSimulatorOptions {
  /** The same municipality's Handelsregister, so companies own objects (woz-synthetic.ts). */
  readonly kvkRegister?: KvkRegister;
  /** Calendar year of the newest tijdvak; default this year. */
  readonly year?: number;
}

/** A running simulator; `url` is the base URL including the base path, e.g. GET `${url}/wozobjecten`. */
export type WozSimulator = SimulatorHandle<WozRecordedRequest> & { readonly registry: WozRegistry };

/** Base path of the simulator (the spec names only a mock server); production is a change of URL. */
export const WOZ_BASE_PATH = "/wozbevragen/v1";
const KEPT_HEADERS = ["accept", "x-api-key", "traceparent"];
const API_VERSION = "1.0.0";

/**
 * A WOZ Bevragen v1 server over a synthetic municipality (woz-synthetic.ts), speaking HTTP as the
 * spec: GET only, HAL JSON, `fields`, paging, `X-Api-Key`, problem+json errors, and the faults
 * every simulator has.
 */
export async function startWozSimulator(options: WozSimulatorOptions): Promise<WozSimulator> {
  const { municipality, apiKey } = options;
  const registry = createWozRegistry(municipality, {
    ...(options.year === undefined ? {} : { year: options.year }),
    ...(options.kvkRegister ? { kvkRegister: options.kvkRegister } : {}),
  });
  const handle = await startGetSimulator({
    host: options.host,
    port: options.port,
    requestLogSize: options.requestLogSize,
    basePath: WOZ_BASE_PATH,
    apiVersion: API_VERSION,
    keptHeaders: KEPT_HEADERS,
    apiKey: apiKey === undefined ? undefined : { header: "x-api-key", value: apiKey },
    problem: (status, instance) => wozProblem(status, instance),
    malformed: { contentType: "application/hal+json", body: '{"_embedded":{"wozObjecten":[{' },
    route: (request) => answerWozRequest(request, registry),
  });
  return { ...handle, registry };
}
