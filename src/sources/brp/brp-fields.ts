import type { InvalidParam } from "../http/index.ts";

/**
 * The `fields` parameter of BRP Personen v2: validation (existing path, not an automatically
 * delivered field) and projection (a path selects that subtree). Used by the simulator; the
 * client relies on the real API doing the same.
 */
export const AUTOMATIC_FIELDS = [
  "inOnderzoek",
  "geheimhoudingPersoonsgegevens",
  "opschortingBijhouding",
  "rni",
  "verificatie",
] as const;

export const MAX_FIELDS = 130;

/** One entry of a 400's `invalidParams`, as the spec's BadRequestFoutbericht. */
export type { InvalidParam };

const param = (code: string, reason: string): InvalidParam => ({
  type: "https://www.vng.nl/realisatie/api/validaties/" + code,
  name: "fields",
  code,
  reason,
});

/** Problems with a `fields` value; empty when it is valid for the given set of paths. */
export function validateFields(fields: unknown, allowed: ReadonlySet<string>): InvalidParam[] {
  if (!Array.isArray(fields)) return [param("required", "Parameter is verplicht.")];
  if (fields.length < 1) return [param("minItems", "Array bevat minder dan 1 items.")];
  if (fields.length > MAX_FIELDS) return [param("maxItems", `Array bevat meer dan ${MAX_FIELDS} items.`)];
  const problems: InvalidParam[] = [];
  for (const field of fields) {
    if (typeof field !== "string" || !/^[a-zA-Z0-9._]{1,200}$/.test(field)) {
      problems.push(param("pattern", "Waarde voldoet niet aan het patroon."));
    } else if (field.split(".").some((s) => (AUTOMATIC_FIELDS as readonly string[]).includes(s))) {
      problems.push(param("field", "Parameter bevat een niet toegestane veldnaam."));
    } else if (!allowed.has(field)) {
      problems.push(param("field", "Parameter bevat een niet bestaande veldnaam."));
    }
  }
  return problems;
}

interface Tree {
  [key: string]: Tree | true;
}

function toTree(fields: readonly string[]): Tree {
  const root: Tree = {};
  for (const field of fields) {
    let node = root;
    const parts = field.split(".");
    for (const [i, part] of parts.entries()) {
      const existing = node[part];
      if (existing === true) break; // an ancestor is already selected whole
      if (i === parts.length - 1) {
        node[part] = true;
        break;
      }
      const next: Tree = existing ?? {};
      node[part] = next;
      node = next;
    }
  }
  return root;
}

function project(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, tree));
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // A discriminated object keeps its `type`, or it would not match its schema any more.
  if (typeof source["type"] === "string") out["type"] = source["type"];
  for (const [key, sub] of Object.entries(tree)) {
    if (!(key in source)) continue;
    out[key] = sub === true ? source[key] : project(source[key], sub);
  }
  return out;
}

const AUTOMATIC = new Set<string>(AUTOMATIC_FIELDS);

/**
 * `project`, keeping too what the BRP delivers automatically beside the selected fields of an
 * object: its `geheimhoudingPersoonsgegevens`, `opschortingBijhouding`, `rni` and `verificatie`,
 * and of its `inOnderzoek` only the entries about selected fields (and the `datumIngangOnderzoek…`
 * dates), so nothing about a field that was not selected comes along.
 */
function projectAnswer(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map((item) => projectAnswer(item, tree));
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof source["type"] === "string") out["type"] = source["type"];
  for (const [key, sub] of Object.entries(tree)) {
    if (!(key in source)) continue;
    out[key] = sub === true ? source[key] : projectAnswer(source[key], sub);
  }
  for (const key of AUTOMATIC) {
    if (!(key in source) || key in out) continue;
    const found = source[key];
    if (key !== "inOnderzoek" || found === null || typeof found !== "object") {
      out[key] = found;
      continue;
    }
    // Delivered only when a selected field is under investigation; then with its start dates.
    const entries = Object.entries(found);
    if (entries.some(([k]) => k in tree))
      out[key] = Object.fromEntries(
        entries.filter(([k]) => k in tree || k.startsWith("datumIngangOnderzoek")),
      );
  }
  return out;
}

/**
 * The part of an answer to a wider question (more `fields`) that the answer to exactly `fields`
 * would have been: the selected fields and what the BRP delivers automatically about them. How the
 * loader gives each key only its own part of a call asked for several keys (brp-loaders.ts).
 */
export function selectAnswer<T extends object>(answer: T, fields: readonly string[]): T {
  return projectAnswer(answer, toTree(fields)) as T;
}

/** The parts of a full person that the paths select. */
export function selectFields(
  persoon: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): Record<string, unknown> {
  return project(persoon, toTree(fields)) as Record<string, unknown>;
}
