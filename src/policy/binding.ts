import type { Decision } from "../shared/index.ts";
import { restrictedCaseAbility } from "./ability.ts";
import type { CaseAbility } from "./types.ts";

/**
 * Purpose binding (issue 11; Maastricht art. 3, 14, 18; Delft art. 3): a case answers only about
 * whom it is about. Those are the subjects its signal named (or intake resolved), the subjects
 * added later with a motivation or a privacy check, and, within one operation, the subjects an
 * approved hop reached from one of those. Anyone else gets nothing in any mode, whether or not
 * the registries know them: the refusal comes before any upstream call and reads the same.
 */
export interface CaseSubjects {
  /** Subject keys (`persoon:<bsn>`, `onderneming:<kvk>`, `object:<bag id>`, `adres:…`) of the case. */
  readonly named: ReadonlySet<string>;
  /** Subjects reached in this operation through an approved hop, with the hop that reached them. */
  readonly reached: ReadonlyMap<string, string>;
}

/** Id of the decision that refuses a subject the case is not about. */
export const BINDING_RULE = "binding.caseSubjects";
/** Id of the decision that refuses a subject beyond SUBJECT_RATE_MAX within the window. */
export const RATE_RULE = "limits.subjectRate";
/** Id of the decision that refuses a subject beyond LIMIT_MAX_REACHED_SUBJECTS in one operation. */
export const REACH_RULE = "limits.reachedSubjects";
/** Id of the decision that refuses a verification with too many changed values (VERIFY_MAX_CHANGES). */
export const VERIFY_CHANGES_RULE = "limits.verifyChanges";

/**
 * Refusals that look like enumeration, and the flag their denial records carry (`detail.flag`),
 * so that they appear in the privacy officer's queue of flagged events (issue 11 "No enumeration").
 */
export const FLAGGED_RULES: Readonly<Record<string, string>> = Object.freeze({
  [BINDING_RULE]: "notACaseSubject",
  [RATE_RULE]: "subjectRate",
  [REACH_RULE]: "reachedSubjects",
  [VERIFY_CHANGES_RULE]: "verifyChanges",
});

/** The flag of a refusal, if the rule that decided it is one of FLAGGED_RULES. */
export const flagOf = (decision: Pick<Decision, "allowed" | "ruleId">): string | undefined =>
  !decision.allowed && decision.ruleId !== undefined ? FLAGGED_RULES[decision.ruleId] : undefined;

export const NOT_A_CASE_SUBJECT =
  "not a subject of this case: a case answers only about the subjects its signal named, those added to it with addCaseSubject and those reached through an approved hop (Maastricht art. 3, 14, 18; Delft art. 3)";

/** How the subject stands to the case: named, reached through a hop (which), or outside it. */
export function bindingOf(
  subjects: CaseSubjects,
  key: string,
): { readonly bound: true; readonly via?: string | undefined } | { readonly bound: false } {
  if (subjects.named.has(key)) return { bound: true };
  const via = subjects.reached.get(key);
  return via === undefined ? { bound: false } : { bound: true, via };
}

/** Every mode, probe and field refused for a subject the case is not about; case actions unchanged. */
export const unboundAbility = (base: CaseAbility): CaseAbility =>
  restrictedCaseAbility(base, NOT_A_CASE_SUBJECT, BINDING_RULE);
