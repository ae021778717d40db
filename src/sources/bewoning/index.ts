export { createBewoningClient, type BewoningClient, type BewoningClientOptions } from "./bewoning-client.ts";
export {
  createBewoningLoaders,
  type BewoningKey,
  type BewoningLoaders,
  type BewoningResult,
} from "./bewoning-loaders.ts";
export {
  BEWONING_PROBES,
  runBewoningProbe,
  type BewoningProbeId,
  type BewoningProbeOptions,
} from "./bewoning-probes.ts";
export {
  BEWONING_BASE_PATH,
  startBewoningSimulator,
  type BewoningSimulator,
  type BewoningSimulatorOptions,
} from "./bewoning-simulator.ts";
export { bewoningSchema, type Bewoner, type Bewoning } from "./bewoning-schema.ts";
export type {
  PostJsonRecordedRequest as RecordedRequest,
  SimulatorFault as BewoningFault,
} from "../http/index.ts";
