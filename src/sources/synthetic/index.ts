export { createMunicipality, UNKNOWN_BSN, type MunicipalityOptions } from "./municipality.ts";
export { wellKnown } from "./well-known.ts";
export { normalisePostcode } from "./addresses.ts";
export { mulberry32, hash32, createRng, type Rng } from "./prng.ts";
export { GEMEENTE_NAMEN } from "./gemeenten.ts";
export type {
  Address,
  AddressQuery,
  CodedValue,
  GbaDate,
  Municipality,
  OuderLink,
  PartnerLink,
  Person,
  Verblijfplaats,
  WellKnown,
} from "./model.ts";
export {
  createResidenceHistory,
  periodBounds,
  MAX_EARLIER_PERIODS,
  type Occupancy,
  type ResidenceHistory,
  type ResidencePeriod,
  type ResidencePlace,
} from "./residence-history.ts";
