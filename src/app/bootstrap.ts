import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { pino, type Logger } from "pino";
import {
  createAuditLog,
  createPatternDetector,
  destroyFlaggedPatterns,
  pinActivityVersions,
  type AuditLog,
} from "../audit/index.ts";
import { checkpointWriterFor, CHECKPOINTS_OFF, type CheckpointStatus } from "../audit/checkpoints.ts";
import { createAuthenticator, loadOrCreateDemoIssuer, type DemoIssuer } from "../auth/index.ts";
import type { Config } from "../config/index.ts";
import { registerDemoRows, seedDemo, seedRegisterDemo } from "../demo/index.ts";
import { destroySubjectRights } from "../rights/index.ts";
import type { LoadedPolicySet } from "../policy/index.ts";
import {
  createPolicyHolder,
  loadStoredVersion,
  storedVersionSources,
  publish,
  readWorkingFiles,
  type PolicyHolder,
  type PolicyVersionMeta,
} from "../policy/versions/index.ts";
import {
  DEFAULT_CASE_DESTROYERS,
  purge,
  startRetentionSchedule,
  type CaseDataDestroyer,
  type RetentionSchedule,
} from "../retention/index.ts";
import { createGateway, type Gateway } from "../server/index.ts";
import { createObservability, type Observability } from "../observability/index.ts";
import { err, ok, systemClock, type Clock, type Result } from "../shared/index.ts";
import { probesWithoutRunner } from "../disclosure/index.ts";
import type { BrpSimulator } from "../sources/brp/index.ts";
import type { ResilientSource } from "../sources/http/index.ts";
import { createMunicipality, type Municipality } from "../sources/synthetic/index.ts";
import {
  databaseUrlProblem,
  dataDirProblem,
  lockDataDir,
  migrate,
  migrationStatus,
  openDb,
  type Db,
  type Queryable,
} from "../store/index.ts";
import { registerUrlBases } from "../sources/register/index.ts";
import { registerEnvProblems } from "./register-admission.ts";
import { createUpstreams, startDemoSources, type DemoSimulators } from "./upstreams.ts";
import { newTraceId } from "../shared/random-ids.ts";

/** Seed and name of the demo municipality; its size is DEMO_POPULATION (500: starts in a second). */
export const DEMO_MUNICIPALITY = { seed: 2026, name: "Maastricht" } as const;

export interface App {
  readonly config: Config;
  readonly db: Db;
  readonly audit: AuditLog;
  /** The policy set of the stored version this replica serves now (issue 14: it follows new versions). */
  readonly policy: LoadedPolicySet;
  /** The stored policy versions: the one served, the per-request check, `/ready` (src/policy/versions). */
  readonly policyVersions: PolicyHolder;
  readonly gateway: Gateway;
  readonly logger: Logger;
  /** Demo mode only. */
  readonly demo?: {
    readonly issuer: DemoIssuer;
    readonly municipality: Municipality;
    readonly brpSimulator: BrpSimulator;
    readonly simulators: DemoSimulators;
  };
  /** Traces, metrics (the operator's `/metrics`) and the request log. */
  readonly observability: Observability;
  /** Per-source resilience (circuit state), for /ready and tests. */
  readonly resilience: readonly ResilientSource[];
  /** The retention job's schedule; absent when RETENTION_INTERVAL_MINUTES is 0. */
  readonly retention?: RetentionSchedule;
  /**
   * The audit checkpoints: role and last outcome for /ready (role "off" without a sink), and one
   * interval's work on demand (tests, instead of waiting for the interval).
   */
  readonly checkpoints: {
    status(): CheckpointStatus;
    tick(): Promise<CheckpointStatus>;
  };
  close(): Promise<void>;
}

export interface BootOptions {
  readonly config: Config;
  readonly logger?: Logger | undefined;
  /** An already opened database (tests); otherwise opened from the config. */
  readonly db?: Db | undefined;
  readonly clock?: Clock | undefined;
  /** Skip seeding demo cases even in demo mode. */
  readonly seed?: boolean | undefined;
  /** Tests: spans go to this exporter (e.g. in memory), besides any OTLP collector. */
  readonly spanExporter?: SpanExporter | undefined;
  /**
   * PostgreSQL: where the policy version listener connects (LISTEN); default DATABASE_URL. For a
   * test whose `db` is opened elsewhere.
   */
  readonly listenUrl?: string | undefined;
}

export interface BootError {
  readonly kind: "boot";
  readonly problems: readonly string[];
}

/** The demo HMAC key is generated once and kept in DATA_DIR, so pseudonyms stay stable. */
export async function demoHmacKey(dataDir: string): Promise<string> {
  const file = join(dataDir, "audit-hmac.key");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const key = randomBytes(32).toString("base64url");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, key, { mode: 0o600 });
    return key;
  }
}

/**
 * Everything that destroys a case's personal data when its retention ends: this gateway's own
 * tables, and one destroyer per module that keeps personal data of cases in tables of its own
 * (add it here, so the schedule and `npm run retention` both use it).
 */
export const caseDataDestroyers = (): readonly CaseDataDestroyer[] => [
  ...DEFAULT_CASE_DESTROYERS,
  destroySubjectRights,
  destroyFlaggedPatterns,
];

/**
 * The configured database: PostgreSQL at DATABASE_URL with the DB_*_TIMEOUT_MS limits on every
 * connection, or the embedded one in DATA_DIR. A lost connection is logged (code and message
 * only) when a logger is given; the request on it fails closed and the pool reconnects.
 */
export const openConfiguredDb = (config: Config, logger?: Logger): Promise<Db> =>
  openDb({
    url: config.databaseUrl,
    dataDir: join(config.dataDir, "pglite"),
    pgliteWorker: config.pgliteThread === "worker",
    timeouts: config.databaseTimeouts,
    onConnectionLost: (error) =>
      logger?.warn(
        { code: (error as { code?: unknown }).code, reason: error.message },
        "database connection lost",
      ),
  });

/** The given database or the configured one; a failure to open it as a value. */
const openDbResult = (given: Db | undefined, config: Config, logger: Logger): Promise<Result<Db, unknown>> =>
  given
    ? Promise.resolve(ok(given))
    : openConfiguredDb(config, logger).then(
        (db) => ok(db),
        (e: unknown) => err(e),
      );

/**
 * The key subjects are pseudonymised with: AUDIT_HMAC_KEY, or in demo mode the gateway's key
 * file. `create` makes that file when missing (for a command that writes audit records); without
 * it a missing file gives undefined, since a new key would find none of the existing records.
 */
export async function auditKeyOf(config: Config, create: boolean): Promise<string | undefined> {
  if (config.auditHmacKey) return config.auditHmacKey;
  if (!config.demoMode) return undefined;
  if (create) return demoHmacKey(config.dataDir);
  return (await readFile(join(config.dataDir, "audit-hmac.key"), "utf8").catch(() => "")).trim() || undefined;
}

/** One line naming the setting when the configured database cannot be opened or read (issue 12). */
export function openProblem(config: Pick<Config, "databaseUrl" | "dataDir">, e: unknown): string {
  if (config.databaseUrl) return databaseUrlProblem(e, config.databaseUrl);
  const reason = e instanceof Error ? e.message : String(e);
  return `DATA_DIR ${config.dataDir}: cannot open the embedded database: ${reason.split("\n")[0] ?? reason}`;
}

/**
 * MIGRATE_ON_START=true (default): applies what is pending. false: applies nothing and refuses
 * while something is pending or changed, naming it, since the schema would not be what the code
 * expects (`npm run migrate -- up` first). A problem as one line, or undefined.
 */
export async function migrateOrCheck(db: Db, migrateOnStart: boolean): Promise<string | undefined> {
  if (migrateOnStart) {
    const migrated = await migrate(db);
    return migrated.ok ? undefined : `migration ${migrated.error.name}: ${migrated.error.reason}`;
  }
  const status = await migrationStatus(db);
  if (status.changed.length > 0)
    return `MIGRATE_ON_START=false: migration ${status.changed.join(", ")} was changed after it was applied`;
  if (status.pending.length > 0)
    return `MIGRATE_ON_START=false and ${status.pending.length} migration(s) pending (${status.pending.join(", ")}); run \`npm run migrate -- up\` first`;
  return undefined;
}

/**
 * Assembles the gateway from a Config: policy (a bad file stops start-up), database and
 * migrations, audit log, upstream clients, authenticator, and in demo mode the simulators, the
 * demo issuer and the demo cases. Everything it opens is closed by `close()`.
 */
export async function bootstrap(options: BootOptions): Promise<Result<App, BootError>> {
  const { config } = options;
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse())
      await c().catch((e: unknown) => logger.warn({ err: e }, "close failed"));
  };
  const fail = async (problems: string[]) => {
    await close();
    return err<BootError>({ kind: "boot", problems });
  };
  // Issue 13: closed last (closers run in reverse), so the spans of the final steps are sent too.
  const observability = createObservability({
    serviceName: config.observability.serviceName,
    otlpEndpoint: config.observability.otlpEndpoint,
    spanExporter: options.spanExporter,
    requestLog: config.observability.requestLog ? logger : undefined,
    processMetrics: true,
  });
  closers.push(() => observability.shutdown());

  // Issue 15 (start-up): an existing database is opened while the policy files are read and
  // parsed — PGlite compiles its WebAssembly off the main thread meanwhile. A new embedded database
  // is only created after the working files passed (a bad policy file in demo mode writes nothing).
  const dbOpenedEarly =
    options.db !== undefined ||
    config.databaseUrl !== undefined ||
    existsSync(join(config.dataDir, "pglite"));
  // Issue 12: the embedded database's directory belongs to this process while it runs, so an
  // offline command or a second gateway cannot read or write it underneath (src/store/data-dir-lock.ts).
  const claimDataDir = async (): Promise<string[] | undefined> => {
    if (!options.db && !config.databaseUrl) {
      const locked = await lockDataDir(config.dataDir, "serve");
      if (!locked.ok)
        return [
          locked.error.kind === "in_use" ? `${locked.error.message}; stop it first` : locked.error.message,
        ];
      const { tookOver } = locked.value;
      if (tookOver)
        logger.warn(
          { pid: tookOver.pid, file: locked.value.file },
          "took over the lock of a process that is gone",
        );
      closers.push(() => locked.value.release());
    } else if (config.demoMode) {
      const problem = await dataDirProblem(config.dataDir);
      if (problem) return [problem];
    }
    return undefined;
  };

  const claimed = dbOpenedEarly ? await claimDataDir() : undefined;
  if (claimed) return fail(claimed);
  const opening: Promise<Result<Db, unknown>> | undefined = dbOpenedEarly
    ? openDbResult(options.db, config, logger)
    : undefined;
  if (opening)
    closers.push(async () => {
      const opened = await opening;
      if (opened.ok) await opened.value.close();
    });
  // Issue 14: the working files are validated here; what is served is the newest stored version
  // (published from them when the database has none, or in demo mode when they changed).
  const working = await readWorkingFiles(config.policyDir, config.protocolFile);
  const workingProblems = working.ok
    ? unansweredProbes(working.value.policy)
    : working.error.problems.map((p) => `${p.file}: ${p.path}: ${p.reason}`);
  if (workingProblems.length > 0 && config.demoMode) return fail(workingProblems);

  if (!dbOpenedEarly) {
    const late = await claimDataDir();
    if (late) return fail(late);
  }

  let upstreamConfig = config;
  let demo: App["demo"];
  if (config.demoMode) {
    const municipality = createMunicipality({
      ...DEMO_MUNICIPALITY,
      size: config.demoPopulation,
      code: config.municipalityCode,
    });
    const started = await startDemoSources(config, municipality, (c) => closers.push(c));
    upstreamConfig = started.config;
    const issuer = await loadOrCreateDemoIssuer(config.dataDir);
    demo = { issuer, municipality, brpSimulator: started.simulators.brp, simulators: started.simulators };
  }
  if (!upstreamConfig.brp.url) return fail(["BRP_URL: required"]);

  const opened = await (opening ?? openDbResult(options.db, config, logger));
  if (!opened.ok) return fail([openProblem(config, opened.error)]);
  const db = opened.value;
  if (!opening) closers.push(() => db.close());
  const schema = await migrateOrCheck(db, config.migrateOnStart).catch((e: unknown) =>
    openProblem(config, e),
  );
  if (schema) return fail([schema]);
  // Issue 16: the demo's own registers (policies/registers) in their own schema of the demo database.
  if (demo) {
    const registers = registerDemoRows(demo.municipality, clock.now().toISOString().slice(0, 10));
    await seedRegisterDemo(db, registers.rows);
  }

  const hmacKey = await auditKeyOf(config, true);
  if (!hmacKey) return fail(["AUDIT_HMAC_KEY: required"]);
  const registryUrls = upstreamUrlsOf(upstreamConfig);
  // Issue 16: which calls belong to a register is known from the policy version in effect, which
  // is read below; until then no register answers anything.
  let registersInEffect: () => LoadedPolicySet["registers"] = () => [];
  const audit = observability.instrumentAudit(
    createAuditLog({
      db,
      hmacKey,
      clock,
      upstreamUrls: (source) => {
        if (Object.hasOwn(registryUrls, source)) return registryUrls[source];
        const register = registersInEffect().find((r) => r.source === source);
        return register ? registerUrlBases(register) : undefined;
      },
    }),
  );

  const served = await servedVersion({
    config,
    db,
    audit,
    clock,
    logger,
    working: working.ok && workingProblems.length === 0 ? working.value : undefined,
    workingProblems,
  }).catch((e: unknown) => err([`policy versions: ${e instanceof Error ? e.message : String(e)}`]));
  if (!served.ok) return fail(served.error);
  const initialPolicy = served.value.policy;
  const admitProblems = unansweredProbes(initialPolicy);
  if (admitProblems.length > 0) return fail(admitProblems);

  // Issue 13: an activity id keeps one content for good; a changed activity needs a new id.
  const pin = (p: LoadedPolicySet) =>
    pinActivityVersions(db, p.processingActivities.all, p.hash, clock.now()).catch((e: unknown) =>
      err([`processing activity versions: ${e instanceof Error ? e.message : String(e)}`]),
    );
  const pinned = await pin(initialPolicy);
  if (!pinned.ok) return fail(pinned.error);

  // Issue 14: every request is decided by the newest stored version; a version published by any
  // replica (or the CLI) takes effect here on the next request.
  const holder = createPolicyHolder({
    db,
    initial: served.value,
    admit: (p) => gatewayAdmits(clock)(p, db),
    listenUrl: db.dialect === "postgres" ? (options.listenUrl ?? config.databaseUrl) : undefined,
    logger,
  });
  closers.push(() => holder.stop());
  registersInEffect = () => holder.current().registers;
  const policyNow = () => holder.current();
  holder.onChange((meta) => {
    observability.metrics.policy(meta.hash, holder.current().protocol.id);
    void audit
      .append([
        {
          kind: "policy",
          actor: "system",
          roles: [],
          processingActivity: holder.current().processingActivities.forWork("gateway"),
          operation: "policy.load",
          decision: "allow",
          reason: `policy version ${meta.version} in effect on this replica`,
          policyHash: meta.hash,
          traceId: newTraceId(),
          detail: { protocol: holder.current().protocol.id, version: meta.version },
        },
      ])
      .catch(() => undefined);
  });
  const policy = initialPolicy;
  const policyLogged = await audit.append([
    {
      kind: "policy",
      actor: "system",
      roles: [],
      processingActivity: policy.processingActivities.forWork("gateway"),
      operation: "policy.load",
      decision: "allow",
      reason: `policy version ${served.value.meta.version} loaded from the database (working files ${config.policyDir}, ${config.protocolFile})`,
      policyHash: policy.hash,
      traceId: newTraceId(),
      detail: { protocol: policy.protocol.id, version: served.value.meta.version },
    },
  ]);
  if (!policyLogged.ok) return fail([`audit log: ${policyLogged.error.reason}`]);

  // Issue 13: the chain's head, signed, outside the database; the final one at close(), after
  // the gateway has stopped and before the database closes (closers run in reverse).
  const checkpoints = await checkpointWriterFor(config.auditCheckpoint, {
    db,
    demoMode: config.demoMode,
    dataDir: config.dataDir,
    logger,
    clock,
  });
  if (!checkpoints.ok) return fail([checkpoints.error]);
  const checkpointWriter = checkpoints.value;
  if (checkpointWriter) closers.push(() => checkpointWriter.stop());

  const { upstreams, resilience, notConfigured } = createUpstreams(
    upstreamConfig,
    logger,
    clock,
    (r) => observability.instrumentSource(r),
    db,
  );
  closers.push(async () => upstreams.registers?.close());
  observability.metrics.watchCircuits(() => resilience.map((r) => r.state()));
  observability.metrics.policy(policy.hash, policy.protocol.id);
  // Issue 16: a register without its connection (or secret) is not consulted, like a registry
  // without URL: its probes answer UNKNOWN and its fields UPSTREAM_UNAVAILABLE.
  const registerGaps = registerEnvProblems(policy, config);
  if (registerGaps.length > 0)
    logger.warn(
      { registers: registerGaps },
      "registers without their environment are not consulted: UNKNOWN",
    );
  if (notConfigured.length > 0)
    logger.warn(
      { sources: notConfigured },
      "sources without URL are not consulted: their probes answer UNKNOWN",
    );
  const authenticator = createAuthenticator({
    oidc: config.oidc,
    demoIssuer: demo?.issuer,
    clock,
    clients: (id) => policyNow().clients.get(id),
  });
  // Issue 13: patterns in the audit log for the privacy officer's queue, off the request path.
  const flagPatterns = createPatternDetector({
    db,
    settings: config.flagPatterns,
    clock,
    newId: randomUUID,
    logger,
    intervalMs: config.flagPatterns.scanIntervalMs,
  });
  closers.push(() => flagPatterns.stop());
  const gateway = createGateway({
    db,
    audit,
    policy,
    policyHolder: holder,
    upstreams,
    authenticator,
    municipalityCode: config.municipalityCode,
    logger,
    limits: config.limits,
    trustedDocuments: config.trustedDocuments,
    demoMode: config.demoMode,
    verifyMaxChanges: config.verifyMaxChanges,
    subjectRate: config.subjectRate,
    flagPatterns,
    clock,
    newId: randomUUID,
    observability,
    policySources: {
      filesDir: config.policyDir,
      protocolFile: config.protocolFile,
      ...storedVersionSources(db),
    },
  });
  closers.push(() => gateway.apollo.stop());
  await gateway.apollo.start();

  if (config.demoMode && options.seed !== false) {
    await seedDemo({ policy, db, audit, clock, newId: randomUUID });
  }
  // Maastricht art. 10, Delft art. 7: data leave on schedule, without anyone having to remember.
  let retention: RetentionSchedule | undefined;
  if (config.retentionIntervalMinutes > 0) {
    const destroyers = caseDataDestroyers();
    const schedule = startRetentionSchedule({
      intervalMs: config.retentionIntervalMinutes * 60_000,
      // Issue 14: under the version served now; none while the newest cannot be loaded.
      run: async () => {
        const held = await holder.forRequest();
        if (!held.ok) throw new Error(`policy version unavailable: ${held.error.reason}`);
        return purge({ db, audit, policy: held.value, clock, newId: randomUUID, destroyers });
      },
      logger,
    });
    closers.push(() => schedule.stop());
    retention = schedule;
  }
  const app: App = {
    config,
    db,
    audit,
    get policy() {
      return holder.current();
    },
    policyVersions: holder,
    gateway,
    logger,
    observability,
    resilience,
    checkpoints: {
      status: () => checkpointWriter?.status() ?? CHECKPOINTS_OFF,
      tick: () => checkpointWriter?.tick() ?? Promise.resolve(CHECKPOINTS_OFF),
    },
    close,
    ...(demo ? { demo } : {}),
    ...(retention ? { retention } : {}),
  };
  return ok(app);
}

/**
 * What this gateway needs of a policy version besides valid files (issue 14): a runner for every
 * probe, and every processing activity unchanged under its id (pinned here). A database error
 * throws (the version is tried again); the problems are the version's own.
 */
export const gatewayAdmits =
  (clock: Clock) =>
  async (policy: LoadedPolicySet, db: Queryable): Promise<string[]> => {
    const problems = unansweredProbes(policy);
    if (problems.length > 0) return problems;
    const pinned = await pinActivityVersions(db, policy.processingActivities.all, policy.hash, clock.now());
    return pinned.ok ? [] : pinned.error;
  };

/** Probes this gateway has no runner for: a version with one is not served. */
function unansweredProbes(policy: LoadedPolicySet): string[] {
  return probesWithoutRunner(policy.probes, policy).map(
    (p) => `probes.yaml: ${p.id}: no source of this gateway answers this probe for source ${p.source}`,
  );
}

/**
 * Which stored version this replica starts with (issue 14): the newest. With none stored, the
 * working files become version 1 (author system). In demo mode working files that differ from
 * the newest version are published (so editing the files and `npm start` still works); otherwise
 * the newest is served and unpublished working files are only a warning.
 */
export async function servedVersion(deps: {
  config: Config;
  db: Db;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** The working files, as loaded and as text (so an identical stored version is not parsed again). */
  working: { readonly policy: LoadedPolicySet; readonly files: Readonly<Record<string, string>> } | undefined;
  workingProblems: readonly string[];
}): Promise<Result<{ policy: LoadedPolicySet; meta: PolicyVersionMeta }, string[]>> {
  const { config, db, audit, clock, logger } = deps;
  const working = deps.working?.policy;
  const publishWorking = async (motivation: string) => {
    if (!working) return err([...deps.workingProblems]);
    const published = await publish(db, audit, config.policyDir, {
      author: "system",
      motivation,
      protocolFile: config.protocolFile,
      clock,
      admit: gatewayAdmits(clock),
    });
    if (!published.ok && published.error.kind !== "unchanged")
      return err([
        `policy publish: ${
          published.error.kind === "policy_invalid"
            ? published.error.problems.map((p) => `${p.file}: ${p.path}: ${p.reason}`).join("; ")
            : "message" in published.error
              ? published.error.message
              : published.error.reason
        }`,
      ]);
    const stored = await loadStoredVersion(db, "latest", deps.working);
    if (!stored.ok) return err([`policy version: ${storedProblem(stored.error)}`]);
    logger.info(
      { version: stored.value.version, hash: stored.value.meta.hash },
      `policy published: ${motivation}`,
    );
    return ok({ policy: stored.value.policy, meta: stored.value.meta });
  };
  const latest = await loadStoredVersion(db, "latest", deps.working);
  if (!latest.ok) {
    if (latest.error.kind === "not_found") return publishWorking("first start-up");
    if (config.demoMode) return publishWorking("demo start-up");
    return err([`policy version ${latest.error.version} cannot be loaded: ${storedProblem(latest.error)}`]);
  }
  if (working && working.hash !== latest.value.meta.hash) {
    if (config.demoMode) return publishWorking("demo start-up");
    logger.warn(
      { version: latest.value.version, served: latest.value.meta.hash, working: working.hash },
      "the working policy files are not published; serving the newest stored version (npm run policy -- publish)",
    );
  } else if (!working)
    logger.warn(
      { version: latest.value.version, problems: deps.workingProblems.slice(0, 3) },
      "the working policy files have problems; serving the newest stored version",
    );
  return ok({ policy: latest.value.policy, meta: latest.value.meta });
}

function storedProblem(e: {
  kind: string;
  problems?: readonly { file: string; path: string; reason: string }[];
}) {
  return e.kind === "not_found"
    ? "not found"
    : (e.problems ?? []).map((p) => `${p.file}: ${p.path}: ${p.reason}`).join("; ");
}

/**
 * The base URLs of each audit `source` (issue 13): a record's LDV `foreign_operation` lists the
 * calls of its request under these (src/audit/ldv-span.ts). A source without a URL is not called.
 */
function upstreamUrlsOf(config: Config): Readonly<Record<string, readonly string[]>> {
  const urls = (...list: (string | undefined)[]) => list.filter((u): u is string => u !== undefined);
  return {
    brp: urls(config.brp.url),
    bag: urls(config.bag.url),
    hr: urls(config.kvk.url),
    bewoning: urls(config.bewoning.url),
    historie: urls(config.historie.url),
    woz: urls(config.woz.url),
    permits: urls(config.permits.zakenUrl, config.permits.catalogiUrl),
    // The Kadaster's open parcel data and its closed data come from the same API.
    brk: urls(config.brk.url),
    kadaster: urls(config.brk.url),
  };
}
