import { z } from "zod";
import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import { createUpstreamJson, type FetchLike, type SourceResilience } from "../http/index.ts";
import { valueOf } from "./register-match.ts";
import {
  columnOf,
  DEFAULT_REGISTER_TIMEOUT_MS,
  type HttpBackendSpec,
  type RegisterKeyValue,
  type RegisterRecord,
  type RegisterSpec,
} from "./register-spec.ts";

/** What a JSON register answers: an array of records (objects); `[]` when it has none. */
const answerSchema = z.array(z.record(z.string(), z.unknown()));

/**
 * The URL of one subject's records: the template's `{value}` (or `{postcode}` and `{huisnummer}`)
 * replaced by the key, URL-encoded. Nothing else of a request reaches the URL.
 */
export function registerUrl(b: HttpBackendSpec, key: RegisterKeyValue): string {
  const parts: Record<string, string> =
    "value" in key ? { value: key.value } : { postcode: key.postcode, huisnummer: String(key.huisnummer) };
  return b.url.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(parts, name) ? encodeURIComponent(parts[name] ?? "") : whole,
  );
}

/**
 * The part of a register's URL before its first substitution or query: the calls that belong to
 * the register in the audit log (Logboek `foreign_operation`). A postgres register makes none.
 */
export function registerUrlBases(spec: Pick<RegisterSpec, "backend">): readonly string[] {
  const b = spec.backend;
  return b.kind === "http" ? [b.url.split(/[{?]/)[0] ?? b.url] : [];
}

export interface HttpRegisterOptions {
  readonly fetch?: FetchLike | undefined;
  /** The secret named by `auth.env`, when the file has auth (read from the environment by main). */
  readonly secret?: string | undefined;
  readonly resilience: SourceResilience;
}

/**
 * Every record of one subject from a JSON-over-HTTP register, keyed by field name (all declared
 * fields: the caller keeps only what it needs). Failures are values: UNKNOWN, never "no records".
 */
export function createHttpRegisterReader(
  spec: RegisterSpec,
  b: HttpBackendSpec,
  options: HttpRegisterOptions,
) {
  const call = createUpstreamJson({
    auth: options.secret === undefined ? { kind: "none" } : { kind: "apiKey", apiKey: options.secret },
    ...(b.auth ? { apiKeyHeader: b.auth.header } : {}),
    timeoutMs: b.timeoutMs ?? DEFAULT_REGISTER_TIMEOUT_MS,
    fetch: options.fetch,
    resilience: options.resilience,
  });
  return async (key: RegisterKeyValue): Promise<Result<RegisterRecord[], SourceError>> => {
    if (b.auth && options.secret === undefined)
      return err({ kind: "unauthorized", reason: "secret_not_set" });
    const answer = await call(
      { url: registerUrl(b, key), method: "GET", headers: { Accept: "application/json" } },
      answerSchema,
    );
    if (!answer.ok) return answer;
    return ok(
      answer.value.map((row) =>
        Object.fromEntries(spec.fields.map((f) => [f.name, valueOf(row[columnOf(f)])] as const)),
      ),
    );
  };
}
