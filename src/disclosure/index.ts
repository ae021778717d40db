export * from "./disclosure-context.ts";
export * from "./person-disclosure.ts";
