import { MapperKind, getDirective, mapSchema } from "@graphql-tools/utils";
import {
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  type GraphQLObjectType,
} from "graphql";
import { GatewayError, type Decision } from "../../shared/index.ts";
import { pathTable, type FieldPath, type PathTable } from "./field-paths.ts";

/** Decides one field path of one source for the current case, phase and approvals. */
export interface FieldGrant {
  readonly source: string;
  decide(path: string): Decision;
}

/**
 * Registry data on their way to the response, with the field path they were found at (`at`,
 * undefined at the record's root) and the grant that decides every field below. Only
 * {@link guardedRoot} makes the first one, so registry data reach the schema only through it.
 */
class GuardedNode {
  constructor(
    readonly data: Readonly<Record<string, unknown>>,
    readonly at: FieldPath | undefined,
    readonly grant: FieldGrant,
  ) {}
}

function wrap(value: unknown, at: FieldPath, grant: FieldGrant): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => wrap(v, at, grant));
  if (typeof value === "object") return new GuardedNode(value as Record<string, unknown>, at, grant);
  return value;
}

/**
 * Wraps registry data for the schema: the only way registry values reach a GraphQL response.
 * Every field below is then decided by `grant`, whatever the query's aliases or fragments.
 */
export function guardedRoot(data: Readonly<Record<string, unknown>>, grant: FieldGrant): unknown {
  return new GuardedNode(data, undefined, grant);
}

/**
 * A value of guarded data asked by name, as a register record's `value(field:)` is (issue 16):
 * decided by the record's grant exactly as the guard decides a leaf, FORBIDDEN when denied. The
 * name is a path of the register's catalogue; nothing outside the record's own data is read.
 */
export function guardedValue(parent: unknown, field: string): unknown {
  if (!(parent instanceof GuardedNode)) throw new GatewayError("INTERNAL_SERVER_ERROR");
  const path = parent.at ? `${parent.at.path}.${field}` : field;
  if (!parent.grant.decide(path).allowed) throw new GatewayError("FORBIDDEN");
  return Object.hasOwn(parent.data, field) ? (parent.data[field] ?? null) : null;
}

/**
 * The guard of one schema. The path of each field below each registry type is made once per
 * schema (src/policy/guard/field-paths.ts), not per resolved leaf, and so is whether a field holds
 * registry objects or only values; the decision is the grant's, asked at every leaf (memoised per
 * request by src/policy/guard/field-decisions.ts).
 */
function guardResolver(paths: PathTable, holdsObjects: boolean): GraphQLFieldResolver<unknown, unknown> {
  return (parent, _args, _ctx, info) => {
    // Fail closed: registry types are resolved only from guarded data.
    if (!(parent instanceof GuardedNode)) throw new GatewayError("INTERNAL_SERVER_ERROR");
    const at = paths.child(parent.at ?? paths.root, info.fieldName);
    if (!parent.grant.decide(at.path).allowed) throw new GatewayError("FORBIDDEN");
    const value = parent.data[info.fieldName];
    return holdsObjects ? wrap(value, at, parent.grant) : (value ?? null);
  };
}

/**
 * Benchmark only (bench/guard-measure.ts): reads guarded data like the guard, without deciding
 * anything, so the guard's own cost can be measured against the same schema. Nothing in config,
 * environment or HTTP reaches it (test/policy/guard/unguarded-benchmark.test.ts).
 */
const undecidedResolver: GraphQLFieldResolver<unknown, unknown> = (parent, _args, _ctx, info) => {
  const data = parent instanceof GuardedNode ? parent.data : (parent as Record<string, unknown>);
  return data[info.fieldName] ?? null;
};

/** Object types annotated `@registry(source: …)`: the records the sources answer. */
function registryRoots(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType =>
      isObjectType(type) && !!getDirective(schema, type, "registry")?.length,
  );
}

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
  for (const type of registryRoots(schema)) visit(type);
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
  const paths = pathTable(registryRoots(schema));
  const resolvers = { objects: guardResolver(paths, true), values: guardResolver(paths, false) };
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, _fieldName, typeName) => {
      if (!guarded.has(typeName)) return fieldConfig;
      if (options.unguardedForBenchmark === true) return { ...fieldConfig, resolve: undecidedResolver };
      const objects = isObjectType(getNamedType(fieldConfig.type));
      return { ...fieldConfig, resolve: objects ? resolvers.objects : resolvers.values };
    },
  });
}
