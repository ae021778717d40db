export * from "./config.ts";
export { configTable } from "./config-doc.ts";
export type { ClientTlsConfig } from "./client-tls.ts";
