export { createRegisterClient, type RegisterClient, type RegisterClientOptions } from "./register-client.ts";
export {
  createRegisterLoaders,
  runRegisterProbe,
  type RegisterLoaders,
  type RegisterProbeOutcome,
} from "./register-loaders.ts";
export type { RegisterDatabase } from "./register-postgres.ts";
export { registerUrl, registerUrlBases } from "./register-http.ts";
export { matches as recordMatches } from "./register-match.ts";
export { probeQuery, quoteIdent, recordsQuery, type RegisterQuery } from "./register-sql.ts";
export type { RegisterKeyValue, RegisterRecord, RegisterSpec } from "./register-spec.ts";
