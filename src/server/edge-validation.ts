import type { ApolloServerPlugin } from "@apollo/server";
import {
  getArgumentValues,
  getLocation,
  getNamedType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  print,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Logger } from "pino";
import type { LoadedPolicySet } from "../policy/index.ts";
import { GatewayError } from "../shared/index.ts";
import { ARGUMENT_RULES, VALIDATED_ELSEWHERE, type ArgumentRule } from "./argument-rules.ts";

/** One field of the operation as written: its type, its definition, its node and where it answers. */
export interface FieldUse {
  readonly parent: GraphQLCompositeType;
  readonly field: GraphQLField<unknown, unknown>;
  readonly node: FieldNode;
  /** Response keys (aliases) from the root to the field; no list indices, nothing has run. */
  readonly path: readonly string[];
}

/**
 * Every field the operation selects, through inline fragments and fragment spreads. A selection
 * set is walked once per parent type (arguments do not depend on where a fragment is spread), so
 * the walk is linear in the document however often fragments are reused. Introspection fields
 * (`__schema`, `__type`, `__typename`) reach no source and are left out.
 */
export function fieldUses(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): FieldUse[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = schema.getRootType(operation.operation);
  if (!root) return [];
  const seen = new Map<SelectionSetNode, Set<string>>();
  const uses: FieldUse[] = [];
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, path: readonly string[]) => {
    const types = seen.get(set) ?? new Set<string>();
    if (types.has(parent.name)) return;
    types.add(parent.name);
    seen.set(set, types);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith("__")) continue;
        const field =
          isObjectType(parent) || isInterfaceType(parent)
            ? parent.getFields()[selection.name.value]
            : undefined;
        if (!field) continue;
        const at = [...path, selection.alias?.value ?? selection.name.value];
        uses.push({ parent, field, node: selection, path: at });
        const named = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(named)) walk(selection.selectionSet, named, at);
      } else {
        const condition =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selection.typeCondition
            : fragments.get(selection.name.value)?.typeCondition;
        const set =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selection.selectionSet
            : fragments.get(selection.name.value)?.selectionSet;
        const type = condition ? schema.getType(condition.name.value) : parent;
        if (set && type && isCompositeType(type)) walk(set, type, path);
      }
    }
  };
  walk(operation.selectionSet, root, []);
  return uses;
}

/** BAD_USER_INPUT at the field (or variable), before anything ran (HTTP 400 like any refused request). */
function refusal(
  message: string,
  at: { readonly node: ASTNode; readonly path?: readonly string[] },
): GatewayError {
  const error = new GatewayError("BAD_USER_INPUT", message, { http: { status: 400 } });
  const loc = at.node.loc;
  return Object.assign(error, {
    path: at.path ? [...at.path] : undefined,
    locations: loc ? [getLocation(loc.source, loc.start)] : undefined,
  });
}

/**
 * A variable that does not fit its type, refused here because GraphQL's own message would repeat
 * the value (`Variable "$bsn" got invalid value …`).
 */
function variableRefusal(operation: OperationDefinitionNode, errors: readonly GraphQLError[]): GatewayError {
  const nodes = errors[0]?.nodes ?? [];
  const def = operation.variableDefinitions?.find((d) => nodes.includes(d));
  if (!def) return refusal("variables: a value does not fit its type.", { node: operation });
  return refusal(`$${def.variable.name.value}: the value does not fit its type ${print(def.type)}.`, {
    node: def,
  });
}

export type ArgumentCheck =
  | { readonly kind: "ok" }
  | { readonly kind: "refused"; readonly error: GatewayError }
  /** An argument without a rule: a mistake of ours, refused as an internal error (fail closed). */
  | { readonly kind: "no_rule"; readonly argument: string };

/**
 * Checks every argument of every field of the operation against its rule (src/server/argument-
 * rules.ts), with the request's variables filled in. The first problem refuses the whole
 * operation, as does a variable that does not fit its type.
 */
export function checkArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  policy: LoadedPolicySet,
  tables: {
    readonly rules: Readonly<Record<string, ArgumentRule>>;
    readonly elsewhere: Readonly<Record<string, string>>;
  } = { rules: ARGUMENT_RULES, elsewhere: VALIDATED_ELSEWHERE },
): ArgumentCheck {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...variables });
  if (coerced.errors) return { kind: "refused", error: variableRefusal(operation, coerced.errors) };
  for (const use of fieldUses(schema, document, operation)) {
    if (use.field.args.length === 0) continue;
    const name = `${use.parent.name}.${use.field.name}`;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(use.field, use.node, coerced.coerced);
    } catch {
      return {
        kind: "refused",
        error: refusal(`${use.field.name}: an argument does not fit its type.`, use),
      };
    }
    const done = new Set<ArgumentRule>();
    for (const arg of use.field.args) {
      const key = `${name}.${arg.name}`;
      const rule = tables.rules[key];
      if (!rule) {
        if (key in tables.elsewhere) continue;
        return { kind: "no_rule", argument: key };
      }
      if (done.has(rule)) continue;
      done.add(rule);
      const problem = rule.check({ args, policy });
      if (problem !== undefined) return { kind: "refused", error: refusal(problem, use) };
    }
  }
  return { kind: "ok" };
}

/** The minimum the plugin needs of the request context. */
interface WithPolicy {
  readonly policy: LoadedPolicySet;
}

/**
 * Apollo plugin: the argument check runs once the operation is known and before it executes, so
 * an operation with one bad argument anywhere asks no registry and writes nothing (README
 * "Errors"). The resolvers and use cases check again.
 */
export function edgeValidationPlugin<C extends WithPolicy>(logger: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          if (!rc.operation) return;
          const checked = checkArguments(
            rc.schema,
            rc.document,
            rc.operation,
            rc.request.variables,
            rc.contextValue.policy,
          );
          if (checked.kind === "refused") throw checked.error;
          if (checked.kind === "no_rule") {
            logger.error({ argument: checked.argument }, "argument without an edge rule");
            throw new GatewayError("INTERNAL_SERVER_ERROR");
          }
        },
      };
    },
  };
}
