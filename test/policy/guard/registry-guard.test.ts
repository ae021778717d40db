import { makeExecutableSchema } from "@graphql-tools/schema";
import { graphql } from "graphql";
import { describe, expect, it } from "vitest";
import {
  applyRegistryGuard,
  guardedRoot,
  registryTypes,
  requestedLeafPaths,
} from "../../../src/policy/guard/index.ts";
import type { GatewayError } from "../../../src/shared/index.ts";

const typeDefs = /* GraphQL */ `
  directive @registry(source: String!) on OBJECT
  type Query {
    person(guarded: Boolean!): P
    paths: [String!]!
  }
  type P @registry(source: "t") {
    a: String
    b: B
    list: [B!]
  }
  type B {
    c: String
    d: Int
  }
`;
const data = {
  a: "A",
  b: { c: "C", d: 4 },
  list: [
    { c: "x", d: 1 },
    { c: "y", d: 2 },
  ],
};

function schemaWith(allowed: (path: string) => boolean) {
  let seen: string[] = [];
  const schema = applyRegistryGuard(
    makeExecutableSchema({
      typeDefs,
      resolvers: {
        Query: {
          person: (
            _: unknown,
            args: { guarded: boolean },
            __: unknown,
            info: Parameters<typeof requestedLeafPaths>[0],
          ) => {
            seen = requestedLeafPaths(info);
            return args.guarded
              ? guardedRoot(data, { source: "t", decide: (p) => ({ allowed: allowed(p), reason: "test" }) })
              : data;
          },
          paths: () => seen,
        },
      },
    }),
  );
  return { schema, seen: () => seen };
}

describe("registry guard", () => {
  it("finds registry types and everything reachable below them", () => {
    const { schema } = schemaWith(() => true);
    expect([...registryTypes(schema)].sort()).toEqual(["B", "P"]);
  });

  it("nulls exactly the denied paths, in lists too, whatever the aliases", async () => {
    const { schema } = schemaWith((p) => p !== "b.d" && p !== "list.c");
    const r = await graphql({
      schema,
      source: `{ person(guarded: true) { x: a b { c d } list { c dd: d } } }`,
    });
    expect(r.data).toEqual({
      person: {
        x: "A",
        b: { c: "C", d: null },
        list: [
          { c: null, dd: 1 },
          { c: null, dd: 2 },
        ],
      },
    });
    const denied = (r.errors ?? []).map((e) => [e.path?.join("."), (e.originalError as GatewayError).code]);
    expect(denied).toContainEqual(["person.b.d", "FORBIDDEN"]);
    expect(denied).toContainEqual(["person.list.0.c", "FORBIDDEN"]);
  });

  it("fails closed when registry data arrive without the guard", async () => {
    const { schema } = schemaWith(() => true);
    const r = await graphql({ schema, source: `{ person(guarded: false) { a } }` });
    expect(r.data).toEqual({ person: { a: null } });
    expect((r.errors?.[0]?.originalError as GatewayError).code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("reads requested leaves through aliases, fragments and @skip/@include", async () => {
    const { schema, seen } = schemaWith(() => true);
    await graphql({
      schema,
      source: `query($no: Boolean!) { person(guarded: true) { al: a ...F ... on P { list { d } } b @skip(if: $no) { d } } }
               fragment F on P { b { c } list @include(if: $no) { c } }`,
      variableValues: { no: true },
    });
    expect(seen()).toEqual(["a", "b.c", "list.c", "list.d"]);
  });
});
