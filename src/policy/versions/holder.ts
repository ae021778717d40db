import pg from "pg";
import { err, ok, type Result } from "../../shared/index.ts";
import type { Db } from "../../store/index.ts";
import { sharedRead } from "../../store/shared-read.ts";
import type { LoadedPolicySet } from "../policy-set.ts";
import {
  latestVersionNumber,
  loadStoredVersion,
  onPublished,
  POLICY_CHANNEL,
  type PolicyVersionMeta,
} from "./index.ts";

/** Why this replica serves no data now: the newest version cannot be loaded (or not be checked). */
export interface PolicyUnavailable {
  /**
   * `policy_unavailable`: the newest version cannot be served (its files, its probes, its
   * activities); `check_failed`: the database did not answer the check (a database failure, not
   * the version's: the request fails closed like any other that cannot reach the database).
   */
  readonly kind: "policy_unavailable" | "check_failed";
  /** The newest version, when known. */
  readonly version?: number | undefined;
  /** One line, no personal data: the problems of the version or the database's error. */
  readonly reason: string;
}

export type PolicyStatus =
  | { readonly state: "serving"; readonly version: number; readonly hash: string }
  | {
      readonly state: "unavailable";
      readonly version: number;
      readonly servedVersion: number;
      readonly reason: string;
    }
  /** The database did not answer the check; `/ready` says so by its own database check. */
  | { readonly state: "unchecked"; readonly version: number; readonly reason: string };

export interface PolicyHolder {
  /**
   * The policy set of the version this replica last loaded (background work, lookups outside a
   * request). A request takes its policy from {@link forRequest} instead.
   */
  current(): LoadedPolicySet;
  /** The stored version's number and record of {@link current}. */
  currentMeta(): PolicyVersionMeta;
  /**
   * The per-request check: the newest stored version number, and that version's policy set
   * (loaded once when it is new). When the newest cannot be loaded, an error: the replica does
   * not serve under an older version.
   */
  forRequest(): Promise<Result<LoadedPolicySet, PolicyUnavailable>>;
  /** The same check, for `/ready`. */
  status(): Promise<PolicyStatus>;
  /** Told after a new version took effect here. */
  onChange(listener: (meta: PolicyVersionMeta) => void): () => void;
  /** Stops listening for new versions. */
  stop(): Promise<void>;
}

export interface PolicyHolderOptions {
  readonly db: Db;
  /** The version loaded at start-up. */
  readonly initial: { readonly policy: LoadedPolicySet; readonly meta: PolicyVersionMeta };
  /**
   * Extra conditions of this gateway for a version to be served (a runner for every probe, the
   * processing activities pinned); problems make it unavailable.
   */
  readonly admit?: ((policy: LoadedPolicySet) => Promise<readonly string[]>) | undefined;
  /**
   * PostgreSQL: the connection string to LISTEN on (a dedicated client, reconnected on error),
   * so a version published elsewhere is loaded before the next request asks for it.
   */
  readonly listenUrl?: string | undefined;
  /** Logs a failed load, a lost listener; one line each, no personal data. */
  readonly logger?:
    { warn(obj: object, msg: string): void; info(obj: object, msg: string): void } | undefined;
  /** Delay before the listener reconnects (default 1000 ms). */
  readonly reconnectMs?: number | undefined;
}

/**
 * Holds the policy version this replica serves (issue 14: every replica enforces the same
 * version). Each request first asks the database for the newest version number (one cheap query,
 * shared by the requests that arrive together, but always one that began after the request did:
 * {@link sharedRead});
 * a newer one is loaded and takes effect for that request. On PostgreSQL a LISTEN client learns of
 * a publication at once; in this process (PGlite) {@link onPublished} tells it. A version that
 * cannot be loaded is remembered as such (a stored version never changes), and until a newer one
 * loads, every request is refused: never an older version in its place.
 */
export function createPolicyHolder(options: PolicyHolderOptions): PolicyHolder {
  const { db, logger } = options;
  let served = options.initial;
  /** The newest version when it cannot be served, and why. */
  let failed: { version: number; reason: string } | undefined;
  const listeners = new Set<(meta: PolicyVersionMeta) => void>();

  async function take(version: number): Promise<void> {
    const loaded = await loadStoredVersion(db, version);
    // Only a number the database just named is taken, so "not found" is no property of the version.
    if (!loaded.ok) {
      if (loaded.error.kind === "not_found") throw new Error(`policy version ${version} not found`);
      const reason = loaded.error.problems
        .slice(0, 3)
        .map((p) => `${p.file}${p.path ? `: ${p.path}` : ""}: ${p.reason}`)
        .join("; ");
      failed = { version, reason };
      logger?.warn(
        { version, servedVersion: served.meta.version, reason },
        "policy version cannot be loaded",
      );
      return;
    }
    const problems = options.admit ? await options.admit(loaded.value.policy) : [];
    if (problems.length > 0) {
      const reason = problems.slice(0, 3).join("; ");
      failed = { version, reason };
      logger?.warn(
        { version, servedVersion: served.meta.version, reason },
        "policy version cannot be served",
      );
      return;
    }
    served = { policy: loaded.value.policy, meta: loaded.value.meta };
    failed = undefined;
    logger?.info({ version, hash: loaded.value.meta.hash }, "policy version in effect");
    for (const l of listeners) l(served.meta);
  }

  /** Brings the holder to `newest`; one load at a time, in order. */
  let chain: Promise<void> = Promise.resolve();
  const behind = (newest: number) =>
    newest > served.meta.version && !(failed !== undefined && failed.version >= newest);
  function reach(newest: number): Promise<void> {
    if (!behind(newest)) return Promise.resolve();
    const run = chain.then(() => (behind(newest) ? take(newest) : undefined));
    chain = run.catch(() => undefined);
    return run;
  }

  // Concurrent requests share one check, each one that began after the request arrived (issue 15).
  const newestVersion = sharedRead(() => latestVersionNumber(db));

  async function check(): Promise<Result<LoadedPolicySet, PolicyUnavailable>> {
    let newest: number;
    try {
      newest = await newestVersion.read();
      await reach(newest);
    } catch (e) {
      return err({
        kind: "check_failed",
        reason: `the policy version could not be checked: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
      });
    }
    if (failed && failed.version >= newest)
      return err({ kind: "policy_unavailable", version: failed.version, reason: failed.reason });
    return ok(served.policy);
  }

  // A publication in this process, maybe to another database: this replica asks its own.
  const unsubscribe = onPublished(() => {
    void check();
  });

  // PostgreSQL: LISTEN on a client of its own, reconnected after an error.
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (stopped || !options.listenUrl) return;
    const c = new pg.Client({ connectionString: options.listenUrl, keepAlive: true });
    client = c;
    const retry = (e: unknown) => {
      if (stopped || client !== c) return;
      client = undefined;
      logger?.warn(
        { reason: e instanceof Error ? e.message : String(e) },
        "policy version listener lost; reconnecting",
      );
      void c.end().catch(() => undefined);
      timer = setTimeout(() => void connect(), options.reconnectMs ?? 1000);
      timer.unref();
    };
    c.on("error", retry);
    c.on("end", () => retry(new Error("connection ended")));
    c.on("notification", (n) => {
      if (n.channel !== POLICY_CHANNEL) return;
      void check().catch(() => undefined);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${POLICY_CHANNEL}`);
      // What was published while no listener was connected.
      await check();
    } catch (e) {
      retry(e);
    }
  };
  const listening = connect();

  return {
    current: () => served.policy,
    currentMeta: () => served.meta,
    forRequest: check,
    status: async () => {
      const checked = await check();
      if (checked.ok) return { state: "serving", version: served.meta.version, hash: served.meta.hash };
      if (checked.error.kind === "check_failed")
        return { state: "unchecked", version: served.meta.version, reason: checked.error.reason };
      return {
        state: "unavailable",
        version: checked.error.version ?? served.meta.version,
        servedVersion: served.meta.version,
        reason: checked.error.reason,
      };
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      await listening.catch(() => undefined);
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => undefined);
      await chain;
    },
  };
}
