import { startPostJsonSimulator, type PostJsonSimulator, type RequestLogOptions } from "../http/index.ts";
import { createResidenceHistory, type Municipality } from "../synthetic/index.ts";
import { answerBewoningQuery } from "./bewoning-query.ts";

export interface BewoningSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  readonly host?: string;
  readonly port?: number;
  /** When set, every call needs this X-API-KEY. */
  readonly apiKey?: string;
}

/** Base URL ends with `/haalcentraal/api/bewoning`; POST `${url}/bewoningen`. */
export type BewoningSimulator = PostJsonSimulator;

/** The path of the Haal Centraal BRP Bewoning API (its feature files' `instance`). */
export const BEWONING_BASE_PATH = "/haalcentraal/api/bewoning";

/**
 * A BRP Bewoning v2 server over a synthetic municipality, speaking HTTP as the real API
 * (brp-bewoning.openapi.yaml), so production is a change of URL and credentials. Its residence
 * history is the one the Verblijfplaatshistorie simulator serves for the same municipality.
 */
export function startBewoningSimulator(options: BewoningSimulatorOptions): Promise<BewoningSimulator> {
  const history = createResidenceHistory(options.municipality);
  return startPostJsonSimulator({
    basePath: BEWONING_BASE_PATH,
    resource: "/bewoningen",
    responseContentType: "application/json; charset=utf-8",
    malformedBody: '{"bewoningen":[{"adresseerbaarObjectIdentificatie":',
    answer: (body) => answerBewoningQuery(body, options.municipality, history),
    apiKey: options.apiKey,
    host: options.host,
    port: options.port,
    requestLogSize: options.requestLogSize,
  });
}
