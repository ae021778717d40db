// After `tsc -p tsconfig.build.json`: the files the compiled gateway reads at run time beside its
// modules — the GraphQL schema (src/server/schema.ts reads ../../schema/) and the SQL migrations
// (src/store/migrate.ts reads ./migrations/). Policies stay where POLICY_DIR points (./policies).
// Then the console (dist/console).
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { build } from "vite";

rmSync("dist/schema", { recursive: true, force: true });
rmSync("dist/src/store/migrations", { recursive: true, force: true });
cpSync("schema", "dist/schema", { recursive: true });
cpSync("src/store/migrations", "dist/src/store/migrations", { recursive: true });

// The web console (issue 14): type-checked and bundled by Vite into dist/console, which the
// gateway serves at /console. No CDN at run time: everything it loads is in that directory.
execFileSync("npx", ["tsc", "-p", "console/tsconfig.json"], { stdio: "inherit" });
await build({ configFile: "console/vite.config.ts", logLevel: "warn" });
