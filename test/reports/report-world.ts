import { createAuditLog, type AuditLog } from "../../src/audit/index.ts";
import { caseRepository, type CheckKind, type PrivacyCheckRecord } from "../../src/cases/index.ts";
import type { OperationContext } from "../../src/context/index.ts";
import { loadPolicySet, type LoadedPolicySet } from "../../src/policy/index.ts";
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
  /** A theme-approved check 1 (status approved, a `theme_approved` step), written directly. */
  themeApprovedCheck(input: {
    caseId: string;
    dataset: string;
    probes: string[];
    subjects: string[];
    motivation: string;
    by: string;
  }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The case and check use cases over a migrated database (a fresh test database unless `db` is
 * given), with a clock the test drives and sequential ids (`id-0001`, …), so runs are repeatable.
 */
export async function createReportWorld(options: { db?: Db } = {}): Promise<ReportWorld> {
  const db = options.db ?? (await createTestDb());
  const loaded = await loadPolicySet("policies");
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
    themeApprovedCheck: async (input) => {
      const at = clock.now();
      const check: PrivacyCheckRecord = {
        id: newId(),
        caseId: input.caseId,
        kind: "1" satisfies CheckKind,
        source: "brp",
        requestedFields: [],
        requestedProbes: input.probes,
        motivation: input.motivation,
        requestedBy: input.by,
        requestedAt: at,
        status: "approved",
        approvedFields: [],
        approvedProbes: input.probes,
        subjects: input.subjects,
        recipients: [],
        themeDataset: input.dataset,
        version: 1,
      };
      const step = { checkId: check.id, actor: input.by, at, fields: [], probes: input.probes };
      // theme approval: replace by requestPrivacyCheck once wired
      await db.transaction(async (tx) => {
        await caseRepository.insertCheck(tx, check);
        await caseRepository.appendStep(tx, {
          ...step,
          kind: "requested",
          advice: null,
          motivation: input.motivation,
          deviation: false,
        });
        await caseRepository.appendStep(tx, {
          ...step,
          kind: "theme_approved",
          advice: null,
          motivation: `theme dataset ${input.dataset}`,
          deviation: false,
        });
      });
      return check.id;
    },
    close: () => db.close(),
  };
}

/** The value of a use case's result; fails the test with the error otherwise. */
export function must<T>(r: Result<T, unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}
