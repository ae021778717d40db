import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import type { FetchLike, SourceResilience } from "../http/index.ts";
import { createHttpRegisterReader } from "./register-http.ts";
import { matches } from "./register-match.ts";
import { runRegisterQuery, type RegisterDatabase } from "./register-postgres.ts";
import {
  DEFAULT_MAX_RECORDS,
  type RegisterKeyValue,
  type RegisterRecord,
  type RegisterSpec,
} from "./register-spec.ts";
import { probeQuery, recordsQuery } from "./register-sql.ts";

export interface RegisterClientOptions {
  /** Connection strings and secrets by environment variable name (`Config.registerEnv`). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The gateway's own database, for a register whose connection variable is unset: given in demo
   * mode only (outside it such a register is refused at start-up, src/app/register-admission.ts).
   */
  readonly ownDatabase?: RegisterDatabase | undefined;
  /** Opens a pool for a connection string (src/store's openDb); closed by `close()`. */
  readonly open: (url: string) => Promise<RegisterDatabase & { close(): Promise<void> }>;
  readonly fetch?: FetchLike | undefined;
  /** The resilience (bulkhead, retry, breaker) of one register, made once per register name. */
  readonly protect: (source: string) => SourceResilience;
}

/** The municipality's own registers, read as their definitions say (issue 16). */
export interface RegisterClient {
  /** Only `fields` of the subject's records (names as declared), at most `maxRecords`. */
  records(
    spec: RegisterSpec,
    key: RegisterKeyValue,
    fields: readonly string[],
  ): Promise<Result<RegisterRecord[], SourceError>>;
  /** Whether a record of the subject meets the probe's conditions on `today`. */
  probe(
    spec: RegisterSpec,
    probeId: string,
    key: RegisterKeyValue,
    today: string,
  ): Promise<Result<boolean, SourceError>>;
  close(): Promise<void>;
}

/**
 * One client for every register of every policy version: pools per connection variable and
 * resilience per register name live as long as the gateway (so a failing register is recognised
 * across requests); definitions come with each call, so a new policy version needs no restart.
 */
export function createRegisterClient(options: RegisterClientOptions): RegisterClient {
  const pools = new Map<
    string,
    Promise<Result<RegisterDatabase & { close(): Promise<void> }, SourceError>>
  >();
  const guards = new Map<string, SourceResilience>();
  const resilience = (source: string): SourceResilience => {
    let r = guards.get(source);
    if (!r) guards.set(source, (r = options.protect(source)));
    return r;
  };
  const database = (connection: string) => async (): Promise<Result<RegisterDatabase, SourceError>> => {
    const url = options.env[connection];
    if (url === undefined)
      return options.ownDatabase
        ? ok(options.ownDatabase)
        : err({ kind: "unavailable", reason: "connection_not_set" });
    let pool = pools.get(connection);
    if (!pool) {
      pool = options.open(url).then(
        (db) => ok(db),
        () => err<SourceError>({ kind: "unavailable", reason: "connection_failed" }),
      );
      pools.set(connection, pool);
      // A pool that could not be opened is tried again on a later call.
      void pool.then((p) => (p.ok ? undefined : pools.delete(connection)));
    }
    return pool;
  };
  const httpRecords = (spec: RegisterSpec, key: RegisterKeyValue) => {
    const b = spec.backend;
    if (b.kind !== "http") return Promise.resolve(err<SourceError>({ kind: "rejected", reason: "not_http" }));
    return createHttpRegisterReader(spec, b, {
      fetch: options.fetch,
      secret: b.auth ? options.env[b.auth.env] : undefined,
      resilience: resilience(spec.source),
    })(key);
  };

  const client: RegisterClient = {
    async records(spec, key, fields) {
      const b = spec.backend;
      if (b.kind === "http") {
        const all = await httpRecords(spec, key);
        if (!all.ok) return all;
        const max = spec.maxRecords ?? DEFAULT_MAX_RECORDS;
        return ok(
          all.value.slice(0, max).map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? null]))),
        );
      }
      const query = recordsQuery(spec, fields, key);
      if (!query.ok) return query;
      return runRegisterQuery(database(b.connection), query.value, {
        resilience: resilience(spec.source),
        timeoutMs: b.timeoutMs,
      });
    },
    async probe(spec, probeId, key, today) {
      const b = spec.backend;
      if (b.kind === "http") {
        const probe = spec.probes.find((p) => p.id === probeId);
        if (!probe) return err<SourceError>({ kind: "rejected", reason: "unknown_probe" });
        const all = await httpRecords(spec, key);
        return all.ok ? ok(all.value.some((r) => matches(r, probe.where, today))) : all;
      }
      const query = probeQuery(spec, probeId, key, today);
      if (!query.ok) return query;
      const rows = await runRegisterQuery(database(b.connection), query.value, {
        resilience: resilience(spec.source),
        timeoutMs: b.timeoutMs,
      });
      return rows.ok ? ok(rows.value.length > 0) : rows;
    },
    async close() {
      const opened = [...pools.values()];
      pools.clear();
      for (const p of opened) {
        const db = await p;
        if (db.ok) await db.value.close().catch(() => undefined);
      }
    },
  };
  return Object.freeze(client);
}
