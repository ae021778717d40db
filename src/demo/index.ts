export * from "./demo-users.ts";
export * from "./seed-demo.ts";
export * from "./seed-registers.ts";
