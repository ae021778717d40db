import { Ajv } from "ajv";
import formatsPlugin from "ajv-formats";
import { loadSpec } from "./openapi-fields.ts";
import type { ValidationOutcome } from "./openapi-validate.ts";

interface Parameter {
  readonly name: string;
  readonly in: "query" | "path" | "header";
  readonly required?: boolean;
  readonly schema?: Record<string, unknown>;
}
type Operations = Record<string, { get?: { parameters?: (Parameter | { $ref: string })[] } }>;

const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
formatsPlugin.default(ajv);

const coerce = (value: string, schema: Record<string, unknown> | undefined): unknown => {
  const type = schema?.["type"];
  if (type === "integer" || type === "number")
    return /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : value;
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  return value;
};

/**
 * Checks a GET's path and query parameters against the operation in an OpenAPI document (spec
 * paths relative to its server URL): no parameter outside the spec, each value of the declared type
 * and schema, the required ones present. For any source whose requests are GETs with parameters.
 */
export function validateGetParameters(
  specFile: string,
  path: string,
  query: Readonly<Record<string, string>>,
): ValidationOutcome {
  const doc = loadSpec(specFile) as unknown as {
    paths: Operations;
    components: { parameters?: Record<string, Parameter> };
  };
  const template = Object.keys(doc.paths).find((t) =>
    new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path),
  );
  const op = template ? doc.paths[template]?.get : undefined;
  if (!template || !op) return { valid: false, errors: [`no GET ${path} in ${specFile}`] };
  const parameters = (op.parameters ?? []).map((p) =>
    "$ref" in p ? (doc.components.parameters?.[p.$ref.split("/").pop() ?? ""] as Parameter) : p,
  );
  const values = new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`).exec(path)?.slice(1) ?? [];
  const pathValues = Object.fromEntries(
    [...template.matchAll(/\{([^}]+)\}/g)].map((m, i) => [m[1] ?? "", decodeURIComponent(values[i] ?? "")]),
  );
  const errors = Object.keys(query)
    .filter((name) => !parameters.some((p) => p.in === "query" && p.name === name))
    .map((name) => `unknown query parameter ${name}`);
  for (const p of parameters.filter((q) => q.in !== "header")) {
    const raw = p.in === "query" ? query[p.name] : pathValues[p.name];
    if (raw === undefined) {
      if (p.required) errors.push(`missing ${p.in} parameter ${p.name}`);
    } else if (p.schema && !ajv.validate(p.schema, coerce(raw, p.schema)))
      errors.push(`${p.in} ${p.name}: ${ajv.errorsText(ajv.errors)}`);
  }
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
}
