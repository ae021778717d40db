import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsPlugin from "ajv-formats";
import { loadSpec, type OpenApiDoc, type SchemaObject } from "./openapi-fields.ts";

/**
 * JSON Schema validation of request and response bodies against an OpenAPI document, for
 * contract tests of clients and simulators (BRP, BAG, KVK, ZGW). OAS 3.1 documents use the 2020-12
 * dialect, 3.0 documents ajv's default. Two OpenAPI-isms are translated first:
 * - `discriminator` with a `mapping`: the base schema dispatches on the property to the mapped
 *   subtype, and the subtypes' `allOf` back-references to the base go to a copy without the
 *   dispatch (otherwise the base would recurse into itself, or — if `discriminator` were simply
 *   ignored — a wrong subtype body would pass);
 * - OAS 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum`.
 */
export type ValidationOutcome =
  { readonly valid: true } | { readonly valid: false; readonly errors: string[] };

export interface OpenApiValidator {
  validateRequest(path: string, method: string, contentType: string, body: unknown): ValidationOutcome;
  validateResponse(
    path: string,
    method: string,
    status: number,
    contentType: string,
    body: unknown,
  ): ValidationOutcome;
}

const COMPONENTS_ID = "openapi://components";
const SCHEMA_REF = "#/components/schemas/";
const BASE_SUFFIX = "__base";
type Json = unknown;

const clone = <T>(x: T): T => structuredClone(x);

function mapDeep(node: Json, fn: (obj: Record<string, Json>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => mapDeep(n, fn));
  else if (node !== null && typeof node === "object") {
    fn(node as Record<string, Json>);
    Object.values(node).forEach((n) => mapDeep(n, fn));
  }
}

function translateDiscriminators(schemas: Record<string, SchemaObject>): Record<string, SchemaObject> {
  const out = clone(schemas);
  for (const [name, schema] of Object.entries(schemas)) {
    const mapping = schema.discriminator?.mapping;
    if (!mapping || !schema.discriminator) continue;
    const prop = schema.discriminator.propertyName;
    const base = clone(schema);
    delete base.discriminator;
    out[name + BASE_SUFFIX] = base;
    for (const target of Object.values(mapping)) {
      const sub = out[target.replace(SCHEMA_REF, "")];
      for (const part of sub?.allOf ?? [])
        if (part.$ref === SCHEMA_REF + name) part.$ref = SCHEMA_REF + name + BASE_SUFFIX;
    }
    out[name] = {
      allOf: [
        { $ref: SCHEMA_REF + name + BASE_SUFFIX },
        { required: [prop], properties: { [prop]: { enum: Object.keys(mapping) } } },
        ...Object.entries(mapping).map(([value, target]) => ({
          if: { required: [prop], properties: { [prop]: { const: value } } },
          then: { $ref: target },
        })),
      ],
    };
  }
  return out;
}

function fixOas30(node: Json): void {
  mapDeep(node, (obj) => {
    for (const [flag, bound] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      if (typeof obj[flag] !== "boolean") continue;
      if (obj[flag] === true && typeof obj[bound] === "number") {
        obj[flag] = obj[bound];
        delete obj[bound];
      } else delete obj[flag];
    }
  });
}

const retarget = (node: Json): void =>
  mapDeep(node, (obj) => {
    if (typeof obj["$ref"] === "string" && obj["$ref"].startsWith("#/components/"))
      obj["$ref"] = COMPONENTS_ID + obj["$ref"];
  });

const mediaType = (ct: string) => ct.split(";")[0]?.trim().toLowerCase() ?? "";

export function createOpenApiValidator(specFile: string): OpenApiValidator {
  const doc = clone(loadSpec(specFile)) as OpenApiDoc & {
    openapi?: string;
    paths?: Record<string, Record<string, Json>>;
  };
  const is31 = String(doc.openapi ?? "").startsWith("3.1");
  const components = { ...(doc.components as Record<string, Json>) } as Record<string, Json>;
  components["schemas"] = translateDiscriminators(doc.components.schemas ?? {});
  if (!is31) fixOas30(components);
  retarget(components);
  // OpenAPI patterns are ECMA-262 without the unicode flag (they escape quotes, which `u` forbids).
  const options = { strict: false, allErrors: true, validateFormats: true, unicodeRegExp: false } as const;
  const ajv = is31 ? new Ajv2020(options) : new Ajv(options);
  formatsPlugin.default(ajv);
  for (const f of ["int32", "int64", "float", "double", "byte", "binary", "password"]) ajv.addFormat(f, true);
  ajv.addSchema({ $id: COMPONENTS_ID, components }, COMPONENTS_ID);
  const compiled = new Map<string, ValidateFunction>();

  const deref = (node: Json): Record<string, Json> | undefined => {
    let n = node as Record<string, Json> | undefined;
    for (let i = 0; i < 5 && typeof n?.["$ref"] === "string"; i++) {
      const parts = (n["$ref"] as string).replace("#/", "").split("/");
      n = parts.reduce<Json>((acc, k) => (acc as Record<string, Json> | undefined)?.[k], doc) as Record<
        string,
        Json
      >;
    }
    return n;
  };
  const operation = (path: string, method: string) => {
    const paths = doc.paths ?? {};
    const key =
      path in paths
        ? path
        : Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
    const op = key ? deref(paths[key]?.[method.toLowerCase()]) : undefined;
    if (!op) throw new Error(`${specFile}: no operation ${method} ${path}`);
    return op;
  };
  const validate = (
    cacheKey: string,
    content: Json,
    contentType: string,
    body: unknown,
  ): ValidationOutcome => {
    const media = content as Record<string, { schema?: Json }> | undefined;
    if (!media)
      return body === undefined || body === ""
        ? { valid: true }
        : { valid: false, errors: ["no body expected"] };
    const key =
      Object.keys(media).find(
        (k) => k.replace(/\s+/g, "").toLowerCase() === contentType.replace(/\s+/g, "").toLowerCase(),
      ) ?? Object.keys(media).find((k) => mediaType(k) === mediaType(contentType));
    if (!key)
      return {
        valid: false,
        errors: [`content type ${contentType} not in ${Object.keys(media).join(", ")}`],
      };
    let fn = compiled.get(cacheKey + key);
    if (!fn) {
      const schema = clone(media[key]?.schema ?? {}) as Json;
      if (!is31) fixOas30(schema);
      retarget(schema);
      fn = ajv.compile(schema as object);
      compiled.set(cacheKey + key, fn);
    }
    if (fn(body)) return { valid: true };
    return {
      valid: false,
      errors: (fn.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`),
    };
  };

  return {
    validateRequest(path, method, contentType, body) {
      const requestBody = deref(operation(path, method)["requestBody"]);
      return validate(`req ${method} ${path} `, requestBody?.["content"], contentType, body);
    },
    validateResponse(path, method, status, contentType, body) {
      const responses = (operation(path, method)["responses"] ?? {}) as Record<string, Json>;
      const response = deref(
        responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses["default"],
      );
      if (!response) return { valid: false, errors: [`status ${status} not documented`] };
      return validate(`res ${method} ${path} ${status} `, response["content"], contentType, body);
    },
  };
}
