export {
  applyRegistryGuard,
  guardedRoot,
  guardedValue,
  registryTypes,
  type FieldGrant,
} from "./registry-guard.ts";
export { requestFieldGrant, type FieldPolicy } from "./field-decisions.ts";
export { requestedLeafPaths, type NamedLeaf } from "./requested-paths.ts";
