export * from "./operation-context.ts";
