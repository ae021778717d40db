import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  validate,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * The subject views: what `Case.persoon`, `Case.onderneming` and `Case.object` return. A field of
 * one view that leads to another (`PersoonView.adres`, `ObjectView.bewoners`, …) is a hop: it
 * reaches subjects nobody named. Both sets are read from the schema, so a new hop is counted
 * without anyone having to list it here.
 */
export const SUBJECT_VIEWS = ["PersoonView", "OndernemingView", "ObjectView"] as const;

/** What an operation asks for, measured on its document before anything runs. */
export interface OperationMeasure {
  /** Deepest nesting of fields (GraphQL Armor max-depth; fragments are no level of their own). */
  readonly depth: number;
  /** Aliased fields, fragments counted at every spread (GraphQL Armor max-aliases). */
  readonly aliases: number;
  /** Most hops from one subject view to another on one path. */
  readonly hops: number;
  /** Estimated field resolutions: every list field counts its subtree `listSize` times. */
  readonly fanout: number;
  /** Distinct subjects named by argument (literal or variable) of a subject field. */
  readonly subjects: number;
}

/** What a selection set costs, computed once per fragment however often it is spread. */
interface Summary {
  readonly hops: number;
  readonly fanout: number;
  readonly subjects: ReadonlySet<string>;
}

const EMPTY: Summary = { hops: 0, fanout: 0, subjects: new Set() };

/** How many lists wrap a field's type: `[X]` 1, `[[X]]` 2. */
function listDepth(type: GraphQLOutputType): number {
  const inner = getNullableType(type);
  return isListType(inner) ? 1 + listDepth(inner.ofType as GraphQLOutputType) : 0;
}

/** The definition of a selected field, the introspection meta-fields included; undefined for `__typename`. */
function fieldOf(
  schema: GraphQLSchema,
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
}

/** Counts of GraphQL Armor's rules over one operation and its fragments (it refuses nothing here). */
interface ArmorCounts {
  readonly depth: number;
  readonly aliases: number;
}

function armorCounts(schema: GraphQLSchema, document: DocumentNode): ArmorCounts {
  let depth = 0;
  let aliases = 0;
  validate(schema, document, [
    maxDepthRule({
      n: Number.MAX_SAFE_INTEGER,
      flattenFragments: true,
      ignoreIntrospection: false,
      onAccept: [(_ctx, { n }) => (depth = Math.max(depth, n))],
    }),
    maxAliasesRule({
      n: Number.MAX_SAFE_INTEGER,
      allowList: [],
      onAccept: [(_ctx, { n }) => (aliases = Math.max(aliases, n))],
    }),
  ]);
  return { depth, aliases };
}

/**
 * Measures operations against one schema. `listSize` is the length assumed for every list (the
 * document cannot say how many residents an address has), so the estimate grows with each nested
 * list as the real answer would.
 */
export function createOperationMeasurer(schema: GraphQLSchema, listSize: number) {
  // Armor's counts depend on the document alone, not on the variables. Apollo keeps a parsed
  // document and hands the same object to every request that sends the same text, so the counts
  // are kept per document object (issue 15): weakly, so a document Apollo forgets goes with them.
  const armorMemo = new WeakMap<DocumentNode, WeakMap<OperationDefinitionNode, ArmorCounts>>();
  const armorOf = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ): ArmorCounts => {
    let perDocument = armorMemo.get(document);
    if (!perDocument) armorMemo.set(document, (perDocument = new WeakMap()));
    const known = perDocument.get(operation);
    if (known) return known;
    const counts = armorCounts(schema, {
      kind: Kind.DOCUMENT,
      definitions: [operation, ...fragments.values()],
    });
    perDocument.set(operation, counts);
    return counts;
  };
  const views = new Set<GraphQLNamedType>(
    SUBJECT_VIEWS.map((name) => {
      const type = schema.getType(name);
      if (!type) throw new Error(`schema has no subject view ${name}`);
      return type;
    }),
  );
  const isView = (type: GraphQLNamedType | undefined) => type !== undefined && views.has(type);

  return function measure(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>>,
  ): OperationMeasure {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const done = new Map<string, Summary>();
    const entered = new Set<string>();
    // A variable the request leaves out has its default: 500 defaults are 500 subjects too.
    const values = Object.create(null) as Record<string, unknown>;
    for (const v of operation.variableDefinitions ?? [])
      if (v.defaultValue) values[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
    Object.assign(values, variables);

    const subjectKey = (parent: GraphQLNamedType, field: FieldNode): string => {
      const args = (field.arguments ?? [])
        .map((a) => [a.name.value, valueFromASTUntyped(a.value, values) as unknown] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `${parent.name}.${field.name.value}${JSON.stringify(args)}`;
    };

    const fragment = (name: string): Summary => {
      const known = done.get(name);
      if (known) return known;
      const def = fragments.get(name);
      // A missing fragment or a cycle is a validation error before this runs; count nothing.
      if (!def || entered.has(name)) return EMPTY;
      entered.add(name);
      const summary = selections(def.selectionSet, schema.getType(def.typeCondition.name.value));
      done.set(name, summary);
      return summary;
    };

    function selections(set: SelectionSetNode, parent: GraphQLNamedType | undefined): Summary {
      let hops = 0;
      let fanout = 0;
      const subjects = new Set<string>();
      const add = (s: Summary, hop: number, times: number) => {
        hops = Math.max(hops, s.hops + hop);
        fanout += times * s.fanout;
        for (const k of s.subjects) subjects.add(k);
      };
      for (const sel of set.selections) {
        if (sel.kind === Kind.FRAGMENT_SPREAD) add(fragment(sel.name.value), 0, 1);
        else if (sel.kind === Kind.INLINE_FRAGMENT)
          add(
            selections(
              sel.selectionSet,
              sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent,
            ),
            0,
            1,
          );
        else {
          const def = fieldOf(schema, parent, sel.name.value);
          const named = def ? getNamedType(def.type) : undefined;
          const times = def ? listSize ** listDepth(def.type) : 1;
          const below = sel.selectionSet ? selections(sel.selectionSet, named) : EMPTY;
          add({ ...below, fanout: 1 + below.fanout }, isView(parent) && isView(named) ? 1 : 0, times);
          if (parent && !isView(parent) && isView(named) && (sel.arguments?.length ?? 0) > 0)
            subjects.add(subjectKey(parent, sel));
        }
      }
      return { hops, fanout, subjects };
    }

    const root =
      operation.operation === "mutation"
        ? schema.getMutationType()
        : operation.operation === "subscription"
          ? schema.getSubscriptionType()
          : schema.getQueryType();
    const measured = selections(operation.selectionSet, root ?? undefined);
    const armor = armorOf(document, operation, fragments);
    return { ...armor, hops: measured.hops, fanout: measured.fanout, subjects: measured.subjects.size };
  };
}

export type OperationMeasurer = ReturnType<typeof createOperationMeasurer>;
