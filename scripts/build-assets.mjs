// After `tsc -p tsconfig.build.json`: the files the compiled gateway reads at run time beside its
// modules — the GraphQL schema (src/server/schema.ts reads ../../schema/) and the SQL migrations
// (src/store/migrate.ts reads ./migrations/). Policies stay where POLICY_DIR points (./policies).
// Then the console (dist/console).
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { build as esbuild } from "esbuild";
import { build } from "vite";

rmSync("dist/schema", { recursive: true, force: true });
rmSync("dist/src/store/migrations", { recursive: true, force: true });
cpSync("schema", "dist/schema", { recursive: true });
cpSync("src/store/migrations", "dist/src/store/migrations", { recursive: true });

// One file for the server (issue 15, start-up ≤ 1 s): Node spends ~0.5 s resolving and loading the
// ~330 compiled modules and their packages' files one by one; esbuild puts them in one module,
// dist/src/cli/poortwachter.js, and dist/src/cli/main.js (npm start, npm run serve, the Dockerfile)
// becomes a launcher that switches on Node's compile cache (V8 code of that one file kept in
// os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE; a cache that cannot be written only costs
// time) and imports it. PGlite stays outside (it finds its WebAssembly and data files beside its
// own module), as does pg's optional native binding. `../../schema/` and `../store/migrations/`
// resolve from dist/src/cli/ as from their own modules. The other compiled modules stay beside it.
await esbuild({
  entryPoints: ["dist/src/cli/main.js"],
  outfile: "dist/src/cli/poortwachter.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  external: ["@electric-sql/pglite", "pg-native"],
  // CommonJS packages inside an ES module bundle still need require, __filename and __dirname.
  banner: {
    js: [
      'import { createRequire as __pwCreateRequire } from "node:module";',
      'import { fileURLToPath as __pwFileURLToPath } from "node:url";',
      "const require = __pwCreateRequire(import.meta.url);",
      "const __filename = __pwFileURLToPath(import.meta.url);",
      'const __dirname = __pwFileURLToPath(new URL(".", import.meta.url));',
    ].join("\n"),
  },
  legalComments: "none",
  logLevel: "warning",
});
// The embedded database's thread (src/store/pglite-worker.ts): src/store/pglite-db.ts starts it
// from the module beside its own, which in the bundle is dist/src/cli/.
await esbuild({
  entryPoints: ["dist/src/store/pglite-worker.js"],
  outfile: "dist/src/cli/pglite-worker.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  external: ["@electric-sql/pglite"],
  legalComments: "none",
  logLevel: "warning",
});
writeFileSync(
  "dist/src/cli/main.js",
  [
    "// Written by scripts/build-assets.mjs: the compiled gateway is the one file poortwachter.js.",
    'import { enableCompileCache } from "node:module";',
    "enableCompileCache();",
    'await import("./poortwachter.js");',
    "",
  ].join("\n"),
);

// The web console (issue 14): type-checked and bundled by Vite into dist/console, which the
// gateway serves at /console. No CDN at run time: everything it loads is in that directory.
execFileSync("npx", ["tsc", "-p", "console/tsconfig.json"], { stdio: "inherit" });
await build({ configFile: "console/vite.config.ts", logLevel: "warn" });
