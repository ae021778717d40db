export * from "./result.ts";
export * from "./errors.ts";
export * from "./identifiers.ts";
export * from "./clock.ts";
export * from "./domain.ts";
export * from "./unreachable.ts";
export * from "./subject-key.ts";
export * from "./iso-duration.ts";
