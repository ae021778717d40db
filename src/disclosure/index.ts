export * from "./disclosure-context.ts";
export * from "./person-disclosure.ts";
export * from "./subject.ts";
export { subjectHits, type HitAnswer } from "./hits.ts";
export { subjectFields, subjectLinks, type Loaded } from "./fields.ts";
export {
  PROBE_RUNNERS,
  probeRunnerOf,
  probesWithoutRunner,
  type ProbeEnv,
  type ProbeRunner,
} from "./probe-runners.ts";
export {
  objectBag,
  objectBewoners,
  objectOndernemingen,
  objectWoz,
  ondernemingHandelsregister,
  ondernemingVestigingen,
  personAdres,
  personEerdereAdressen,
  personVerblijfplaatshistorie,
  subjectVergunningen,
} from "./links.ts";
export { registersFor, subjectRegister } from "./register-fields.ts";
export { registerKeyOf } from "./register-probes.ts";
export {
  objectBrk,
  objectEigenaarOndernemingen,
  objectEigenaren,
  objectKadaster,
  personBrk,
  personEigendommen,
} from "./brk-links.ts";
