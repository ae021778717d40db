export {
  createBagClient,
  type BagAdresZoekvraag,
  type BagClient,
  type BagClientOptions,
} from "./bag-client.ts";
export {
  createBagLoaders,
  createLimiter,
  limitedCalls,
  type BagLoaderOptions,
  type BagLoaders,
  type BagResult,
} from "./bag-loaders.ts";
export {
  BAG_PROBES,
  bagTerritory,
  runBagProbe,
  type BagObjectQuery,
  type BagProbeAnswer,
  type BagProbeId,
  type BagProbeOptions,
} from "./bag-probes.ts";
export {
  BAG_BASE_PATH,
  startBagSimulator,
  type BagFault,
  type BagRecordedRequest,
  type BagSimulator,
  type BagSimulatorOptions,
} from "./bag-simulator.ts";
export { createBagRegistry } from "./bag-synthetic.ts";
export { BAG_PROBLEM_TEXTS } from "./bag-problems.ts";
export {
  GEBRUIKSDOELEN,
  type BagAdresQuery,
  type BagAdresRecord,
  type BagObjectRecord,
  type BagPandRecord,
  type BagRegistry,
  type BagVerblijfsobjectRecord,
  type Gebruiksdoel,
} from "./bag-records.ts";
export {
  bagAdresSchema,
  bagAdresseerbaarObjectSchema,
  bagPandSchema,
  bagVerblijfsobjectSchema,
  type BagAdres,
  type BagAdresseerbaarObject,
  type BagPand,
  type BagVerblijfsobject,
} from "./bag-schema.ts";
export {
  bagAdres,
  bagObjectId,
  loadBagObject,
  type BagObjectParts,
  type BagObjectView,
} from "./bag-object.ts";
