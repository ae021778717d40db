export {
  BAG_OBJECT_BASE_URL,
  bagObjectUrl,
  createPermitsClient,
  DEFAULT_MAX_PAGES,
  type PermitsClient,
  type PermitsClientOptions,
  type ZakenFilter,
} from "./permits-client.ts";
export {
  createPermitsLoaders,
  PERMITS_MAX_CONCURRENT,
  type PermitsLoaderOptions,
  type PermitsLoaders,
  type PermitsResult,
} from "./permits-loaders.ts";
export {
  PERMITS_PROBES,
  runPermitsProbe,
  type PermitsProbeAnswer,
  type PermitsProbeId,
  type PermitsSubject,
} from "./permits-probes.ts";
export {
  DEFAULT_ZAAKTYPE_RULES,
  PERMIT_KINDS,
  permitKindOf,
  type PermitKind,
  type PermitKindOrOverig,
  type ZaaktypeRule,
} from "./permits-kinds.ts";
export { type Permit, type ZaaktypeIndex } from "./permits-model.ts";
export { kvkOndernemingLookup, type OndernemingIds, type OndernemingLookup } from "./permits-onderneming.ts";
export {
  CATALOGI_BASE_PATH,
  startPermitsSimulator,
  ZAKEN_BASE_PATH,
  type PermitsFault,
  type PermitsRecordedRequest,
  type PermitsSimulator,
  type PermitsSimulatorOptions,
} from "./permits-simulator.ts";
export { createPermitRegister } from "./permits-synthetic.ts";
export type {
  PermitBetrokkene,
  PermitRegister,
  PermitRolRecord,
  PermitWellKnown,
  PermitZaakObjectRecord,
  PermitZaakRecord,
} from "./permits-records.ts";
export { ZAAKTYPEN, type ZaaktypeRecord } from "./permits-catalogue.ts";
export {
  createZgwTokenSource,
  verifyZgwToken,
  ZGW_TOKEN_LIFETIME_S,
  type ZgwClaims,
  type ZgwTokenSource,
} from "./permits-jwt.ts";
export {
  zaakSchema,
  zaakObjectSchema,
  zaakTypeSchema,
  type Zaak,
  type ZaakObject,
  type ZaakType,
} from "./permits-schema.ts";
