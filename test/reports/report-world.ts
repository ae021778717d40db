import { createAuditLog, type AuditLog } from "../../src/audit/index.ts";
import type { OperationContext } from "../../src/context/index.ts";
import { loadPolicySet, themeDatasetRef, type LoadedPolicySet } from "../../src/policy/index.ts";
import type { Actor, Clock, Result, Role } from "../../src/shared/index.ts";
import type { Db } from "../../src/store/index.ts";
import { createTestDb } from "../utils/test-db.ts";

/** A clock the test sets to a moment; each reading advances it one second, so steps stay ordered. */
export interface SettableClock extends Clock {
  set(iso: string): void;
}

export function settableClock(start = "2025-01-01T09:00:00Z"): SettableClock {
  let next = Date.parse(start);
  return {
    now: () => {
      const at = new Date(next);
      next += 1000;
      return at;
    },
    set: (iso) => {
      next = Date.parse(iso);
    },
  };
}

export const actor = (subject: string, role: Role): Actor => ({
  subject,
  roles: [role],
  amr: [],
  issuer: "test",
});

export interface ReportWorld {
  readonly db: Db;
  readonly policy: LoadedPolicySet;
  readonly audit: AuditLog;
  readonly clock: SettableClock;
  /** An operation context for `who`; `policyHash` pretends another policy version decided. */
  ctx(who: Actor, options?: { policyHash?: string }): OperationContext;
  close(): Promise<void>;
}

/**
 * The case and check use cases over a migrated database (a fresh test database unless `db` is
 * given), with a clock the test drives and sequential ids (`id-0001`, …), so runs are repeatable.
 * `protocolFile` picks the protocol (and its disclosure rules) as `loadPolicySet` does.
 */
export async function createReportWorld(
  options: { db?: Db; protocolFile?: string } = {},
): Promise<ReportWorld> {
  const db = options.db ?? (await createTestDb());
  const loaded = await loadPolicySet("policies", { protocolFile: options.protocolFile });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const policy = loaded.value;
  const clock = settableClock();
  const audit = createAuditLog({ db, hmacKey: "report-test-hmac-key-0123456789abcdef", clock });
  let ids = 0;
  const newId = () => `id-${String(++ids).padStart(4, "0")}`;
  const ctx = (who: Actor, options: { policyHash?: string } = {}): OperationContext => ({
    actor: who,
    traceId: "0af7651916cd43dd8448eb211c80319c",
    policy: options.policyHash ? { ...policy, hash: options.policyHash } : policy,
    db,
    audit,
    clock,
    newId,
  });
  return {
    db,
    policy,
    audit,
    clock,
    ctx,
    close: () => db.close(),
  };
}

/**
 * What a check approved by the dataset of `theme` records (`hennepteelt@2026-1 (sha256:…)`),
 * computed from the loaded theme file so a changed file changes the expectation with it.
 */
export function datasetRef(policy: LoadedPolicySet, theme: string): string {
  const ds = policy.themes.find((t) => t.theme === theme);
  if (!ds) throw new Error(`no theme dataset ${theme} in the loaded policy`);
  return themeDatasetRef(ds);
}

/** The value of a use case's result; fails the test with the error otherwise. */
export function must<T>(r: Result<T, unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}
