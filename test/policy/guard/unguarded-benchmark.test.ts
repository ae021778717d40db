import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedRoot } from "../../../src/policy/guard/index.ts";
import { buildSchema } from "../../../src/server/index.ts";
import { GatewayError } from "../../../src/shared/index.ts";
import { startTestApp, type TestApp } from "../../utils/test-app.ts";

/**
 * `unguardedForBenchmark` (bench/guard-measure.ts) takes the per-leaf decisions out of the schema.
 * It exists to measure the guard and must never reach the gateway: no code path of the running
 * server sets it, and the server the production bootstrap builds decides every leaf.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const OPTION = "unguardedForBenchmark";
/** The only places allowed to name the option: where it is declared and where it is read. */
const DECLARED = ["src/server/schema.ts", "src/policy/guard/registry-guard.ts"];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [relative(root, join(root, dir, e.name))]
        : [],
  );
}

const denyAll = guardedRoot(
  { naam: { geslachtsnaam: "Jansen" } },
  { source: "brp", decide: () => ({ allowed: false, reason: "test: nothing granted" }) },
);
const naamOf = (schema: GraphQLSchema) =>
  (schema.getType("BrpPersoon") as GraphQLObjectType).getFields()["naam"]!.resolve!;
const info = { fieldName: "naam" } as GraphQLResolveInfo;

describe("the benchmark-only unguarded schema", () => {
  it("is named nowhere in the server's code but where it is declared and read", () => {
    const naming = [...sources("src"), ...sources("resolvers")].filter((f) =>
      readFileSync(join(root, f), "utf8").includes(OPTION),
    );
    expect(naming.sort()).toEqual([...DECLARED].sort());
    // Every build of the schema in the server takes the defaults.
    const builds = [...sources("src"), ...sources("resolvers")].flatMap((f) =>
      [...readFileSync(join(root, f), "utf8").matchAll(/\bbuildSchema\(([^)]*)\)/g)].map((m) => m[1]),
    );
    expect(builds.length).toBeGreaterThan(0);
    expect(builds.every((args) => args === "" || args === "options: BuildSchemaOptions = {}")).toBe(true);
  });

  it("skips the decision only when asked to; by default every leaf is decided", () => {
    let thrown: unknown;
    try {
      naamOf(buildSchema())(denyAll, {}, {}, info);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe("FORBIDDEN");
    expect(naamOf(buildSchema({ unguardedForBenchmark: true }))(denyAll, {}, {}, info)).toEqual({
      geslachtsnaam: "Jansen",
    });
  });

  describe("the server the production bootstrap builds", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it("refuses a BRP leaf the case has no approval for, and releases an approved one", async () => {
      const c = await t.demoCase("regie");
      const bsn = t.app.demo!.municipality.wellKnown.residentBsn;
      const r = await t.gql(
        await t.token("analist.jansen", "analyst"),
        `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { aNummer naam { geslachtsnaam } } } } }`,
        { id: c.id, bsn },
      );
      const brp = (r.data as { case: { persoon: { brp: Record<string, unknown> } } }).case.persoon.brp;
      expect(brp["aNummer"]).toBeNull();
      expect((brp["naam"] as { geslachtsnaam: unknown }).geslachtsnaam).toEqual(expect.any(String));
      expect((r.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code])).toContainEqual([
        "case.persoon.brp.aNummer",
        "FORBIDDEN",
      ]);
    });
  });
});
