import { types } from "@electric-sql/pglite";

/**
 * Type parsers shared by both dialects so rows look the same: int8 as number (our sequences stay
 * far below 2^53), `date` as its `YYYY-MM-DD` text (no time zone shifts).
 */
export const pgliteParsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.DATE]: (value: string) => value,
};

export interface PgliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<Array<{ rows: unknown[] }>>;
}

/**
 * Runs one statement with parameters (extended protocol) or, without parameters, a script of one
 * or more statements (simple protocol, like `pg` does) and returns the rows of the last one.
 */
export async function runOn<T>(target: PgliteLike, sql: string, params?: readonly unknown[]): Promise<T[]> {
  if (params && params.length > 0) return (await target.query<T>(sql, [...params])).rows;
  const results = await target.exec(sql);
  return (results.at(-1)?.rows ?? []) as T[];
}

/** A database error as plain data, so it crosses to another thread with its SQLSTATE and fields. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly fields: Record<string, string | number | boolean>;
}

export function errorData(e: unknown): ErrorData {
  if (!(e instanceof Error)) return { name: "Error", message: String(e), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(e))
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") fields[k] = v;
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

export function errorFrom(data: ErrorData): Error {
  const e = new Error(data.message);
  e.name = data.name;
  Object.assign(e, data.fields);
  return e;
}
