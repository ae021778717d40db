import { Ajv } from "ajv";
import formatsPlugin from "ajv-formats";
import { expect } from "vitest";
import {
  CATALOGI_BASE_PATH,
  ZAKEN_BASE_PATH,
  type PermitsRecordedRequest,
} from "../../../src/sources/permits/index.ts";
import { loadSpec } from "../../utils/openapi-fields.ts";
import { createOpenApiValidator, type ValidationOutcome } from "../../utils/openapi-validate.ts";

export const ZAKEN_SPEC = "zgw-zaken-api.openapi.yaml";
export const CATALOGI_SPEC = "zgw-catalogi-api.openapi.yaml";

/**
 * The ZGW specs (OAS 3.0) write a nullable reference as `{allOf: [{$ref}], nullable: true}`,
 * which OAS 3.0 allows but ajv refuses ("nullable" cannot be used without "type"). Such schemas
 * are rewritten to `{anyOf: [<schema>, {type: "null"}]}` in loadSpec's cache of the document,
 * before openapi-validate.ts builds its validator from it (which it does from that cache).
 */
function normaliseNullable(node: unknown): void {
  if (Array.isArray(node)) node.forEach(normaliseNullable);
  else if (node !== null && typeof node === "object") {
    const obj = node as Record<string, unknown>;
    Object.values(obj).forEach(normaliseNullable);
    if ("nullable" in obj && !("type" in obj)) {
      const { nullable, ...rest } = obj;
      for (const key of Object.keys(obj)) delete obj[key];
      obj["anyOf"] = nullable === true ? [rest, { type: "null" }] : [rest];
    }
  }
}
const zgwValidator = (file: string) => {
  normaliseNullable(loadSpec(file));
  return createOpenApiValidator(file);
};
export const zgwSpecs = { zaken: zgwValidator(ZAKEN_SPEC), catalogi: zgwValidator(CATALOGI_SPEC) };
const FILES = { zaken: ZAKEN_SPEC, catalogi: CATALOGI_SPEC } as const;
const BASES = { zaken: ZAKEN_BASE_PATH, catalogi: CATALOGI_BASE_PATH } as const;

interface Parameter {
  name: string;
  in: "query" | "path" | "header";
  required?: boolean;
  schema?: Record<string, unknown>;
}
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
formatsPlugin.default(ajv);

const templateOf = (paths: Record<string, unknown>, path: string) =>
  path in paths
    ? path
    : Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));

const coerce = (value: string, schema: Record<string, unknown> | undefined): unknown => {
  if (schema?.["type"] === "integer" || schema?.["type"] === "number")
    return /^-?[0-9.]+$/.test(value) ? Number(value) : value;
  if (schema?.["type"] === "array") return value.split(",");
  return value;
};

/** A zaaktype against schema `ZaakType` (see expectPermitsTrafficMatchesSpec). */
export const validateZaakType = (item: unknown): ValidationOutcome =>
  zgwSpecs.catalogi.validateResponse("/zaaktypen/{uuid}", "put", 200, "application/json", item);

export function hasOperation(api: "zaken" | "catalogi", path: string, method: string): boolean {
  const doc = loadSpec(FILES[api]) as unknown as { paths: Record<string, Record<string, unknown>> };
  const template = templateOf(doc.paths, path);
  return template !== undefined && doc.paths[template]?.[method.toLowerCase()] !== undefined;
}

/**
 * Checks a request's path, query and header parameters against the operation in the spec: no
 * query parameter outside it, every value matching its schema, every required one present (the
 * ZAAK operations require `Accept-Crs` and `Content-Crs`, also on GET), and a JSON body against
 * the operation's requestBody.
 */
export function validateZgwRequest(
  api: "zaken" | "catalogi",
  path: string,
  method: string,
  query: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>,
  body: unknown,
): ValidationOutcome {
  const doc = loadSpec(FILES[api]) as unknown as {
    paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  };
  const template = templateOf(doc.paths, path);
  const op = template ? doc.paths[template]?.[method.toLowerCase()] : undefined;
  if (!template || !op) return { valid: false, errors: [`no ${method} ${path} in ${FILES[api]}`] };
  const parameters = op.parameters ?? [];
  const errors: string[] = [];
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "");
  const values = new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`).exec(path)?.slice(1) ?? [];
  const pathValues = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(values[i] ?? "")]));
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const name of Object.keys(query))
    if (!parameters.some((p) => p.in === "query" && p.name === name))
      errors.push(`unknown query parameter ${name}`);
  for (const p of parameters) {
    const raw =
      p.in === "query" ? query[p.name] : p.in === "path" ? pathValues[p.name] : lower[p.name.toLowerCase()];
    if (raw === undefined) {
      if (p.required) errors.push(`missing ${p.in} parameter ${p.name}`);
      continue;
    }
    if (p.schema && !ajv.validate(p.schema, coerce(raw, p.schema)))
      errors.push(`${p.in} ${p.name}: ${ajv.errorsText(ajv.errors)}`);
  }
  if (method === "POST") {
    const outcome = zgwSpecs[api].validateRequest(path, method, lower["content-type"] ?? "", body);
    if (!outcome.valid) errors.push(...outcome.errors);
  }
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
}

/**
 * Statuses the reference implementations send that the specs do not document for the operation:
 * 404 for a page past the end of a list (Django REST framework's "Ongeldige pagina.") and 503 (what
 * the http503 fault sends, as a gateway in front of the API would). Their bodies are still `Fout`s.
 */
const UNDOCUMENTED = new Set([404, 503]);
/** Requests tests sent malformed on purpose (raw fetch): their request is not the client's. */
const DELIBERATELY_INVALID = new Set([400, 401, 403, 406, 412, 415]);

/**
 * Validates every request the simulator received and every response it sent against the Zaken
 * and Catalogi specs. Paths outside both APIs and fault answers without a parsed body are skipped.
 * The spec leaves the answers of `GET /zaaktypen` and `GET /zaaktypen/{uuid}` untyped ("Unspecified
 * response body"); their zaaktypen are checked against schema `ZaakType` as the answer of
 * `PUT /zaaktypen/{uuid}`, which is typed. Returns how many checks were made.
 */
export function expectPermitsTrafficMatchesSpec(requests: readonly PermitsRecordedRequest[]): number {
  let checked = 0;
  for (const r of requests) {
    if (r.api === undefined) continue;
    const path = r.path.slice(BASES[r.api].length);
    const spec = zgwSpecs[r.api];
    // Paths the spec does not have (raw requests for a 404) have nothing to be checked by.
    if (!hasOperation(r.api, path, r.method)) continue;
    if (!DELIBERATELY_INVALID.has(r.status)) {
      expect(
        validateZgwRequest(r.api, path, r.method, r.query, r.headers, r.body),
        `request ${r.method} ${path}`,
      ).toEqual({ valid: true });
      checked++;
    }
    if (r.status === 0 || r.response.body === undefined) continue;
    let outcome = spec.validateResponse(path, r.method, r.status, r.response.contentType, r.response.body);
    if (
      !outcome.valid &&
      UNDOCUMENTED.has(r.status) &&
      outcome.errors[0] === `status ${r.status} not documented`
    )
      // Still a `Fout`: checked as the operation's 500 answer.
      outcome = spec.validateResponse(path, r.method, 500, r.response.contentType, r.response.body);
    expect(outcome, `response ${r.status} ${r.method} ${path}`).toEqual({ valid: true });
    checked++;
    if (r.api === "catalogi" && r.status === 200)
      for (const item of path === "/zaaktypen"
        ? (r.response.body as { results: unknown[] }).results
        : [r.response.body]) {
        expect(validateZaakType(item), `zaaktype ${path}`).toEqual({ valid: true });
        checked++;
      }
  }
  return checked;
}
