import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import type { SourceResilience } from "../http/index.ts";
import { valueOf } from "./register-match.ts";
import { DEFAULT_REGISTER_TIMEOUT_MS, type RegisterRecord } from "./register-spec.ts";
import type { RegisterQuery } from "./register-sql.ts";

/** What a register table is read through: the `query` of src/store's Db (PGlite or PostgreSQL). */
export interface RegisterDatabase {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * Runs one statement the gateway built, inside the register's resilience and within its timeout.
 * A connection that fails, a missing table or view, a statement past its time: all `unavailable`
 * or `timeout` values, so a probe answers UNKNOWN and a field request UPSTREAM_UNAVAILABLE.
 */
export async function runRegisterQuery(
  database: () => Promise<Result<RegisterDatabase, SourceError>>,
  query: RegisterQuery,
  options: { readonly resilience: SourceResilience; readonly timeoutMs?: number | undefined },
): Promise<Result<RegisterRecord[], SourceError>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REGISTER_TIMEOUT_MS;
  return options.resilience.run(
    async (signal) => {
      const db = await database();
      if (!db.ok) return db;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), timeoutMs);
        signal.addEventListener("abort", () => resolve("late"), { once: true });
      });
      try {
        const rows = await Promise.race([db.value.query(query.sql, query.params), late]);
        if (rows === "late") return err({ kind: "timeout", reason: "timeout" });
        return ok(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, valueOf(v)]))));
      } catch {
        // The driver's message may name the table or quote values: only a code leaves.
        return err({ kind: "unavailable", reason: "query_failed" });
      } finally {
        clearTimeout(timer);
      }
    },
    { idempotent: true },
  );
}
