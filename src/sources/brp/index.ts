export {
  createBrpClient,
  BRP_MAX_BSNS_PER_CALL,
  type BrpClient,
  type BrpClientOptions,
} from "./brp-client.ts";
export {
  createBrpLoaders,
  type BrpLoaders,
  type BrpPersoonKey,
  type BrpPersoonResult,
} from "./brp-loaders.ts";
export {
  BRP_PROBES,
  brpTerritory,
  runBrpProbe,
  type BrpProbeId,
  type BrpProbeOptions,
  type ProbeAnswer,
} from "./brp-probes.ts";
export {
  BRP_VERIFY_FIELDS,
  verifyFieldsFor,
  verifyWithBrp,
  type Verification,
  type VerifySignal,
} from "./brp-verify.ts";
export {
  startBrpSimulator,
  type BrpFault,
  type BrpSimulator,
  type BrpSimulatorOptions,
  type RecordedRequest,
} from "./brp-simulator.ts";
export { brpPersoonSchema, type BrpDatum, type BrpPersoon, type BrpPersoonBeperkt } from "./brp-schema.ts";
export {
  BRP_ZOEK_TYPES,
  type BrpZoekType,
  type BrpZoekVraag,
  type ZoekMetGeslachtsnaamEnGeboortedatum,
  type ZoekMetPostcodeEnHuisnummer,
} from "./brp-zoek.ts";
export {
  describePersonProblems,
  resolvePerson,
  RESOLVE_FIELDS,
  type DescriptionProblem,
  type PersonDescription,
  type PersonElement,
  type PersonResolution,
} from "./brp-resolve.ts";
export { PERSOON_FIELD_PATHS, PERSOON_BEPERKT_FIELD_PATHS } from "./brp-field-paths.ts";
export { AUTOMATIC_FIELDS } from "./brp-fields.ts";
export { renderDatum, renderVerblijfadres, renderWaarde } from "./brp-render.ts";
