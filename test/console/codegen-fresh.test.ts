import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import config from "../../console/codegen.ts";

// The console's typed GraphQL client is committed (the build needs no codegen step); this fails
// when schema/*.graphql or a document in console/src changed without `npm run console:codegen`.
describe("console GraphQL client", () => {
  it("is generated from the current schema and documents", async () => {
    const files = (await generate({ ...config, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const committed = readFileSync(join(process.cwd(), f.filename), "utf8");
      expect(committed, `${f.filename} is stale: run npm run console:codegen`).toBe(f.content);
    }
  });
});
