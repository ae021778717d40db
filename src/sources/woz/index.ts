export { createWozClient, type WozClient, type WozClientOptions, type WozZoekvraag } from "./woz-client.ts";
export { createWozLoaders, type WozLoaderOptions, type WozLoaders, type WozResult } from "./woz-loaders.ts";
export { wozObjectFor, type WozObjectQuery } from "./woz-object.ts";
export {
  currentWaardepeildatum,
  hasCurrentValue,
  runWozProbe,
  WOZ_PROBES,
  type WozProbeAnswer,
  type WozProbeId,
  type WozProbeOptions,
} from "./woz-probes.ts";
export type {
  WozAdresQuery,
  WozBelanghebbendeRecord,
  WozObjectRecord,
  WozRegistry,
  WozWaardeRecord,
  WozWellKnown,
} from "./woz-records.ts";
export {
  STATUS_BESCHIKKING,
  WOZ_FIELDS,
  wozObjectSchema,
  type StatusBeschikking,
  type WozAanduiding,
  type WozObject,
  type WozWaarde,
} from "./woz-schema.ts";
export {
  startWozSimulator,
  WOZ_BASE_PATH,
  type WozFault,
  type WozRecordedRequest,
  type WozSimulator,
  type WozSimulatorOptions,
} from "./woz-simulator.ts";
export { createWozRegistry, type WozRegistryOptions } from "./woz-synthetic.ts";
