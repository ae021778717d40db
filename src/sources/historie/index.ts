export {
  createHistorieClient,
  historieQueryBody,
  type HistorieClient,
  type HistorieClientOptions,
  type HistorieMoment,
} from "./historie-client.ts";
export {
  createHistorieLoaders,
  type HistorieKey,
  type HistorieLoaders,
  type HistorieResult,
} from "./historie-loaders.ts";
export {
  HISTORIE_PROBES,
  runHistorieProbe,
  wholeHistory,
  type HistorieProbeId,
  type HistorieProbeOptions,
} from "./historie-probes.ts";
export {
  HISTORIE_BASE_PATH,
  startHistorieSimulator,
  type HistorieSimulator,
  type HistorieSimulatorOptions,
} from "./historie-simulator.ts";
export {
  historieVerblijfplaatsSchema,
  type HistorieDatum,
  type HistorieVerblijfplaats,
} from "./historie-schema.ts";
export type {
  PostJsonRecordedRequest as RecordedRequest,
  SimulatorFault as HistorieFault,
} from "../http/index.ts";
