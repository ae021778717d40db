import { createResidenceHistory, type Municipality } from "../synthetic/index.ts";
import { answerHistorieQuery } from "./historie-query.ts";
import { startPostJsonSimulator, type PostJsonSimulator, type RequestLogOptions } from "../http/index.ts";

export interface HistorieSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  readonly host?: string;
  readonly port?: number;
  /** When set, every call needs this X-API-KEY. */
  readonly apiKey?: string;
}

/** Base URL ends with `/lap/api/brp`; POST `${url}/verblijfplaatshistorie`. */
export type HistorieSimulator = PostJsonSimulator;

/** The spec's server (`https://apigw.npr.idm.diginetwerk.net/lap/api/brp`) path. */
export const HISTORIE_BASE_PATH = "/lap/api/brp";

/**
 * A BRP Verblijfplaatshistorie server over a synthetic municipality, speaking HTTP as the real API
 * (brp-verblijfplaatshistorie.openapi.yaml), so production is a change of URL and credentials.
 */
export function startHistorieSimulator(options: HistorieSimulatorOptions): Promise<HistorieSimulator> {
  const history = createResidenceHistory(options.municipality);
  return startPostJsonSimulator({
    basePath: HISTORIE_BASE_PATH,
    resource: "/verblijfplaatshistorie",
    responseContentType: "application/json",
    malformedBody: '{"verblijfplaatsen":[{"type":"Adres",',
    answer: (body) => answerHistorieQuery(body, history),
    apiKey: options.apiKey,
    host: options.host,
    port: options.port,
    requestLogSize: options.requestLogSize,
  });
}
