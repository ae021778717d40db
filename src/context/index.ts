export * from "./operation-context.ts";
export * from "./audited-transaction.ts";
