import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";

/** A leaf that names its path by an argument, as a register record's `value(field: "soort")` does. */
export interface NamedLeaf {
  readonly field: string;
  readonly argument: string;
}

/**
 * The leaf paths a query selects below the current field, by field name (aliases and fragments
 * resolved, @skip/@include honoured): `brp { a: naam { geslachtsnaam } ...F }` gives
 * `naam.geslachtsnaam` plus the fragment's leaves. Used to ask the upstream for exactly the
 * permitted and requested fields.
 */
export function requestedLeafPaths(info: GraphQLResolveInfo, namedBy?: NamedLeaf): string[] {
  const out = new Set<string>();
  const fragments = info.fragments;
  const vars = info.variableValues;
  const included = (node: FieldNode | { directives?: FieldNode["directives"] }): boolean => {
    const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, vars);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, vars);
    return include?.if !== false;
  };
  const walk = (set: SelectionSetNode, prefix: string, seen: Set<string>): void => {
    for (const sel of set.selections) {
      if (!included(sel)) continue;
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name.startsWith("__")) continue;
        const path = prefix ? `${prefix}.${name}` : name;
        if (sel.selectionSet) walk(sel.selectionSet, path, seen);
        else if (namedBy?.field === name) {
          // Issue 16: `value(field: …)` asks for the path its argument names (checked at the edge).
          const arg = sel.arguments?.find((a) => a.name.value === namedBy.argument);
          const named: unknown = arg ? valueFromASTUntyped(arg.value, vars) : undefined;
          if (typeof named === "string") out.add(prefix ? `${prefix}.${named}` : named);
        } else out.add(path);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, prefix, seen);
      } else {
        const name = sel.name.value;
        const fragment: FragmentDefinitionNode | undefined = fragments[name];
        if (!fragment || seen.has(name)) continue;
        walk(fragment.selectionSet, prefix, new Set([...seen, name]));
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet) walk(node.selectionSet, "", new Set());
  return [...out].sort();
}
