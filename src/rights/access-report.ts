import { caseRepository, type CaseRecord, type PrivacyCheckRecord } from "../cases/index.ts";
import type { Protocol } from "../policy/index.ts";
import { asIso, asStrings, type Queryable, type Row } from "../store/index.ts";
import { retentionEnd, retentionEndText } from "./retention-end.ts";
import type { AccessCase, AccessProcessing } from "./access-report-types.ts";
import type { DeferralRecord } from "./rights-record.ts";
import { rightsRepository } from "./rights-repository.ts";

const unique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

const RECIPIENT: Record<string, string> = {
  analyst: "the case's analyst (RO/AVO)",
  department_member: "a municipal department named by a privacy check",
  application: "a municipal application",
};
const recipientOf = (roles: readonly string[]): string =>
  roles.map((r) => RECIPIENT[r] ?? r).join(", ") || "unknown";

/** Checks whose approval unlocked something at some time. */
const EVER_APPROVED = new Set<PrivacyCheckRecord["status"]>([
  "approved",
  "partially_approved",
  "revoked",
  "lapsed",
]);

function toProcessing(r: Row): AccessProcessing {
  const detail = (r.detail ?? {}) as { results?: Record<string, string> };
  const outcome = r.kind === "denial" ? "refused" : r.decision === "error" ? "no_answer" : "released";
  return {
    at: asIso(r.at),
    phase: r.phase === null ? null : String(r.phase),
    purpose: String(r.processing_activity ?? ""),
    source: r.source === null ? null : String(r.source),
    operation: String(r.operation ?? ""),
    mode: r.mode === null ? null : String(r.mode),
    outcome,
    probes: asStrings(r.probes).map((probe) => ({
      probe,
      result: outcome === "released" ? (detail.results?.[probe] ?? null) : null,
    })),
    fields: asStrings(r.fields),
    recipient: recipientOf(asStrings(r.roles)),
  };
}

export interface GatherInput {
  readonly bsn: string;
  /** The person's pseudonym in the audit log (`audit.pseudonymise(bsn, "bsn")`). */
  readonly pseudonym: string;
  readonly protocol: Protocol;
}

export interface Gathered {
  readonly cases: readonly AccessCase[];
  /** Cases left out: a deferral of informing is in force for the person (GDPR art. 23). */
  readonly withheld: readonly { readonly record: CaseRecord; readonly deferral: DeferralRecord }[];
}

/** The cases the person occurs in: audit log (pseudonym), privacy checks, rights records. */
async function caseIdsOf(db: Queryable, key: string, pseudonym: string): Promise<string[]> {
  const rows = await db.query<{ case_id: string }>(
    `SELECT case_id FROM audit_log
      WHERE subject_pseudonym = $1 AND kind IN ('disclosure', 'denial') AND case_id IS NOT NULL
     UNION SELECT case_id FROM privacy_checks WHERE subjects @> $2::jsonb
     UNION SELECT case_id FROM subject_informing WHERE subject_key = $3
     UNION SELECT case_id FROM subject_informing_deferrals WHERE subject_key = $3
     UNION SELECT case_id FROM subject_requests WHERE subject_key = $3`,
    [pseudonym, JSON.stringify([key]), key],
  );
  return rows.map((r) => r.case_id);
}

async function accessCase(db: Queryable, input: GatherInput, record: CaseRecord): Promise<AccessCase> {
  const key = `persoon:${input.bsn}`;
  const scope = { caseIds: [record.id], subjectKey: key };
  const audited = await db.query<Row>(
    `SELECT kind, at, phase, processing_activity, operation, source, probes, fields, mode, decision, roles, detail
       FROM audit_log
      WHERE case_id = $1 AND subject_pseudonym = $2 AND kind IN ('disclosure', 'denial') ORDER BY seq`,
    [record.id, input.pseudonym],
  );
  const processing = audited.map(toProcessing);
  const checks = (await caseRepository.checksForCase(db, record.id)).filter(
    (c) => c.subjects.includes(key) || (c.subjects.length === 0 && EVER_APPROVED.has(c.status)),
  );
  const decided = await db.query<{ check_id: string; at: unknown }>(
    `SELECT check_id, max(at) AS at FROM privacy_check_steps
      WHERE check_id = ANY($1::text[]) AND kind IN ('advised', 'decided', 'theme_approved') GROUP BY check_id`,
    [checks.map((c) => c.id)],
  );
  const decidedAt = new Map(decided.map((d) => [d.check_id, asIso(d.at)]));
  const events = await caseRepository.events(db, record.id);
  const informed = await rightsRepository.informing(db, scope);
  const requests = await rightsRepository.requests(db, scope);
  const sharedWith = checks
    .filter((c) => c.subjects.includes(key) && EVER_APPROVED.has(c.status))
    .flatMap((c) => c.recipients);
  return {
    caseId: record.id,
    reference: record.reference,
    theme: record.theme,
    status: record.status,
    phase: record.phase,
    outcome: record.outcome,
    openedAt: record.openedAt.toISOString(),
    closedAt: record.closedAt?.toISOString() ?? null,
    phases: events.flatMap((e) => (e.toPhase ? [{ phase: e.toPhase, enteredAt: e.at.toISOString() }] : [])),
    retentionEnd: retentionEndText(retentionEnd(input.protocol, record)),
    purposes: unique(processing.map((p) => p.purpose).filter((p) => p !== "")),
    sources: unique(
      processing.filter((p) => p.outcome !== "refused").flatMap((p) => (p.source ? [p.source] : [])),
    ),
    processing,
    recipients: unique([
      ...processing.filter((p) => p.outcome === "released").map((p) => p.recipient),
      ...sharedWith.map((d) => `department ${d}`),
    ]),
    privacyChecks: checks.map((c) => ({
      kind: c.kind,
      source: c.source,
      status: c.status,
      requestedAt: c.requestedAt.toISOString(),
      decidedAt: decidedAt.get(c.id) ?? null,
      approvedFields: c.approvedFields,
      approvedProbes: c.approvedProbes,
      recipients: c.recipients,
      namesSubject: c.subjects.includes(key),
    })),
    informed: informed.map((i) => ({ informedAt: i.informedAt.toISOString(), method: i.method })),
    requests: requests.map((r) => ({
      kind: r.kind,
      receivedAt: r.receivedAt.toISOString(),
      decision: r.decision,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      liftedAt: r.liftedAt?.toISOString() ?? null,
    })),
  };
}

/**
 * Everything the report holds about the person, and the cases it must leave out: those with a
 * deferral of informing in force (GDPR art. 23; Maastricht art. 12.5; Delft art. 10d). Read-only.
 */
export async function gatherAccess(db: Queryable, input: GatherInput): Promise<Gathered> {
  const key = `persoon:${input.bsn}`;
  const records = (await caseRepository.getMany(db, await caseIdsOf(db, key, input.pseudonym))).sort(
    (a, b) => a.openedAt.getTime() - b.openedAt.getTime() || (a.id < b.id ? -1 : 1),
  );
  const active = (
    await rightsRepository.deferrals(db, { caseIds: records.map((r) => r.id), subjectKey: key })
  ).filter((d) => d.endedAt === null && !d.destroyed);
  const cases: AccessCase[] = [];
  const withheld: Gathered["withheld"][number][] = [];
  for (const record of records) {
    const deferral = active.find((d) => d.caseId === record.id);
    if (deferral) withheld.push({ record, deferral });
    else cases.push(await accessCase(db, input, record));
  }
  return { cases, withheld };
}
