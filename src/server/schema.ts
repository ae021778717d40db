import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLSchema } from "graphql";
import { resolvers } from "../../resolvers/index.ts";
import { applyRegistryGuard } from "../policy/guard/index.ts";

const schemaDir = fileURLToPath(new URL("../../schema/", import.meta.url));

/** The SDL files in `schema/`, one per concern, in name order. */
export function loadTypeDefs(): string[] {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith(".graphql"))
    .sort()
    .map((f) => readFileSync(schemaDir + f, "utf8"));
}

/** The executable schema with the registry guard installed on every registry type. */
export function buildSchema(): GraphQLSchema {
  return applyRegistryGuard(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers }));
}
