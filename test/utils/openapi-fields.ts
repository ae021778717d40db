import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** `reference/` in the repository: the vendored upstream specs and test data, for tests only. */
export const referenceDir = fileURLToPath(new URL("../../reference/", import.meta.url));

export type OpenApiDoc = { components: { schemas: Record<string, SchemaObject> } } & Record<string, unknown>;
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  [key: string]: unknown;
}

const cache = new Map<string, OpenApiDoc>();
export function loadSpec(file: string): OpenApiDoc {
  let doc = cache.get(file);
  if (!doc) {
    doc = parse(readFileSync(referenceDir + file, "utf8")) as OpenApiDoc;
    cache.set(file, doc);
  }
  return doc;
}

const refName = (ref: string): string => ref.replace("#/components/schemas/", "");

/**
 * Every dotted property path under a schema, as the BRP `fields` parameter names them: objects
 * are walked through `$ref`, `allOf` and the members of a discriminator mapping (a union's
 * members contribute all their properties); arrays contribute their items' paths under the
 * array's name. Schemas named in `units` are not descended into (e.g. `Waardetabel`,
 * `AbstractDatum`): their path is a leaf. Returns containers and leaves.
 */
export function fieldPaths(doc: OpenApiDoc, schemaName: string, units: readonly string[] = []): string[] {
  const schemas = doc.components.schemas;
  const out = new Set<string>();

  function propertiesOf(schema: SchemaObject, seen: Set<string>): Map<string, SchemaObject[]> {
    const props = new Map<string, SchemaObject[]>();
    const visit = (s: SchemaObject): void => {
      if (s.$ref) {
        const name = refName(s.$ref);
        if (seen.has(name)) return;
        seen.add(name);
        const target = schemas[name];
        if (target) visit(target);
        return;
      }
      for (const part of s.allOf ?? []) visit(part);
      for (const part of [...(s.oneOf ?? []), ...(s.anyOf ?? [])]) visit(part);
      for (const [k, v] of Object.entries(s.properties ?? {})) props.set(k, [...(props.get(k) ?? []), v]);
      for (const target of Object.values(s.discriminator?.mapping ?? {})) visit({ $ref: target });
    };
    visit(schema);
    return props;
  }

  function isUnit(schema: SchemaObject, depth = 0): boolean {
    if (depth > 3) return false;
    if (schema.$ref) {
      const name = refName(schema.$ref);
      if (units.includes(name)) return true;
      const target = schemas[name];
      return target !== undefined && isUnit(target, depth + 1);
    }
    return (schema.allOf ?? []).some((p) => isUnit(p, depth + 1));
  }

  function walk(schema: SchemaObject, prefix: string, depth: number): void {
    if (depth > 8) return;
    let s = schema;
    if (s.items) s = s.items;
    if (isUnit(s)) return;
    const props = propertiesOf(s, new Set());
    for (const [name, children] of props) {
      const path = prefix ? `${prefix}.${name}` : name;
      out.add(path);
      for (const child of children) walk(child, path, depth + 1);
    }
  }

  const root = schemas[schemaName];
  if (!root) throw new Error(`No schema ${schemaName}`);
  walk(root, "", 0);
  return [...out].sort();
}

/** Paths whose schema has no further properties below them (or is a unit). */
export function leafPaths(paths: readonly string[]): string[] {
  return paths.filter((p) => !paths.some((q) => q.startsWith(p + ".")));
}
