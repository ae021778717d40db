import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  {
    ignores: ["node_modules/", "data/", "dist/", "coverage/", "policies/schema/", "console/src/gql/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Only src/cli reads process.env; pass Config instead.",
        },
      ],
    },
  },
  {
    files: ["src/cli/**", "test/**", "bench/**", "vitest.config.ts", "vitest.e2e.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  // The web console (issue 14) runs in the browser.
  {
    files: ["console/src/**"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
