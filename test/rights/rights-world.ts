import { advisePrivacyCheck, openCase, requestPrivacyCheck } from "../../src/cases/index.ts";
import { moveCase } from "../utils/weighing.ts";
import type { AuditEntry } from "../../src/audit/index.ts";
import { RETENTION_RUN_SETTING } from "../../src/retention/index.ts";
import type { Queryable } from "../../src/store/index.ts";
import { actor, createReportWorld, must, type ReportWorld } from "../reports/report-world.ts";

/** Two persons of the synthetic municipality; both pass the 11-check. */
export const PERSON = "999993653";
export const OTHER = "999992077";

export const analyst = actor("analist.jansen", "analyst");
export const officer = actor("privacy.officer", "privacy_officer");
export const legal = actor("jurist", "legal");

export interface RightsWorld extends ReportWorld {
  /** A case of the analyst moved to `phase`, with an approved check naming `persons`. */
  caseWith(
    reference: string,
    phase: "bronnenonderzoek" | "regie",
    persons: readonly string[],
  ): Promise<string>;
  /** What the gateway writes when it releases hits (or refuses them) about a person in a case. */
  disclosed(caseId: string, bsn: string, extra?: Partial<AuditEntry>): Promise<void>;
}

export async function createRightsWorld(): Promise<RightsWorld> {
  const w = await createReportWorld();
  return {
    ...w,
    async caseWith(reference, phase, persons) {
      const caseId = must(await openCase(w.ctx(analyst), { reference, motivation: "A signal." })).id;
      for (const to of ["weging", "bronnenonderzoek", "regie"]) {
        must(await moveCase(w.ctx(analyst), caseId, to, "Next phase."));
        if (to === phase) break;
      }
      const check = must(
        await requestPrivacyCheck(w.ctx(analyst), {
          caseId,
          kind: phase === "regie" ? "2a" : "1",
          source: "brp",
          fields: phase === "regie" ? ["naam"] : [],
          probes: phase === "regie" ? [] : ["brp.ingeschreven"],
          subjects: persons.map((p) => `persoon:${p}`),
          motivation: "Needed for this case.",
        }),
      );
      must(
        await advisePrivacyCheck(w.ctx(officer), {
          id: check.id,
          advice: "GO",
          motivation: "Proportionate.",
        }),
      );
      return caseId;
    },
    async disclosed(caseId, bsn, extra = {}) {
      const logged = await w.audit.append([
        {
          kind: "disclosure",
          actor: "analist.jansen",
          roles: ["analyst"],
          caseId,
          phase: "bronnenonderzoek",
          processingActivity: "ondermijning.bronnenonderzoek",
          operation: "brp.hits",
          source: "brp",
          subject: bsn,
          subjectType: "bsn",
          probes: ["brp.ingeschreven"],
          mode: "hit",
          decision: "allow",
          reason: "rule brp.bronnenonderzoek.analyst",
          policyHash: w.policy.hash,
          traceId: "0af7651916cd43dd8448eb211c80319c",
          detail: { results: { "brp.ingeschreven": "HIT" } },
          ...extra,
        },
      ]);
      if (!logged.ok) throw new Error(logged.error.reason);
    },
  };
}

/** Runs `fn` inside a transaction marked as a retention purge, as src/retention/purge.ts does. */
export function inPurge<T>(w: ReportWorld, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return w.db.transaction(async (tx) => {
    await tx.query("SELECT set_config($1, $2, true)", [RETENTION_RUN_SETTING, "test-run"]);
    return fn(tx);
  });
}

/** Every row of every rights table as JSON text, for searching what is left. */
export async function rightsRows(db: Queryable, caseId?: string): Promise<string[]> {
  const out: string[] = [];
  for (const table of [
    "subject_informing",
    "subject_informing_deferrals",
    "subject_requests",
    "subject_access_withholdings",
  ]) {
    const rows = await db.query<{ row: unknown }>(
      `SELECT to_jsonb(t)::text AS row FROM ${table} t ${caseId ? "WHERE case_id = $1" : ""}`,
      caseId ? [caseId] : [],
    );
    out.push(...rows.map((r) => String(r.row)));
  }
  const reports = await db.query<{ row: unknown }>(
    "SELECT to_jsonb(t)::text AS row FROM subject_access_reports t",
  );
  return [...out, ...reports.map((r) => String(r.row))];
}
