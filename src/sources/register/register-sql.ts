import { err, ok, subtractDuration, type Result, type SourceError } from "../../shared/index.ts";
import {
  columnOf,
  DEFAULT_MAX_RECORDS,
  type PostgresBackendSpec,
  type RegisterConditionSpec,
  type RegisterKeyValue,
  type RegisterSpec,
} from "./register-spec.ts";

/** A statement the gateway built: its text holds only validated, quoted identifiers; values are bound. */
export interface RegisterQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL's quote_ident: the name in double quotes, an inner quote doubled. Applied only to
 * names that also passed {@link IDENTIFIER} (checked again here, whatever the file loader did).
 */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const refused = (): Result<never, SourceError> => err({ kind: "rejected", reason: "invalid_identifier" });

function ident(name: string | undefined): string | undefined {
  return name !== undefined && IDENTIFIER.test(name) ? quoteIdent(name) : undefined;
}

function tableOf(b: PostgresBackendSpec): string | undefined {
  const [schema, table, ...rest] = b.table.split(".");
  const s = ident(schema);
  const t = ident(table);
  return rest.length === 0 && s && t ? `${s}.${t}` : undefined;
}

/** Builds `WHERE` parts with `$n` placeholders; every value goes to `params`. */
class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

function keyWhere(spec: RegisterSpec, b: PostgresBackendSpec, key: RegisterKeyValue, w: Where): boolean {
  if ("value" in key) {
    const col = spec.key === "adres" ? undefined : ident(b.keyColumns.value);
    if (!col) return false;
    w.parts.push(`${col} = ${w.bind(key.value)}`);
    return true;
  }
  const pc = spec.key === "adres" ? ident(b.keyColumns.postcode) : undefined;
  const hn = spec.key === "adres" ? ident(b.keyColumns.huisnummer) : undefined;
  if (!pc || !hn) return false;
  w.parts.push(`${pc} = ${w.bind(key.postcode)}`, `${hn} = ${w.bind(key.huisnummer)}`);
  return true;
}

function conditionSql(col: string, c: RegisterConditionSpec, today: string, w: Where): string {
  if ("equals" in c) return `${col} = ${w.bind(c.equals)}`;
  if ("in" in c) return `${col} IN (${c.in.map((v) => w.bind(v)).join(", ")})`;
  if ("since" in c)
    return `${col} >= ${w.bind(
      subtractDuration(new Date(`${today}T00:00:00Z`), c.since)
        .toISOString()
        .slice(0, 10),
    )}`;
  if ("notBefore" in c) return `(${col} IS NULL OR ${col} >= ${w.bind(today)})`;
  return c.isNull ? `${col} IS NULL` : `${col} IS NOT NULL`;
}

const columnFor = (spec: RegisterSpec, field: string): string | undefined => {
  const f = spec.fields.find((x) => x.name === field);
  return f ? ident(columnOf(f)) : undefined;
};

/** `SELECT 1 … WHERE <key> AND <conditions> LIMIT 1`: does one record answer the probe? */
export function probeQuery(
  spec: RegisterSpec,
  probeId: string,
  key: RegisterKeyValue,
  today: string,
): Result<RegisterQuery, SourceError> {
  const b = spec.backend;
  const probe = spec.probes.find((p) => p.id === probeId);
  if (b.kind !== "postgres" || !probe) return err({ kind: "rejected", reason: "unknown_probe" });
  const table = tableOf(b);
  const w = new Where();
  if (!table || !keyWhere(spec, b, key, w)) return refused();
  for (const c of probe.where) {
    const col = columnFor(spec, c.field);
    if (!col) return refused();
    w.parts.push(conditionSql(col, c, today, w));
  }
  return ok({
    sql: `SELECT 1 AS hit FROM ${table} WHERE ${w.parts.join(" AND ")} LIMIT 1`,
    params: w.params,
  });
}

/** `SELECT <permitted columns> … WHERE <key> LIMIT n`: only the fields the policy permitted. */
export function recordsQuery(
  spec: RegisterSpec,
  fields: readonly string[],
  key: RegisterKeyValue,
): Result<RegisterQuery, SourceError> {
  const b = spec.backend;
  if (b.kind !== "postgres" || fields.length === 0) return err({ kind: "rejected", reason: "no_fields" });
  const table = tableOf(b);
  const w = new Where();
  if (!table || !keyWhere(spec, b, key, w)) return refused();
  const select: string[] = [];
  for (const f of fields) {
    const col = columnFor(spec, f);
    if (!col) return refused();
    select.push(`${col} AS ${quoteIdent(f)}`);
  }
  const limit = w.bind(spec.maxRecords ?? DEFAULT_MAX_RECORDS);
  return ok({
    sql: `SELECT ${select.join(", ")} FROM ${table} WHERE ${w.parts.join(" AND ")} LIMIT ${limit}`,
    params: w.params,
  });
}
