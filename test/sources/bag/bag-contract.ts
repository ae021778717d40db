import { Ajv } from "ajv";
import formatsPlugin from "ajv-formats";
import { expect } from "vitest";
import { BAG_BASE_PATH, type BagRecordedRequest } from "../../../src/sources/bag/index.ts";
import { loadSpec } from "../../utils/openapi-fields.ts";
import {
  createOpenApiValidator,
  type OpenApiValidator,
  type ValidationOutcome,
} from "../../utils/openapi-validate.ts";

/** The four BAG specs, by the first path segment below the base path. */
export const BAG_SPECS: Readonly<Record<string, string>> = {
  adressen: "bag-ib-v2-adressen.yaml",
  adresseerbareobjecten: "bag-ib-v2-adresseerbareobjecten.yaml",
  verblijfsobjecten: "bag-ib-v2-verblijfsobjecten.yaml",
  panden: "bag-ib-v2-panden.yaml",
};
const validators = new Map<string, OpenApiValidator>();
export function bagSpec(resource: string): OpenApiValidator {
  const file = BAG_SPECS[resource];
  if (!file) throw new Error(`no BAG spec for ${resource}`);
  let v = validators.get(file);
  if (!v) validators.set(file, (v = createOpenApiValidator(file)));
  return v;
}

/**
 * Spec erratum: schema `Adres` lists `kortNaam` as required but defines (and the getting-started
 * example and the real API return) `korteNaam`. The simulator follows the API; this one error is
 * not counted. bag-contract.test.ts checks that the erratum is still in the spec.
 */
export const KORTNAAM_ERRATUM = "must have required property 'kortNaam'";
const withoutErratum = (o: ValidationOutcome): ValidationOutcome => {
  if (o.valid) return o;
  const errors = o.errors.filter((e) => !e.endsWith(KORTNAAM_ERRATUM));
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
};

export function validateBagResponse(path: string, status: number, contentType: string, body: unknown) {
  const resource = path.split("/")[1] ?? "";
  return withoutErratum(bagSpec(resource).validateResponse(path, "get", status, contentType, body));
}

// --- request parameters (openapi-validate.ts checks bodies; a GET has only parameters) ---------

interface Parameter {
  name: string;
  in: "query" | "path" | "header";
  required?: boolean;
  schema?: Record<string, unknown>;
}
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
formatsPlugin.default(ajv);

function operationParameters(path: string): { template: string; parameters: Parameter[] } {
  const resource = path.split("/")[1] ?? "";
  const doc = loadSpec(BAG_SPECS[resource] ?? "") as unknown as {
    paths: Record<string, { get?: { parameters?: (Parameter | { $ref: string })[] } }>;
    components: { parameters?: Record<string, Parameter> };
  };
  const template =
    path in doc.paths
      ? path
      : Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
  const op = template ? doc.paths[template]?.get : undefined;
  if (!template || !op) throw new Error(`no GET ${path}`);
  const parameters = (op.parameters ?? []).map((p) =>
    "$ref" in p ? (doc.components.parameters?.[p.$ref.split("/").pop() ?? ""] as Parameter) : p,
  );
  return { template, parameters };
}

const coerce = (value: string, schema: Record<string, unknown> | undefined): unknown => {
  if (schema?.["type"] === "integer" || schema?.["type"] === "number")
    return /^-?[0-9.]+$/.test(value) ? Number(value) : value;
  if (schema?.["type"] === "boolean") return value === "true" ? true : value === "false" ? false : value;
  return value;
};

/** Checks a GET's path, query and headers against the operation's parameters in the spec. */
export function validateBagRequest(
  path: string,
  query: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>,
): ValidationOutcome {
  const { template, parameters } = operationParameters(path);
  const errors: string[] = [];
  const pathValues: Record<string, string> = {};
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "");
  const values = new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`).exec(path)?.slice(1) ?? [];
  names.forEach((n, i) => (pathValues[n] = decodeURIComponent(values[i] ?? "")));
  const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const name of Object.keys(query))
    if (!parameters.some((p) => p.in === "query" && p.name === name))
      errors.push(`unknown query parameter ${name}`);
  for (const p of parameters) {
    const raw =
      p.in === "query"
        ? query[p.name]
        : p.in === "path"
          ? pathValues[p.name]
          : lowerHeaders[p.name.toLowerCase()];
    if (raw === undefined) {
      if (p.required) errors.push(`missing ${p.in} parameter ${p.name}`);
      continue;
    }
    if (p.schema && !ajv.validate(p.schema, coerce(raw, p.schema)))
      errors.push(`${p.in} ${p.name}: ${ajv.errorsText(ajv.errors)}`);
  }
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
}

/** Statuses of requests that tests sent malformed on purpose (raw fetch): their request is not checked. */
const DELIBERATELY_INVALID = new Set([400, 406, 412]);

/**
 * Validates every request the simulator received and every response it sent against the four BAG
 * specs. Fault answers without a parsed body (malformed, wrongContentType, reset, timeout) and
 * paths outside the API are skipped. Returns how many checks were made.
 */
export function expectBagTrafficMatchesSpec(requests: readonly BagRecordedRequest[]): number {
  let checked = 0;
  for (const r of requests) {
    if (!r.path.startsWith(BAG_BASE_PATH + "/")) continue;
    const path = r.path.slice(BAG_BASE_PATH.length);
    if (!BAG_SPECS[path.split("/")[1] ?? ""]) continue;
    if (!DELIBERATELY_INVALID.has(r.status)) {
      expect(
        validateBagRequest(path, r.query, r.headers),
        `request ${path} ${JSON.stringify(r.query)}`,
      ).toEqual({
        valid: true,
      });
      checked++;
    }
    if (r.status > 0 && r.response.body !== undefined) {
      expect(
        validateBagResponse(path, r.status, r.response.contentType, r.response.body),
        `response ${r.status} ${path}`,
      ).toEqual({ valid: true });
      checked++;
    }
  }
  return checked;
}
