export { applyRegistryGuard, guardedRoot, registryTypes, type FieldGrant } from "./registry-guard.ts";
export { requestedLeafPaths } from "./requested-paths.ts";
