export * from "./bootstrap.ts";
