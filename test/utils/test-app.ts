import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { pino, type Logger } from "pino";
import { bootstrap, type App } from "../../src/app/index.ts";
import { caseRepository, type CaseRecord } from "../../src/cases/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import { DEMO_OWNER, demoReference } from "../../src/demo/index.ts";
import type { Role } from "../../src/shared/index.ts";
import type { Db } from "../../src/store/index.ts";
import { createTestDb } from "./test-db.ts";

export interface GqlResult {
  readonly data?: Record<string, unknown> | null | undefined;
  readonly errors?: readonly {
    message: string;
    path?: readonly (string | number)[];
    extensions?: { code?: unknown };
  }[];
}

export interface TestApp {
  readonly app: App;
  token(sub: string, role: Role, department?: string): Promise<string>;
  /** Runs an operation in-process through Apollo's full pipeline (context, formatter). */
  gql(token: string, query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /** The seeded demo case for a phase. */
  demoCase(phase: string): Promise<CaseRecord>;
  close(): Promise<void>;
}

/**
 * Boots the gateway in demo mode on an in-memory database (PostgreSQL under TEST_DATABASE_URL), with the BRP simulator on loopback
 * and the demo cases seeded. `db` lets a test wrap the database (e.g. to break it).
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    wrapDb?: (db: Db) => Db;
    /**
     * A database another test app already set up, for a second replica on it (e.g. from
     * `connectAgain(first.app.db)`): used as it is, not seeded again, and not closed by `close()`.
     */
    db?: Db;
    /** The operational log (default silent). */
    logger?: Logger;
    /** Spans go here (tracing is off without it). */
    spanExporter?: SpanExporter;
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "poortwachter-test-"));
  const config = loadConfig({ DEMO_MODE: "true", DATA_DIR: dataDir, BRP_TIMEOUT_MS: "1000", ...options.env });
  if (!config.ok) throw new Error(config.error.problems.join("; "));
  // In-memory PGlite, or with TEST_DATABASE_URL a PostgreSQL schema of its own (test:store).
  const raw = options.db ?? (await createTestDb({ migrate: false }));
  const db = options.wrapDb ? options.wrapDb(raw) : raw;
  const booted = await bootstrap({
    config: config.value,
    db,
    ...(options.db ? { seed: false } : {}),
    logger: options.logger ?? pino({ level: "silent" }),
    spanExporter: options.spanExporter,
  });
  if (!booted.ok) throw new Error(booted.error.problems.join("; "));
  const app = booted.value;
  const issuer = app.demo?.issuer;
  if (!issuer) throw new Error("demo issuer missing");
  return {
    app,
    token: (sub, role, department) => issuer.mint({ sub, roles: [role], department }),
    gql: async (token, query, variables) => {
      const contextValue = await app.gateway.contextFor({ authorization: `Bearer ${token}` });
      const res = await app.gateway.apollo.executeOperation(
        { query, ...(variables ? { variables } : {}) },
        { contextValue },
      );
      if (res.body.kind !== "single") throw new Error("incremental delivery not expected");
      return res.body.singleResult as GqlResult;
    },
    demoCase: async (phase) => {
      // A reference is unique per owner only: the demo's case is the one the demo analyst owns.
      const found = (await caseRepository.list(app.db, {})).find(
        (c) => c.reference === demoReference(phase) && c.owner === DEMO_OWNER,
      );
      if (!found) throw new Error(`no demo case for ${phase}`);
      return found;
    },
    close: async () => {
      await app.close();
      if (!options.db) await raw.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The error codes of a result, keyed by path. */
export function errorCodes(r: GqlResult): Record<string, unknown> {
  return Object.fromEntries((r.errors ?? []).map((e) => [(e.path ?? []).join("."), e.extensions?.code]));
}
