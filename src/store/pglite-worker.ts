/**
 * The embedded database's own thread (issue 15). PGlite is PostgreSQL compiled to WebAssembly and
 * runs every statement to its end on the thread that calls it, so on the gateway's thread each
 * statement stopped all other work; here it runs beside it. The gateway's thread talks to it
 * through {@link openPgliteDb} (src/store/pglite-db.ts) with these messages; each is answered
 * once. Statements still run one at a time on PGlite's single connection, in the order they
 * arrive; a statement outside a transaction waits until an open transaction has ended, exactly
 * as on the gateway's thread. Durability is PGlite's own: a statement is answered after PGlite
 * has written it to the data directory.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { errorData, pgliteParsers, runOn, type ErrorData, type PgliteLike } from "./pglite-run.ts";

export type WorkerRequest =
  | {
      readonly id: number;
      readonly op: "query";
      readonly sql: string;
      readonly params?: readonly unknown[];
      readonly tx?: number;
    }
  | { readonly id: number; readonly op: "begin" }
  | { readonly id: number; readonly op: "commit" | "rollback"; readonly tx: number }
  | { readonly id: number; readonly op: "close" };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly rows?: unknown[]; readonly tx?: number }
  | { readonly id: number; readonly ok: false; readonly error: ErrorData };

/** First message of the thread: opened, or why not. */
export type WorkerReady = { readonly ready: true } | { readonly ready: false; readonly error: ErrorData };

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread of openPgliteDb");
const { dataDir } = workerData as { dataDir: string };

/** Thrown inside PGlite's transaction to roll it back on the gateway's word. */
const ROLLBACK = Symbol("rollback");

const reply = (message: WorkerReply) => port.postMessage(message);
const fail = (id: number, e: unknown) => reply({ id, ok: false, error: errorData(e) });

let pg: PGlite;
try {
  pg = await PGlite.create(dataDir, { parsers: pgliteParsers });
  port.postMessage({ ready: true } satisfies WorkerReady);
} catch (e) {
  port.postMessage({ ready: false, error: errorData(e) } satisfies WorkerReady);
  port.close();
  throw e;
}

const open = new Map<number, { tx: Transaction; decide: (commit: boolean) => void; ended: Promise<void> }>();
let nextTx = 1;

function begin(id: number): void {
  const txId = nextTx++;
  let decide!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (decide = resolve));
  let started = false;
  const ended = pg
    .transaction(async (tx) => {
      started = true;
      open.set(txId, { tx, decide, ended });
      reply({ id, ok: true, tx: txId });
      if (!(await decided)) throw ROLLBACK;
    })
    .then(() => undefined);
  // BEGIN itself failed: the gateway still waits for its answer.
  ended.catch((e: unknown) => {
    if (!started) fail(id, e);
  });
}

async function end(id: number, txId: number, commit: boolean): Promise<void> {
  const t = open.get(txId);
  if (!t) return fail(id, new Error(`PGlite worker: no open transaction ${txId}`));
  open.delete(txId);
  t.decide(commit);
  try {
    await t.ended;
    reply({ id, ok: true });
  } catch (e) {
    if (!commit && e === ROLLBACK) reply({ id, ok: true });
    else fail(id, e);
  }
}

port.on("message", (m: WorkerRequest) => {
  switch (m.op) {
    case "query": {
      const target = m.tx === undefined ? pg : open.get(m.tx)?.tx;
      if (!target) return fail(m.id, new Error(`PGlite worker: no open transaction ${m.tx}`));
      runOn(target as unknown as PgliteLike, m.sql, m.params).then(
        (rows) => reply({ id: m.id, ok: true, rows }),
        (e: unknown) => fail(m.id, e),
      );
      return;
    }
    case "begin":
      return begin(m.id);
    case "commit":
      return void end(m.id, m.tx, true);
    case "rollback":
      return void end(m.id, m.tx, false);
    case "close":
      pg.close().then(
        () => {
          reply({ id: m.id, ok: true });
          port.close();
        },
        (e: unknown) => fail(m.id, e),
      );
      return;
  }
});
