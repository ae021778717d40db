import { Ajv, type ValidateFunction } from "ajv";
import { expect } from "vitest";
import type { KvkRecordedRequest } from "../../../src/sources/kvk/index.ts";
import { loadSpec } from "../../utils/openapi-fields.ts";
import { createOpenApiValidator, type ValidationOutcome } from "../../utils/openapi-validate.ts";

const ZOEKEN = "kvk-zoeken-v2.openapi.yaml";
const BASISPROFIEL = "kvk-basisprofiel-v1.openapi.yaml";
const VESTIGINGSPROFIEL = "kvk-vestigingsprofiel-v1.openapi.yaml";

export const kvkSpecs = {
  zoeken: createOpenApiValidator(ZOEKEN),
  basisprofiel: createOpenApiValidator(BASISPROFIEL),
  vestigingsprofiel: createOpenApiValidator(VESTIGINGSPROFIEL),
};

/** Which spec and spec path a simulator path belongs to (each spec's server URL ends differently). */
export function specFor(path: string): { file: string; name: keyof typeof kvkSpecs; specPath: string } {
  if (path.startsWith("/api/v2/")) return { file: ZOEKEN, name: "zoeken", specPath: path.slice(7) };
  if (path.startsWith("/api/v1/basisprofielen"))
    return { file: BASISPROFIEL, name: "basisprofiel", specPath: path.slice(7) };
  // The Vestigingsprofiel copy carries the /v1 prefix in its paths.
  return { file: VESTIGINGSPROFIEL, name: "vestigingsprofiel", specPath: path.slice(4) };
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: { type?: string; items?: object } & Record<string, unknown>;
}
const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new Map<object, ValidateFunction>();
const compile = (schema: object) => {
  let fn = compiled.get(schema);
  if (!fn) compiled.set(schema, (fn = ajv.compile(schema)));
  return fn;
};

const coerce = (type: string | undefined, raw: string): unknown => {
  if (type === "integer" || type === "number") return /^-?[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : raw;
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
};

/**
 * Validates a GET request's path and query parameters against the operation's `parameters`
 * (OpenAPI `form` style, exploded arrays): no parameter outside the spec, each value of the
 * declared type and matching its schema, required ones present.
 */
export function validateGetRequest(
  path: string,
  query: Readonly<Record<string, readonly string[]>>,
): ValidationOutcome {
  const { file, specPath } = specFor(path);
  const doc = loadSpec(file) as unknown as { paths: Record<string, { get?: { parameters?: Parameter[] } }> };
  const template = Object.keys(doc.paths).find((t) =>
    new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(specPath),
  );
  const parameters = template ? doc.paths[template]?.get?.parameters : undefined;
  if (!template || !parameters) return { valid: false, errors: [`no GET ${specPath} in ${file}`] };
  const errors: string[] = [];
  const segments = specPath.split("/");
  template.split("/").forEach((segment, i) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    const p = parameters.find((q) => q.in === "path" && q.name === name);
    if (name && p && !compile(p.schema)(coerce(p.schema.type, segments[i] ?? "")))
      errors.push(`path parameter ${name}`);
  });
  for (const [name, values] of Object.entries(query)) {
    const p = parameters.find((q) => q.in === "query" && q.name === name);
    if (!p) {
      errors.push(`unknown query parameter ${name}`);
      continue;
    }
    const value =
      p.schema.type === "array"
        ? values.map((v) => coerce((p.schema.items as { type?: string }).type, v))
        : values.length === 1
          ? coerce(p.schema.type, values[0] ?? "")
          : values;
    if (!compile(p.schema)(value)) errors.push(`query parameter ${name}=${values.join(",")}`);
  }
  for (const p of parameters.filter((q) => q.required && q.in === "query"))
    if (!(p.name in query)) errors.push(`missing ${p.name}`);
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
}

/**
 * Validates every request the simulator received and every response it sent against the three
 * KVK specs. Requests tests sent raw on purpose (answered 400/401, or to an unknown path) are not
 * the client's; responses without a parsed body (the broken-body faults, timeout, reset) are skipped.
 */
export function expectKvkTrafficMatchesSpec(requests: readonly KvkRecordedRequest[]): number {
  let checked = 0;
  for (const r of requests) {
    if (r.response.contentType.startsWith("text/html") && r.status === 404) continue;
    const { name, specPath } = specFor(r.path);
    if (r.status !== 400 && r.status !== 401) {
      expect(validateGetRequest(r.path, r.query), `request ${r.path} ${JSON.stringify(r.query)}`).toEqual({
        valid: true,
      });
      expect(r.headers["apikey"], "apikey header").toBeTruthy();
      checked++;
    }
    // 503 is what the simulator's http503 fault sends, as gateways in front of KVK do; the
    // specs document no 503 (and Zoeken no default response), so there is nothing to check it by.
    if (r.status > 0 && r.status !== 503 && r.response.body !== undefined) {
      expect(
        kvkSpecs[name].validateResponse(specPath, "get", r.status, r.response.contentType, r.response.body),
        `response ${r.status} ${r.path}`,
      ).toEqual({ valid: true });
      checked++;
    }
  }
  return checked;
}
