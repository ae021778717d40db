export * from "./config.ts";
export { configTable } from "./config-doc.ts";
