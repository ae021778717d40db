import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  // Node resolves `graphql` to its CommonJS build (as do @graphql-tools and Apollo); Vite would
  // pick the ESM build. One realm only, or `instanceof` checks inside graphql fail.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
  test: {
    include: ["test/**/*.test.ts"],
    // The console's browser tests run on their own: `npm run test:e2e` (vitest.e2e.config.ts).
    exclude: ["test/e2e/**", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one file at a time on the project's
    // 2-core machines, most of it waiting on databases, subprocesses and sockets. Two files at a
    // time keep CI under its 25 minutes; VITEST_MAX_WORKERS overrides it.
    maxWorkers: 2,
    globalSetup: ["test/setup/node-version.ts"],
  },
});
