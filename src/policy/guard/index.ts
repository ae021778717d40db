export { applyRegistryGuard, guardedRoot, registryTypes, type FieldGrant } from "./registry-guard.ts";
export { requestFieldGrant, type FieldPolicy } from "./field-decisions.ts";
export { requestedLeafPaths } from "./requested-paths.ts";
