import { getNamedType, isObjectType, type GraphQLObjectType } from "graphql";

/** A field path below a registry record (`verblijfplaats.verblijfadres.postcode`) and its children by field name. */
export interface FieldPath {
  readonly path: string;
  readonly children: ReadonlyMap<string, FieldPath>;
}

/** The field paths of one schema's registry types, made once when the schema is built. */
export interface PathTable {
  /** The record itself (path ""). */
  readonly root: FieldPath;
  /** The path of field `name` below `parent`. */
  child(parent: FieldPath, name: string): FieldPath;
}

const NONE: ReadonlyMap<string, FieldPath> = new Map();

/**
 * Every field path below the registry types `roots` (the `@registry` types), as a tree of field
 * names, so the guard finds a leaf's path by one lookup instead of building the string at every
 * resolved leaf of every record. A type that contains itself is expanded once per path down to
 * it; below that, paths are built when asked, as before (the policy decides the same string).
 */
export function pathTable(roots: Iterable<GraphQLObjectType>): PathTable {
  const root = { path: "", children: new Map<string, FieldPath>() };
  const expand = (
    node: { path: string; children: Map<string, FieldPath> },
    type: GraphQLObjectType,
    onPath: ReadonlySet<string>,
  ) => {
    for (const field of Object.values(type.getFields())) {
      const path = node.path ? `${node.path}.${field.name}` : field.name;
      const existing = node.children.get(field.name) as
        { path: string; children: Map<string, FieldPath> } | undefined;
      const child = existing ?? { path, children: new Map<string, FieldPath>() };
      node.children.set(field.name, child);
      const named = getNamedType(field.type);
      if (isObjectType(named) && !onPath.has(named.name))
        expand(child, named, new Set([...onPath, named.name]));
    }
  };
  for (const type of roots) expand(root, type, new Set([type.name]));
  return {
    root,
    child: (parent, name) =>
      parent.children.get(name) ?? { path: parent.path ? `${parent.path}.${name}` : name, children: NONE },
  };
}
