export {
  createBrkClient,
  type BrkAdresZoekvraag,
  type BrkClient,
  type BrkClientOptions,
} from "./brk-client.ts";
export { createTlsFetch, type ClientTls } from "./brk-tls.ts";
export { createBrkLoaders, type BrkLoaderOptions, type BrkLoaders } from "./brk-loaders.ts";
export {
  BRK_PROBES,
  runBrkProbe,
  type BrkProbeAnswer,
  type BrkProbeId,
  type BrkProbeSubject,
} from "./brk-probes.ts";
export {
  BRK_BASE_PATH,
  startBrkSimulator,
  type BrkFault,
  type BrkRecordedRequest,
  type BrkSimulator,
  type BrkSimulatorOptions,
} from "./brk-simulator.ts";
export { createBrkRegister, type BrkRegister, type BrkWellKnown } from "./brk-synthetic.ts";
export type * from "./brk-records.ts";
export {
  BRK_ID,
  type BrkBeslag,
  type BrkHypotheek,
  type BrkNietNatuurlijkPersoon,
  type BrkPersoonBeperkt,
  type BrkPrivaatrechtelijkeBeperking,
  type BrkPubliekrechtelijkeBeperking,
  type BrkStuk,
  type BrkZaak,
  type BrkZakelijkGerechtigde,
} from "./brk-schema.ts";
export { kadasterPerceel, loadBrkZaken } from "./brk-zaak.ts";
