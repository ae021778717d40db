import { auditedTransaction, type OperationContext } from "../context/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import type { SubjectAccessReport } from "./access-report-types.ts";
import { gatherAccess } from "./access-report.ts";
import { actorMay, AUDIT_FAILED, badInput, bsnInput, rightsAudit } from "./rights-access.ts";
import { DEFERRAL_GROUNDS, type RightsError, type WithholdingRecord } from "./rights-record.ts";
import { rightsRepository } from "./rights-repository.ts";

/**
 * The access report for a person (GDPR art. 15; Maastricht art. 11; Delft art. 11), for a role
 * granted `subject.access` (Juridische Zaken). Everything is written in one transaction before the
 * report leaves (no log, no report): the access record (kind `rights`, the person pseudonymised),
 * the report's header, and for every case withheld under GDPR art. 23 an internal withholding
 * record with its ground plus an audit record of the withholding.
 *
 * The report does not say that anything was withheld. Informing is deferred because the person
 * must not learn of the processing yet (Maastricht art. 12.5; Delft art. 10d: it would disturb the
 * investigation); a note that something is withheld would tell them exactly that, and GDPR art.
 * 23(2)(h) lets the controller leave out information about a restriction that would be prejudicial
 * to its purpose. The withholding is accountable instead: internally, with its ground, and in the
 * audit log.
 */
export async function subjectAccessReportFor(
  ctx: OperationContext,
  bsnText: string,
): Promise<Result<SubjectAccessReport, RightsError>> {
  const operation = "rights.access";
  const may = await actorMay(ctx, "subject.access", operation, { bsn: bsnText.trim() });
  if (!may.ok) return may;
  const bsn = bsnInput(bsnText);
  if (!bsn.ok) return bsn;
  const id = ctx.newId();
  const now = ctx.clock.now();
  const pseudonym = ctx.audit.pseudonymise(bsn.value, "bsn");
  const written = await auditedTransaction(ctx, async (tx) => {
    const gathered = await gatherAccess(tx, { bsn: bsn.value, pseudonym, protocol: ctx.policy.protocol });
    const report: SubjectAccessReport = {
      id,
      generatedAt: now.toISOString(),
      bsn: bsn.value,
      protocolId: ctx.policy.protocol.id,
      cases: gathered.cases,
    };
    await rightsRepository.insertAccessReport(tx, {
      id,
      requestedBy: ctx.actor.subject,
      generatedAt: now,
      cases: report.cases.length,
    });
    const withheld = gathered.withheld.map(({ record, deferral }) => ({
      record,
      row: {
        reportId: id,
        caseId: record.id,
        deferralId: deferral.id,
        subjectKey: deferral.subjectKey,
        ground: deferral.ground,
        at: now,
        destroyed: false,
      } satisfies WithholdingRecord,
    }));
    for (const w of withheld) await rightsRepository.insertWithholding(tx, w.row);
    const access = rightsAudit(ctx, {
      operation,
      bsn: bsn.value,
      decision: may.value,
      detail: { reportId: id, cases: report.cases.length },
    });
    const withholdings = withheld.map(({ record, row }) =>
      rightsAudit(ctx, {
        record,
        operation: "rights.access.withhold",
        bsn: bsn.value,
        decision: "allow",
        reason: `withheld from access report ${id}: informing the subject is deferred by ${row.deferralId} on ${DEFERRAL_GROUNDS[row.ground]}`,
        detail: { reportId: id, deferralId: row.deferralId, ground: row.ground },
      }),
    );
    return { value: report, audit: [access, ...withholdings] };
  });
  if (!written.ok) return err(AUDIT_FAILED);
  if (!written.value) return badInput("The report could not be made.");
  return ok(written.value);
}

/**
 * The internal record of what an access report withheld (GDPR art. 23), for the role that made
 * such reports. Never part of the report given to the subject.
 */
export async function accessReportWithholdings(
  ctx: OperationContext,
  reportId: string,
): Promise<Result<readonly WithholdingRecord[], RightsError>> {
  const may = await actorMay(ctx, "subject.access", "rights.access.withholdings", { detail: { reportId } });
  if (!may.ok) return may;
  if (!(await rightsRepository.accessReportExists(ctx.db, reportId)))
    return err({ kind: "not_found", message: "Access report not found." });
  return ok(await rightsRepository.withholdings(ctx.db, reportId));
}
