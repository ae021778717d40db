export { createGateway, type Gateway, type GatewayDeps } from "./gateway.ts";
export { createHttpServer, createOpsServer, listen, type Lifecycle } from "./http-server.ts";
export { buildSchema } from "./schema.ts";
export { createErrorFormatter } from "./format-error.ts";
