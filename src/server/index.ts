export { createGateway, type Gateway, type GatewayDeps } from "./gateway.ts";
export { createHttpServer, createOpsServer, listen, type Lifecycle, type WebRoute } from "./http-server.ts";
export { CONSOLE_PATH, consoleCsp, createConsoleHandler } from "./console-static.ts";
export { buildSchema } from "./schema.ts";
export { createErrorFormatter } from "./format-error.ts";
