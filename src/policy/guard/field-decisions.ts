import type { Decision } from "../../shared/index.ts";
import type { FieldGrant } from "./registry-guard.ts";

/** The policy's decision of one field path of one source: `CaseAbility.field`. */
export interface FieldPolicy {
  field(source: string, path: string): Decision;
}

/** One subject's memo in one case view: the ability it was made for, and a grant per source. */
interface SubjectMemo {
  readonly ability: FieldPolicy;
  readonly grants: Map<string, FieldGrant>;
}

/**
 * The memos of the requests in flight, keyed by the request's own context object, then by the
 * case view object. This side table holds nothing of its own: an entry is reachable only through
 * its request's context and goes with it, so no decision outlives the request that made it and a
 * change of policy, case, approval or restriction is decided afresh on the next request, even if
 * a case view or a policy set lives longer. (A table here rather than a field of the request
 * context keeps the context's shape as it is.)
 */
const inFlight = new WeakMap<object, WeakMap<object, Map<string, SubjectMemo>>>();

/**
 * The grant that decides the field paths of `source` about `subject` in case view `view` for this
 * request, each path asked of the policy once: the guard asks a path at every leaf of every
 * record and alias, and the answer is the same as long as the ability is (within one request it
 * is a pure function of source and path). When the view's ability for the subject changes within
 * the request (an approved hop reached the subject), the memo starts afresh for the new ability.
 */
export function requestFieldGrant(
  request: object,
  view: object,
  subject: string,
  source: string,
  ability: FieldPolicy,
): FieldGrant {
  let views = inFlight.get(request);
  if (!views) inFlight.set(request, (views = new WeakMap()));
  let subjects = views.get(view);
  if (!subjects) views.set(view, (subjects = new Map()));
  let memo = subjects.get(subject);
  if (!memo || memo.ability !== ability) subjects.set(subject, (memo = { ability, grants: new Map() }));
  const known = memo.grants.get(source);
  if (known) return known;
  const grant = memoisedGrant(ability, source);
  memo.grants.set(source, grant);
  return grant;
}

/** A grant that asks `ability` once per path. */
export function memoisedGrant(ability: FieldPolicy, source: string): FieldGrant {
  const decided = new Map<string, Decision>();
  return {
    source,
    decide(path) {
      let decision = decided.get(path);
      if (decision === undefined) {
        decision = ability.field(source, path);
        decided.set(path, decision);
      }
      return decision;
    },
  };
}
