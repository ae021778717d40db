import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLSchema } from "graphql";
import { resolvers } from "../../resolvers/index.ts";
import { applyRegistryGuard } from "../policy/guard/index.ts";
import { applyReadAudit } from "./read-audit.ts";

const schemaDir = fileURLToPath(new URL("../../schema/", import.meta.url));

/** The SDL files in `schema/`, one per concern, in name order. */
export function loadTypeDefs(): string[] {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith(".graphql"))
    .sort()
    .map((f) => readFileSync(schemaDir + f, "utf8"));
}

export interface BuildSchemaOptions {
  /**
   * Benchmark only (bench/guard-measure.ts): registry types read their data without a per-leaf
   * decision, to measure what the guard costs. Never set by the gateway, and no setting, variable
   * or request reaches it (test/policy/guard/unguarded-benchmark.test.ts).
   */
  readonly unguardedForBenchmark?: boolean | undefined;
}

/**
 * The executable schema with the registry guard installed on every registry type, and the read
 * audit on the root fields and the case types (src/server/read-audit.ts).
 */
export function buildSchema(options: BuildSchemaOptions = {}): GraphQLSchema {
  return applyReadAudit(
    applyRegistryGuard(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers }), {
      unguardedForBenchmark: options.unguardedForBenchmark === true,
    }),
  );
}
