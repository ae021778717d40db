import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * The console's typed GraphQL client (issue 14): every `graphql(...)` document in console/src is
 * checked against schema/*.graphql and typed. Output committed in console/src/gql; regenerate with
 * `npm run console:codegen` (test/console/codegen-fresh.test.ts fails when it is stale).
 */
const config: CodegenConfig = {
  schema: "schema/*.graphql",
  documents: ["console/src/**/*.tsx", "console/src/**/*.ts", "!console/src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "console/src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: true,
        avoidOptionals: false,
      },
    },
  },
};

export default config;
