import type { OperationContext } from "../context/index.ts";
import { ok, type Result } from "../shared/index.ts";
import { caseForRecording } from "./rights-access.ts";
import type { DeferralRecord, InformingRecord, RightsError, SubjectRequestRecord } from "./rights-record.ts";
import { rightsRepository } from "./rights-repository.ts";

/** Everything recorded about the subjects' rights on one case. */
export interface CaseSubjectRights {
  readonly caseId: string;
  readonly informing: readonly InformingRecord[];
  readonly deferrals: readonly DeferralRecord[];
  readonly requests: readonly SubjectRequestRecord[];
}

/** The rights records of a case, for a role that records them (`subject.record`). */
export async function caseSubjectRights(
  ctx: OperationContext,
  caseId: string,
): Promise<Result<CaseSubjectRights, RightsError>> {
  const loaded = await caseForRecording(ctx, caseId, "rights.read", "read");
  if (!loaded.ok) return loaded;
  const scope = { caseIds: [loaded.value.visible.record.id] };
  return ok({
    caseId: loaded.value.visible.record.id,
    informing: await rightsRepository.informing(ctx.db, scope),
    deferrals: await rightsRepository.deferrals(ctx.db, scope),
    requests: await rightsRepository.requests(ctx.db, scope),
  });
}
