import { MapperKind, getDirective, mapSchema } from "@graphql-tools/utils";
import {
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  type GraphQLObjectType,
} from "graphql";
import { GatewayError, type Decision } from "../../shared/index.ts";

/** Decides one field path of one source for the current case, phase and approvals. */
export interface FieldGrant {
  readonly source: string;
  decide(path: string): Decision;
}

const NODE = Symbol("registryNode");

interface RegistryNode {
  readonly [NODE]: {
    readonly data: Readonly<Record<string, unknown>>;
    readonly path: string;
    readonly grant: FieldGrant;
  };
}

function wrap(value: unknown, path: string, grant: FieldGrant): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => wrap(v, path, grant));
  if (typeof value === "object") return { [NODE]: { data: value as Record<string, unknown>, path, grant } };
  return value;
}

/**
 * Wraps registry data for the schema: the only way registry values reach a GraphQL response.
 * Every field below is then decided by `grant`, whatever the query's aliases or fragments.
 */
export function guardedRoot(data: Readonly<Record<string, unknown>>, grant: FieldGrant): RegistryNode {
  return { [NODE]: { data, path: "", grant } };
}

const guardResolver: GraphQLFieldResolver<unknown, unknown> = (parent, _args, _ctx, info) => {
  const node = (parent as Partial<RegistryNode> | null)?.[NODE];
  // Fail closed: registry types are resolved only from guarded data.
  if (!node) throw new GatewayError("INTERNAL_SERVER_ERROR");
  const path = node.path ? `${node.path}.${info.fieldName}` : info.fieldName;
  if (!node.grant.decide(path).allowed) throw new GatewayError("FORBIDDEN");
  return wrap(node.data[info.fieldName], path, node.grant);
};

/**
 * Benchmark only (bench/guard-measure.ts): reads guarded data like the guard, without deciding
 * anything, so the guard's own cost can be measured against the same schema. Nothing in config,
 * environment or HTTP reaches it (test/policy/guard/unguarded-benchmark.test.ts).
 */
const undecidedResolver: GraphQLFieldResolver<unknown, unknown> = (parent, _args, _ctx, info) => {
  const node = (parent as Partial<RegistryNode> | null)?.[NODE];
  const data = node ? node.data : (parent as Record<string, unknown>);
  return data[info.fieldName] ?? null;
};

/** Object types annotated `@registry(source: …)` and every object type reachable below them. */
export function registryTypes(schema: GraphQLSchema): Set<string> {
  const out = new Set<string>();
  const visit = (type: GraphQLObjectType): void => {
    if (out.has(type.name)) return;
    out.add(type.name);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named)) visit(named);
    }
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) && getDirective(schema, type, "registry")?.length) visit(type);
  }
  return out;
}

/**
 * Installs the guard on every field of every registry type. Applied once when the schema is
 * built, so no resolver can forget it and a new SDL field is denied until a policy names it.
 */
export function applyRegistryGuard(
  schema: GraphQLSchema,
  options: { readonly unguardedForBenchmark?: boolean } = {},
): GraphQLSchema {
  const guarded = registryTypes(schema);
  const resolve = options.unguardedForBenchmark === true ? undecidedResolver : guardResolver;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, _fieldName, typeName) =>
      guarded.has(typeName) ? { ...fieldConfig, resolve } : fieldConfig,
  });
}
