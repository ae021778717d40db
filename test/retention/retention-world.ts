import type { AuditEntry } from "../../src/audit/index.ts";
import {
  advisePrivacyCheck,
  closeCase,
  openCase,
  requestPrivacyCheck,
  type CheckKind,
} from "../../src/cases/index.ts";
import { moveCase } from "../utils/weighing.ts";
import type { Protocol } from "../../src/policy/index.ts";
import { purge, type PurgeOptions, type PurgeReport } from "../../src/retention/index.ts";
import type { Db, Queryable } from "../../src/store/index.ts";
import { actor, createReportWorld, must, type ReportWorld } from "../reports/report-world.ts";

/**
 * Cases scripted through the real use cases (open, move, request and advise privacy checks,
 * close), with disclosures and denials in the audit log as the disclosure layer writes them, on a
 * clock the test drives; and ways to look at everything the database holds afterwards.
 */

export const ANALYST = actor("analist.jansen", "analyst");
export const OFFICER = actor("po.dewit", "privacy_officer");

/** Valid BSNs (11-check) that appear nowhere else: 8 digits from a counter plus the check digit. */
export function bsnSource(start: number): () => string {
  let n = start;
  return () => {
    for (;;) {
      const digits = String(n++).padStart(8, "0");
      let sum = 0;
      for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
      const check = sum % 11;
      if (check < 10) return `${digits}${check}`;
    }
  };
}

export interface ScriptedCase {
  readonly id: string;
  readonly reference: string;
  /** Undefined: the case is left open. */
  readonly outcome: string | undefined;
  /** Subjects only this case names. */
  readonly bsn: string;
  readonly kvk: string;
  /** A subject this case shares with others. */
  readonly shared: string;
  /** A marker in the signal text and every motivation, found nowhere else. */
  readonly signal: string;
  readonly closedAt: Date | undefined;
}

/** The phase the case must reach: the furthest phase the outcome may close from (or `stopAt`). */
function pathTo(protocol: Protocol, target: string): string[] {
  const order = protocol.phases.map((p) => p.id);
  const path = [protocol.initialPhase];
  while (path.at(-1) !== target) {
    const here = path.at(-1)!;
    const next = order.find(
      (p) =>
        order.indexOf(p) > order.indexOf(here) &&
        protocol.transitions.some((t) => t.from === here && t.to === p),
    );
    if (!next) throw new Error(`no forward path from ${here} to ${target}`);
    path.push(next);
  }
  return path;
}

export interface RetentionWorld extends ReportWorld {
  /** Opens a case, walks it to its outcome's phase with checks and disclosures on the way, closes it. */
  script(input: {
    reference: string;
    outcome?: string;
    /** With no outcome: the phase to leave the case open in. */
    stopAt?: string;
    bsn: string;
    kvk: string;
    shared: string;
  }): Promise<ScriptedCase>;
  /** One purge run at `iso` (the clock's next reading). */
  purgeAt(iso: string | Date, options?: Partial<PurgeOptions>): Promise<PurgeReport>;
}

export async function createRetentionWorld(options: { db?: Db; protocolFile?: string } = {}) {
  const w = await createReportWorld(options);
  const protocol = w.policy.protocol;

  const disclose = async (caseId: string, phase: string, subjects: [string, AuditEntry["subjectType"]][]) => {
    const base = {
      actor: ANALYST.subject,
      roles: ANALYST.roles,
      caseId,
      phase,
      processingActivity: `ondermijning.${phase}`,
      source: "brp",
      policyHash: w.policy.hash,
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
    };
    const entries: AuditEntry[] = subjects.flatMap(([subject, subjectType]) => [
      {
        ...base,
        kind: "disclosure",
        operation: "brp.hits",
        subject,
        subjectType,
        probes: ["brp.ingeschreven"],
        mode: "hit",
        decision: "allow",
        reason: "hit / no hit after privacy check 1",
        detail: { results: { "brp.ingeschreven": "HIT" } },
      },
      {
        ...base,
        kind: "denial",
        operation: "brp.fields",
        subject,
        subjectType,
        fields: ["naam.geslachtsnaam"],
        mode: "none",
        decision: "deny",
        reason: "no rule grants this field in this phase",
      },
    ]);
    must(await w.audit.append(entries));
  };

  const check = async (caseId: string, kind: CheckKind, subjects: string[], signal: string) => {
    const requested = must(
      await requestPrivacyCheck(w.ctx(ANALYST), {
        caseId,
        kind,
        source: "brp",
        fields: kind === "1" ? [] : ["naam"],
        probes: kind === "1" ? ["brp.ingeschreven"] : [],
        subjects: subjects.map((s) => `persoon:${s}`),
        motivation: `${signal}: check ${kind} for the subjects it names.`,
      }),
    );
    must(
      await advisePrivacyCheck(w.ctx(OFFICER), {
        id: requested.id,
        advice: "GO",
        motivation: `${signal}: proportionate for the first subject.`,
      }),
    );
  };

  const script: RetentionWorld["script"] = async (input) => {
    const signal = `SIGNAL-${input.reference}`;
    const outcome = input.outcome ? protocol.outcomes.find((o) => o.id === input.outcome) : undefined;
    if (input.outcome && !outcome) throw new Error(`no outcome ${input.outcome}`);
    const order = protocol.phases.map((p) => p.id);
    const target =
      outcome?.fromPhases.reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a)) ??
      input.stopAt ??
      protocol.initialPhase;
    const opened = must(
      await openCase(w.ctx(ANALYST), {
        reference: input.reference,
        // A theme without a dataset (policies/themes/), so every check is advised under both protocols.
        theme: "woonfraude",
        substitute: "analist.devries",
        // Free text refuses a BSN (src/shared/free-text.ts); a name is what a signal text still holds.
        motivation: `${signal}: BSN holder P. de Vries runs a bar for KvK ${input.kvk}, seen with a neighbour.`,
        // The reporter, stored apart (Maastricht art. 6.1); the purge must destroy it with the case.
        reporter: { name: `${signal} reporter`, contact: `${signal.toLowerCase()}@melder.example` },
      }),
    );
    const done = new Set<CheckKind>();
    for (const [i, phase] of pathTo(protocol, target).entries()) {
      if (i > 0)
        must(await moveCase(w.ctx(ANALYST), opened.id, phase, `${signal}: on to ${phase} for P. de Vries.`));
      await disclose(opened.id, phase, [
        [input.bsn, "bsn"],
        [input.shared, "bsn"],
        [input.kvk, "kvkNummer"],
      ]);
      for (const def of protocol.checks)
        if (def.kind !== "2b" && !done.has(def.kind) && def.phases.includes(phase)) {
          await check(opened.id, def.kind, [input.bsn, input.shared], signal);
          done.add(def.kind);
        }
    }
    const closed = input.outcome
      ? must(
          await closeCase(
            w.ctx(ANALYST),
            opened.id,
            input.outcome,
            `${signal}: closed for P. de Vries.`,
            // An outcome that hands the signal over names where it went; the purge must blank it.
            protocol.outcomes.find((o) => o.id === input.outcome)?.exit
              ? {
                  receiverKind: "partner",
                  receiver: "Politie Limburg",
                  handedOver: [`${signal}: the signal`],
                }
              : undefined,
          ),
        )
      : undefined;
    return {
      id: opened.id,
      reference: input.reference,
      outcome: input.outcome,
      bsn: input.bsn,
      kvk: input.kvk,
      shared: input.shared,
      signal,
      closedAt: closed?.closedAt ?? undefined,
    };
  };

  const purgeAt: RetentionWorld["purgeAt"] = async (iso, more = {}) => {
    w.clock.set(typeof iso === "string" ? iso : iso.toISOString());
    return purge({
      db: w.db,
      audit: w.audit,
      policy: w.policy,
      clock: w.clock,
      newId: w.ctx(ANALYST).newId,
      ...more,
    });
  };

  return { ...w, script, purgeAt } satisfies RetentionWorld;
}

/** Every row of every table of the database, as JSON text, one line per row. */
export async function dumpDatabase(db: Queryable): Promise<string> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const lines: string[] = [];
  for (const { name } of tables) {
    const rows = await db.query<{ j: string }>(`SELECT to_jsonb(t)::text AS j FROM "${name}" t`);
    for (const row of rows) lines.push(`${name}: ${row.j}`);
  }
  return lines.join("\n");
}

/** Every row that concerns one case, per table, as JSON text (to compare before and after). */
export async function caseRows(db: Queryable, caseId: string): Promise<Record<string, string[]>> {
  const rows = async (sql: string) => (await db.query<{ j: string }>(sql, [caseId])).map((r) => r.j);
  return {
    cases: await rows("SELECT to_jsonb(t)::text AS j FROM cases t WHERE id = $1"),
    case_events: await rows(
      "SELECT to_jsonb(t)::text AS j FROM case_events t WHERE case_id = $1 ORDER BY seq",
    ),
    privacy_checks: await rows(
      "SELECT to_jsonb(t)::text AS j FROM privacy_checks t WHERE case_id = $1 ORDER BY id",
    ),
    privacy_check_steps: await rows(
      `SELECT to_jsonb(s)::text AS j FROM privacy_check_steps s
        WHERE check_id IN (SELECT id FROM privacy_checks WHERE case_id = $1) ORDER BY seq`,
    ),
    audit_log: await rows("SELECT to_jsonb(t)::text AS j FROM audit_log t WHERE case_id = $1 ORDER BY seq"),
    destruction_records: await rows(
      "SELECT to_jsonb(t)::text AS j FROM destruction_records t WHERE case_id = $1",
    ),
  };
}
