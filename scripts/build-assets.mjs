// After `tsc -p tsconfig.build.json`: the files the compiled gateway reads at run time beside its
// modules — the GraphQL schema (src/server/schema.ts reads ../../schema/) and the SQL migrations
// (src/store/migrate.ts reads ./migrations/). Policies stay where POLICY_DIR points (./policies).
import { cpSync, rmSync } from "node:fs";

rmSync("dist/schema", { recursive: true, force: true });
rmSync("dist/src/store/migrations", { recursive: true, force: true });
cpSync("schema", "dist/schema", { recursive: true });
cpSync("src/store/migrations", "dist/src/store/migrations", { recursive: true });
