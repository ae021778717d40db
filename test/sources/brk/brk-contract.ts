import { Ajv } from "ajv";
import { expect } from "vitest";
import { BRK_BASE_PATH, type BrkRecordedRequest } from "../../../src/sources/brk/index.ts";
import { loadSpec } from "../../utils/openapi-fields.ts";
import { createOpenApiValidator, type ValidationOutcome } from "../../utils/openapi-validate.ts";

export const BRK_SPEC = "brk-bevragen-v2.openapi.yaml";
export const brkSpec = createOpenApiValidator(BRK_SPEC);

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: Record<string, unknown>;
}
type Operations = Record<string, Record<string, { parameters?: Parameter[] }>>;
const ajv = new Ajv({ strict: false, unicodeRegExp: false });

/** The spec path template a request path belongs to (`/kadastraalonroerendezaken/{…}/hypotheken`). */
export function templateOf(path: string): string | undefined {
  const paths = (loadSpec(BRK_SPEC) as unknown as { paths: Operations }).paths;
  return Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
}

/** Query parameters of a request against its operation: none outside the spec, each of its schema. */
export function validateBrkQuery(
  path: string,
  method: string,
  query: Readonly<Record<string, string>>,
): ValidationOutcome {
  const template = templateOf(path);
  const paths = (loadSpec(BRK_SPEC) as unknown as { paths: Operations }).paths;
  const parameters = template ? paths[template]?.[method.toLowerCase()]?.parameters : undefined;
  if (!parameters) return { valid: false, errors: [`no ${method} ${path} in the spec`] };
  const errors: string[] = [];
  for (const [name, raw] of Object.entries(query)) {
    const p = parameters.find((q) => q.in === "query" && q.name === name);
    const value = p?.schema?.["type"] === "integer" && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
    if (!p) errors.push(`unknown query parameter ${name}`);
    else if (p.schema && !ajv.validate(p.schema, value))
      errors.push(`query ${name}: ${ajv.errorsText(ajv.errors)}`);
  }
  for (const p of parameters.filter((q) => q.in === "query" && q.required))
    if (!(p.name in query)) errors.push(`missing ${p.name}`);
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
}

/**
 * Validates every request the simulator received (query, POST body, the X-Api-Key header) and
 * every answer it sent against the reference document. Requests sent raw on purpose (answered
 * 400 / 401) are not the client's; answers without a parsed body (broken-body faults, timeout,
 * reset) are skipped. Returns how many checks were made.
 */
export function expectBrkTrafficMatchesSpec(requests: readonly BrkRecordedRequest[]): number {
  let checked = 0;
  for (const r of requests) {
    if (!r.path.startsWith(BRK_BASE_PATH + "/")) continue;
    const path = r.path.slice(BRK_BASE_PATH.length);
    if (r.status !== 400 && r.status !== 401) {
      expect(validateBrkQuery(path, r.method, r.query), `request ${r.method} ${path}`).toEqual({
        valid: true,
      });
      if (r.method === "POST")
        expect(
          brkSpec.validateRequest(path, "post", "application/json", r.body),
          `body of POST ${path}`,
        ).toEqual({
          valid: true,
        });
      expect(r.headers["x-api-key"], "X-Api-Key header").toBeTruthy();
      checked++;
    }
    if (r.status > 0 && r.response.body !== undefined) {
      expect(
        brkSpec.validateResponse(
          path,
          r.method.toLowerCase(),
          r.status,
          r.response.contentType,
          r.response.body,
        ),
        `response ${r.status} ${r.method} ${path}`,
      ).toEqual({ valid: true });
      checked++;
    }
  }
  return checked;
}
