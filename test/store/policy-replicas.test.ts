import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { bootstrap, type App } from "../../src/app/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import {
  POLICY_CHANNEL,
  publish,
  readWorkingFiles,
  type PolicyVersionMeta,
} from "../../src/policy/versions/index.ts";
import { createHttpServer, createOpsServer, listen } from "../../src/server/index.ts";
import type { Db } from "../../src/store/index.ts";
import { overlay } from "../policy/policy-fixtures.ts";
import type { GqlResult } from "../utils/test-app.ts";
import { connectAgain, createTestDb, dialectUnderTest } from "../utils/test-db.ts";

const RECORDS = "{ destructionRecords { records { id } } }";

/**
 * Issue 14 "Every replica enforces the same version": two gateway instances on one database
 * (PostgreSQL under TEST_DATABASE_URL: each its own pool and LISTEN client; PGlite: one process).
 * A version published through one is enforced by the other on its very next request; a replica
 * that cannot load the newest version serves nothing and says so on /ready.
 */
describe(`two replicas, one policy version (${dialectUnderTest()})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function replica(db: Db, seed: boolean) {
    const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-replica-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ DEMO_MODE: "true", DATA_DIR: dataDir, BRP_TIMEOUT_MS: "1000" });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    const booted = await bootstrap({
      config: config.value,
      db,
      seed,
      logger: pino({ level: "silent" }),
      listenUrl: process.env.TEST_DATABASE_URL,
    });
    if (!booted.ok) throw new Error(booted.error.problems.join("; "));
    const app: App = booted.value;
    cleanups.push(() => app.close());
    const server: Server = createHttpServer(app.gateway, app.db, {
      draining: () => false,
      policy: () => app.policyVersions.status(),
    });
    const address = await listen(server, 0, "127.0.0.1");
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${address.port}`;
    const lifecycle = { draining: () => false, policy: () => app.policyVersions.status() };
    const ops: Server = createOpsServer(app.db, () => [], lifecycle);
    const opsAddress = await listen(ops, 0, "127.0.0.1");
    cleanups.push(() => new Promise<void>((resolve) => ops.close(() => resolve())));
    const issuer = app.demo?.issuer;
    if (!issuer) throw new Error("demo issuer missing");
    const dpo = await issuer.mint({ sub: "fg-1", roles: ["dpo"] });
    const records = async () => {
      const res = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${dpo}` },
        body: JSON.stringify({ query: RECORDS }),
      });
      return { status: res.status, body: (await res.json()) as GqlResult };
    };
    const ready = async () => {
      const res = await fetch(`${base}/ready`);
      return { status: res.status, body: (await res.json()) as { status: string } };
    };
    const opsReady = async () => {
      const res = await fetch(`http://127.0.0.1:${opsAddress.port}/ready`);
      return {
        status: res.status,
        body: (await res.json()) as { status: string; policy?: Record<string, unknown> },
      };
    };
    return { app, records, ready, opsReady };
  }

  async function twoReplicas() {
    const db = await createTestDb({ migrate: false });
    cleanups.push(() => db.close());
    const a = await replica(db, true);
    const other = await connectAgain(db);
    cleanups.push(() => other.close());
    const b = await replica(other, false);
    return { db, a, b };
  }

  /** The newest audit record of the destruction-records query: its decision and policy hash. */
  const lastRecordsAudit = async (db: Db) =>
    (
      await db.query<{ decision: string; policy_hash: string }>(
        "SELECT decision, policy_hash FROM audit_log WHERE operation = 'retention.records' ORDER BY seq DESC LIMIT 1",
      )
    )[0];

  /** The working files with the FG's (dpo's) retention.read taken out of roles.yaml. */
  function narrowedFiles() {
    const { dir, cleanup } = overlay();
    cleanups.push(cleanup);
    const roles = join(dir, "roles.yaml");
    const before = readFileSync(roles, "utf8");
    const after = before.replace(/\n {6}- action: retention\.read\n {8}reason: Supervises[^\n]*/, "");
    expect(after).not.toBe(before);
    writeFileSync(roles, after);
    return dir;
  }

  // Two gateways bootstrapped and a version published: heavy on a shared machine.
  it(
    "a version published through one replica is enforced by the other on its very next request",
    { timeout: 90_000 },
    async () => {
      const { db, a, b } = await twoReplicas();
      const v1 = a.app.policyVersions.currentMeta();
      expect(v1).toMatchObject({ version: 1, author: "system", motivation: "first start-up" });
      expect(b.app.policyVersions.currentMeta().hash).toBe(v1.hash);

      const allowed = await b.records();
      expect(allowed.body.errors).toBeUndefined();
      expect(await lastRecordsAudit(db)).toEqual({ decision: "allow", policy_hash: v1.hash });

      const published = await publish(a.app.db, a.app.audit, narrowedFiles(), {
        author: "po-1",
        motivation: "the FG reads destruction records through the privacy officer",
      });
      if (!published.ok) expect.fail(JSON.stringify(published.error));
      expect(published.value.version).toBe(2);

      const refused = await b.records();
      expect(refused.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await lastRecordsAudit(db)).toEqual({ decision: "deny", policy_hash: published.value.hash });
      expect(b.app.policyVersions.currentMeta().version).toBe(2);
      const onA = await a.records();
      expect(onA.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await lastRecordsAudit(db)).toEqual({ decision: "deny", policy_hash: published.value.hash });
    },
  );

  it(
    "a version published to another database in the same process leaves a replica as it was",
    { timeout: 90_000 },
    async () => {
      const { a } = await twoReplicas();
      const elsewhere = await createTestDb({ migrate: false });
      cleanups.push(() => elsewhere.close());
      const other = await replica(elsewhere, false);
      const published = await publish(a.app.db, a.app.audit, narrowedFiles(), {
        author: "po-1",
        motivation: "narrow",
      });
      if (!published.ok) expect.fail(JSON.stringify(published.error));
      const answer = await other.records();
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(other.app.policyVersions.currentMeta().version).toBe(1);
      expect(await other.ready()).toEqual({ status: 200, body: { status: "ready" } });
    },
  );

  it("learns of a new version without a request: LISTEN/NOTIFY on PostgreSQL, in-process on PGlite", async () => {
    const { db, a, b } = await twoReplicas();
    const changed = new Promise<PolicyVersionMeta>((resolve) => b.app.policyVersions.onChange(resolve));
    const dir = narrowedFiles();
    let hash: string;
    if (db.dialect === "postgres") {
      // Stored and announced by another process (as the CLI would): only the LISTEN client hears it.
      const working = await readWorkingFiles(dir);
      if (!working.ok) expect.fail(JSON.stringify(working.error));
      hash = working.value.policy.hash;
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO policy_versions (version, hash, protocol_file, protocol_id, files, author, published_at, motivation, adopted_on, next_evaluation)
           VALUES (2, $1, 'protocol.yaml', $2, $3::jsonb, 'po-1', now(), 'narrow', '2026-01-15', '2027-01-15')`,
          [hash, working.value.policy.protocol.id, JSON.stringify(working.value.files)],
        );
        await tx.query("SELECT pg_notify($1, '2')", [POLICY_CHANNEL]);
      });
    } else {
      const published = await publish(a.app.db, a.app.audit, dir, { author: "po-1", motivation: "narrow" });
      if (!published.ok) expect.fail(JSON.stringify(published.error));
      hash = published.value.hash;
    }
    expect((await changed).version).toBe(2);
    expect(b.app.policy.hash).toBe(hash);
  });

  it("a replica that cannot load the newest version refuses data (503) and /ready says so, until a good one is published", async () => {
    const { db, a, b } = await twoReplicas();
    expect(await b.ready()).toEqual({ status: 200, body: { status: "ready" } });
    const [row] = await db.query<{ files: Record<string, string> | string }>(
      "SELECT files FROM policy_versions WHERE version = 1",
    );
    const files =
      typeof row?.files === "string" ? (JSON.parse(row.files) as Record<string, string>) : row!.files;
    await db.query(
      `INSERT INTO policy_versions (version, hash, protocol_file, protocol_id, files, author, published_at, motivation, adopted_on, next_evaluation)
       VALUES (2, 'not-a-real-hash', 'protocol.yaml', 'x', $1::jsonb, 'someone', now(), 'broken', '2026-01-15', '2027-01-15')`,
      [JSON.stringify({ ...files, "disclosure.yaml": "rules: [" })],
    );
    const auditBefore = await db.query("SELECT seq FROM audit_log");

    const refused = await b.records();
    expect(refused.status).toBe(503);
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("POLICY_UNAVAILABLE");
    expect(await b.ready()).toEqual({ status: 503, body: { status: "policy_version_unavailable" } });
    // The operator's /ready names the version and why.
    const ops = await b.opsReady();
    expect(ops.status).toBe(503);
    expect(ops.body.status).toBe("policy_version_unavailable");
    expect(ops.body.policy).toMatchObject({ state: "unavailable", version: 2, servedVersion: 1 });
    expect(String(ops.body.policy?.reason)).toContain("disclosure.yaml");
    expect((await a.records()).status).toBe(503);
    // Refused before anything is decided: no record under the older version.
    expect(await db.query("SELECT seq FROM audit_log")).toHaveLength(auditBefore.length);
    expect(b.app.policyVersions.currentMeta().version).toBe(1);

    const fixed = await publish(a.app.db, a.app.audit, narrowedFiles(), {
      author: "po-1",
      motivation: "fixed",
    });
    if (!fixed.ok) expect.fail(JSON.stringify(fixed.error));
    expect(fixed.value.version).toBe(3);
    expect(await b.ready()).toEqual({ status: 200, body: { status: "ready" } });
    const after = await b.records();
    expect(after.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await lastRecordsAudit(db)).toEqual({ decision: "deny", policy_hash: fixed.value.hash });
  });
});
