import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// The console's end-to-end tests (issue 14): headless Chromium against a demo gateway, run by
// `npm run test:e2e` (and .ci/run), not by `npm test`.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["test/setup/node-version.ts"],
  },
});
