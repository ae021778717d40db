import type { AuditEntry } from "../audit/index.ts";
import { hitsDetail, screenText, specialCategoryMessage, type LoadedPolicySet } from "../policy/index.ts";
import { err, freeText, ok, type Result } from "../shared/index.ts";
import type { CaseError } from "./case-record.ts";

/** The audit fields of the case being opened (`auditBase`). */
type AuditBase = Omit<AuditEntry, "kind" | "operation" | "decision" | "reason" | "detail">;

/** The operation of the audit record a confirmed-anonymised signal text writes. */
export const ANONYMISED_CONFIRMED = "case.open.anonymised_confirmed";

const bad = (message: string) => err<CaseError>({ kind: "bad_input", message });

/**
 * Screens a signal text before it is stored (Maastricht art. 6.4: special personal data are not
 * registered; a signal that carries them is anonymised; GDPR art. 9(1), 10). A text with a hit
 * is refused naming category and span, unless the analyst confirms with `anonymised: true` and a
 * motivation that the text was reviewed; then the confirmation is audited with the categories and
 * spans, never the words. Returns the audit records to write with the case (none or one).
 */
export function screenSignal(
  policy: Pick<LoadedPolicySet, "specialCategories">,
  input: {
    readonly motivation: string;
    readonly anonymised?: boolean | null | undefined;
    readonly anonymisedMotivation?: string | null | undefined;
  },
): Result<((base: AuditBase) => AuditEntry)[], CaseError> {
  const confirmation = input.anonymisedMotivation?.trim() ?? "";
  if (input.anonymised !== true) {
    if (confirmation !== "") return bad("anonymisedMotivation: only together with anonymised: true.");
    const hits = screenText(policy, input.motivation);
    return hits.length > 0 ? bad(specialCategoryMessage(policy, "motivation", hits)) : ok([]);
  }
  if (confirmation.length < 3)
    return bad("anonymisedMotivation: required with anonymised: true (at least 3 characters).");
  if (confirmation.length > 1000) return bad("anonymisedMotivation: at most 1000 characters.");
  const text = freeText(confirmation, "anonymisedMotivation");
  if (!text.ok) return bad(text.error.message);
  // The confirmation is stored in the audit log, so it must not carry special data itself.
  const own = screenText(policy, confirmation);
  if (own.length > 0)
    return bad(
      specialCategoryMessage(
        policy,
        "anonymisedMotivation",
        own,
        "the confirmation says how the text was reviewed without naming such data",
      ),
    );
  const hits = hitsDetail(screenText(policy, input.motivation));
  return ok([
    (base) => ({
      ...base,
      kind: "case",
      operation: ANONYMISED_CONFIRMED,
      decision: "allow",
      reason: confirmation,
      detail: { argument: "motivation", hits, categories: [...new Set(hits.map((h) => h.category))] },
    }),
  ]);
}
