export {
  createKvkClient,
  KVK_MAX_PAGE_SIZE,
  KVK_MAX_RESULTS,
  type KvkClient,
  type KvkClientOptions,
  type KvkZoekOptions,
} from "./kvk-client.ts";
export {
  createKvkLoaders,
  KVK_MAX_CONCURRENT,
  type KvkBasisprofielResult,
  type KvkLoaderOptions,
  type KvkLoaders,
  type KvkVestigingsprofielResult,
  type KvkZoekKey,
  type KvkZoekResult,
} from "./kvk-loaders.ts";
export {
  KVK_PROBES,
  runKvkProbe,
  type KvkProbeAnswer,
  type KvkProbeId,
  type KvkProbeInput,
} from "./kvk-probes.ts";
export {
  startKvkSimulator,
  type KvkFault,
  type KvkRecordedRequest,
  type KvkSimulator,
  type KvkSimulatorOptions,
} from "./kvk-simulator.ts";
export {
  createKvkRegister,
  type KvkRegister,
  type KvkRegisterOptions,
  type KvkWellKnown,
} from "./kvk-synthetic.ts";
export { KVK_TEST_COMPANIES } from "./kvk-test-companies.ts";
export {
  isActive,
  type Company,
  type KvkAdres,
  type Rechtsvorm,
  type SbiActiviteit,
  type Vestiging,
} from "./kvk-model.ts";
export {
  basisprofielSchema,
  vestigingSchema,
  zoekResultaatSchema,
  ZOEK_TYPES,
  type KvkBasisprofiel,
  type KvkResultaatItem,
  type KvkVestigingList,
  type KvkVestigingsprofiel,
  type KvkZoekParams,
  type KvkZoekResultaat,
} from "./kvk-schema.ts";
export {
  loadOnderneming,
  loadVestigingen,
  ondernemingenOpAdres,
  type HrAdresView,
  type HrOndernemingView,
  type HrVestigingView,
} from "./kvk-onderneming.ts";
