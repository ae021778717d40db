import type { AuditLog, AuditRecord } from "../audit/index.ts";
import {
  replayDecisions,
  type LoadedPolicySet,
  type PolicyReplay,
  type ReplayCase,
  type ReplayRecord,
} from "../policy/index.ts";
import { auditIdOfKey } from "../shared/index.ts";
import type { Queryable } from "../store/index.ts";
import { caseRepository } from "./case-repository.ts";

const PAGE = 1000;

/** Every record of `kind` in [from, to), in seq order, page by page. */
async function recordsOf(
  audit: Pick<AuditLog, "list">,
  kind: "disclosure" | "denial",
  from: Date,
  to: Date,
): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (;;) {
    const page = await audit.list({ kind, from, to, limit: PAGE, afterSeq: out.at(-1)?.seq });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

/**
 * The cases of these records with their privacy checks and every step of them (the immutable
 * history the approvals in force at any time are rebuilt from). A check's subjects are turned into
 * the audit log's pseudonyms right here, so no subject key reaches the replay.
 */
export async function replayCases(
  db: Queryable,
  caseIds: readonly string[],
  pseudonymise: AuditLog["pseudonymise"],
): Promise<Map<string, ReplayCase>> {
  const out = new Map<string, ReplayCase>();
  for (const id of [...new Set(caseIds)].sort()) {
    const record = await caseRepository.get(db, id);
    if (!record) continue;
    const checks = await caseRepository.checksForCase(db, id);
    out.set(id, {
      id,
      theme: record.theme,
      reference: record.reference,
      checks: await Promise.all(
        checks.map(async (c) => ({
          id: c.id,
          kind: c.kind,
          source: c.source,
          subjectPseudonyms: c.subjects.map((key) => {
            const { subject, subjectType } = auditIdOfKey(key);
            return pseudonymise(subject, subjectType);
          }),
          recipients: c.recipients,
          steps: (await caseRepository.steps(db, c.id)).map((s) => ({
            kind: s.kind,
            at: s.at,
            advice: s.advice,
            fields: s.fields,
            probes: s.probes,
          })),
        })),
      ),
    });
  }
  return out;
}

/**
 * Replays the disclosures and denials recorded in [from, to) under `candidate` (issue 14): reads
 * the audit log and the privacy-check history, and calls nothing upstream.
 */
export async function replayPeriod(deps: {
  readonly db: Queryable;
  readonly audit: Pick<AuditLog, "list" | "pseudonymise">;
  readonly candidate: { readonly ref: string; readonly policy: LoadedPolicySet };
  readonly from: Date;
  readonly to: Date;
  /** The policy that decided records carrying this hash, if it can be had (current, files, versions). */
  readonly policyByHash: (hash: string) => Promise<LoadedPolicySet | undefined>;
}): Promise<PolicyReplay> {
  const records = [
    ...(await recordsOf(deps.audit, "disclosure", deps.from, deps.to)),
    ...(await recordsOf(deps.audit, "denial", deps.from, deps.to)),
  ].sort((a, b) => a.seq - b.seq);
  const cases = await replayCases(
    deps.db,
    records.flatMap((r) => (r.caseId ? [r.caseId] : [])),
    deps.audit.pseudonymise,
  );
  const deciding = new Map<string, LoadedPolicySet | undefined>();
  for (const hash of new Set(records.map((r) => r.policyHash)))
    deciding.set(hash, await deps.policyByHash(hash));
  return replayDecisions({
    candidate: deps.candidate,
    period: { from: deps.from, to: deps.to },
    records: records as readonly ReplayRecord[],
    cases,
    policyByHash: (hash) => deciding.get(hash),
  });
}
