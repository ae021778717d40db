import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSourceResilience, passThrough } from "../../../src/sources/http/index.ts";
import {
  createRegisterClient,
  createRegisterLoaders,
  probeQuery,
  quoteIdent,
  recordsQuery,
  runRegisterProbe,
  type RegisterDatabase,
  type RegisterSpec,
} from "../../../src/sources/register/index.ts";
import { openDb, type Db } from "../../../src/store/index.ts";

/**
 * Issue 16: the gateway builds every register statement itself, identifiers validated and quoted
 * (quote_ident), values only as bind parameters; a connection that fails or a table that is
 * missing answers UNKNOWN, never NO_HIT.
 */
const SPEC: RegisterSpec = {
  source: "uitk",
  key: "bsn",
  backend: {
    kind: "postgres",
    connection: "UITK_DATABASE_URL",
    table: "reg.uitk",
    keyColumns: { value: "bsn" },
  },
  fields: [
    { name: "regeling", column: "regeling" },
    { name: "einddatum", column: "eind_datum" },
    { name: "startdatum", column: "start_datum" },
    { name: "status" },
  ],
  probes: [
    { id: "uitk.lopend", where: [{ field: "einddatum", notBefore: "today" }] },
    {
      id: "uitk.recent",
      where: [
        { field: "startdatum", since: "P12M" },
        { field: "status", in: ["lopend", "opgeschort"] },
      ],
    },
    { id: "uitk.any", where: [] },
  ],
};
const TODAY = "2026-12-03";
const BSN = "999990019";

let db: Db;
const log: { sql: string; params: readonly unknown[] }[] = [];
const logged: RegisterDatabase = {
  query: (sql, params) => {
    log.push({ sql, params: params ?? [] });
    return db.query(sql, params);
  },
};
beforeAll(async () => {
  db = await openDb({ dataDir: "memory://" });
  await db.query(
    "CREATE SCHEMA reg; CREATE TABLE reg.uitk (bsn text, regeling text, eind_datum date, start_datum date, status text)",
  );
  await db.query("INSERT INTO reg.uitk VALUES ($1, 'Participatiewet', NULL, '2026-06-01', 'lopend')", [BSN]);
  await db.query(
    "INSERT INTO reg.uitk VALUES ('999990020', 'IOAW', '2020-01-01', '2019-01-01', 'beeindigd')",
  );
});
afterAll(() => db.close());

const client = (database: RegisterDatabase | undefined, env: Record<string, string> = {}) =>
  createRegisterClient({
    env,
    ownDatabase: database,
    open: () => Promise.reject(new Error("not in this test")),
    protect: () => passThrough,
  });

describe("statements", () => {
  it("hold quoted identifiers and $n placeholders; values only in params", () => {
    const q = probeQuery(SPEC, "uitk.recent", { value: BSN }, TODAY);
    expect(q.ok && q.value).toEqual({
      sql: 'SELECT 1 AS hit FROM "reg"."uitk" WHERE "bsn" = $1 AND "start_datum" >= $2 AND "status" IN ($3, $4) LIMIT 1',
      params: [BSN, "2025-12-03", "lopend", "opgeschort"],
    });
    const r = recordsQuery(SPEC, ["regeling", "einddatum"], { value: BSN });
    expect(r.ok && r.value).toEqual({
      sql: 'SELECT "regeling" AS "regeling", "eind_datum" AS "einddatum" FROM "reg"."uitk" WHERE "bsn" = $1 LIMIT $2',
      params: [BSN, 50],
    });
  });

  it("quote_ident doubles an inner quote", () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it("refuse identifiers that are not plain names, whatever the file loader let through", () => {
    const evil: RegisterSpec = {
      ...SPEC,
      backend: {
        ...SPEC.backend,
        keyColumns: { value: 'bsn" = "bsn" OR 1=1 --' },
      } as RegisterSpec["backend"],
    };
    expect(probeQuery(evil, "uitk.any", { value: BSN }, TODAY)).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_identifier" },
    });
    const evilTable = {
      ...SPEC,
      backend: { ...SPEC.backend, table: "reg.uitk; DROP TABLE reg.uitk" },
    } as RegisterSpec;
    expect(recordsQuery(evilTable, ["regeling"], { value: BSN }).ok).toBe(false);
    const evilColumn = {
      ...SPEC,
      fields: [{ name: "regeling", column: "regeling) FROM x --" }],
    } as RegisterSpec;
    expect(recordsQuery(evilColumn, ["regeling"], { value: BSN }).ok).toBe(false);
    expect(recordsQuery(SPEC, ["nietGedeclareerd"], { value: BSN }).ok).toBe(false);
  });

  it("a subject key with SQL in it is only ever a bound value (it finds nothing, changes nothing)", async () => {
    log.length = 0;
    const c = client(logged);
    const key = { value: "' OR '1'='1'; DELETE FROM reg.uitk; --" };
    expect(await c.probe(SPEC, "uitk.any", key, TODAY)).toEqual({ ok: true, value: false });
    expect(await c.records(SPEC, key, ["regeling"])).toEqual({ ok: true, value: [] });
    expect(log.every((s) => !s.sql.includes("DELETE") && !s.sql.includes("'"))).toBe(true);
    expect(log.map((s) => s.params[0])).toEqual([key.value, key.value]);
    expect((await db.query("SELECT count(*)::int AS n FROM reg.uitk"))[0]).toEqual({ n: 2 });
  });
});

describe("answers from PostgreSQL (PGlite)", () => {
  it("probe conditions decide HIT and NO_HIT", async () => {
    const loaders = createRegisterLoaders(client(db));
    const run = (probe: string, bsn: string) => runRegisterProbe(loaders, SPEC, probe, { value: bsn }, TODAY);
    expect((await run("uitk.lopend", BSN)).result).toBe("HIT");
    expect((await run("uitk.recent", BSN)).result).toBe("HIT");
    expect((await run("uitk.lopend", "999990020")).result).toBe("NO_HIT");
    expect((await run("uitk.any", "999990020")).result).toBe("HIT");
    expect((await run("uitk.any", "999990032")).result).toBe("NO_HIT");
  });

  it("records carry only the permitted fields, dates as YYYY-MM-DD", async () => {
    const r = await client(db).records(SPEC, { value: "999990020" }, ["einddatum", "regeling"]);
    expect(r).toEqual({ ok: true, value: [{ einddatum: "2020-01-01", regeling: "IOAW" }] });
  });

  it("a missing table or view answers UNKNOWN, never NO_HIT", async () => {
    const missing = { ...SPEC, backend: { ...SPEC.backend, table: "reg.bestaat_niet" } } as RegisterSpec;
    const out = await runRegisterProbe(
      createRegisterLoaders(client(db)),
      missing,
      "uitk.any",
      { value: BSN },
      TODAY,
    );
    expect(out).toEqual({ result: "UNKNOWN", reason: "unavailable_query_failed" });
  });

  it("a connection that cannot be opened answers UNKNOWN, and outside demo mode no own database is used", async () => {
    const failing = createRegisterClient({
      env: { UITK_DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
      open: (url) =>
        openDb({
          url,
          timeouts: { statementMs: 500, lockMs: 500, idleInTransactionMs: 500, connectMs: 500 },
        }),
      protect: () => passThrough,
    });
    const out = await runRegisterProbe(
      createRegisterLoaders(failing),
      SPEC,
      "uitk.any",
      { value: BSN },
      TODAY,
    );
    expect(out.result).toBe("UNKNOWN");
    await failing.close();
    const unset = await runRegisterProbe(
      createRegisterLoaders(client(undefined)),
      SPEC,
      "uitk.any",
      { value: BSN },
      TODAY,
    );
    expect(unset).toEqual({ result: "UNKNOWN", reason: "unavailable_connection_not_set" });
  });

  it("a statement that hangs answers UNKNOWN (timeout) within the register's timeout", async () => {
    const hanging: RegisterDatabase = { query: () => new Promise(() => undefined) };
    const spec = { ...SPEC, backend: { ...SPEC.backend, timeoutMs: 100 } } as RegisterSpec;
    const out = await runRegisterProbe(
      createRegisterLoaders(client(hanging)),
      spec,
      "uitk.any",
      { value: BSN },
      TODAY,
    );
    expect(out).toEqual({ result: "UNKNOWN", reason: "timeout_timeout" });
  });

  it("an open circuit answers UNKNOWN without asking the database", async () => {
    let calls = 0;
    const broken: RegisterDatabase = {
      query: () => {
        calls++;
        return Promise.reject(new Error("connection reset"));
      },
    };
    const c = createRegisterClient({
      env: {},
      ownDatabase: broken,
      open: () => Promise.reject(new Error("unused")),
      protect: (source) =>
        createSourceResilience({
          source,
          maxConcurrent: 2,
          retries: 0,
          breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
        }),
    });
    for (let i = 0; i < 3; i++) {
      const out = await c.probe(SPEC, "uitk.any", { value: BSN }, TODAY);
      expect(out.ok).toBe(false);
    }
    expect(calls).toBe(2);
    const last = await runRegisterProbe(createRegisterLoaders(c), SPEC, "uitk.any", { value: BSN }, TODAY);
    expect(last.result).toBe("UNKNOWN");
  });
});
