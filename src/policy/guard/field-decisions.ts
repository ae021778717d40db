import type { Decision } from "../../shared/index.ts";
import type { FieldGrant } from "./registry-guard.ts";

/** The policy's decision of one field path of one source: `CaseAbility.field`. */
export interface FieldPolicy {
  field(source: string, path: string): Decision;
}

/**
 * One case view's memo in one request. Each subject (with the ability it was given) has a slot;
 * per source and path one row holds every slot's decision, so a path is looked up once per
 * request and view, and each subject's decision sits in its own slot of it.
 */
interface ViewMemo {
  readonly subjects: Map<
    string,
    { readonly ability: FieldPolicy; readonly slot: number; readonly grants: Map<string, FieldGrant> }
  >;
  readonly rows: Map<string, Map<string, (Decision | undefined)[]>>;
  slots: number;
}

/**
 * The memos of the requests in flight, keyed by the request's own context object, then by the
 * case view object. This side table holds nothing of its own: an entry is reachable only through
 * its request's context and goes with it, so no decision outlives the request that made it and a
 * change of policy, case, approval or restriction is decided afresh on the next request, even if
 * a case view or a policy set lives longer. (A table here rather than a field of the request
 * context keeps the context's shape as it is.)
 */
const inFlight = new WeakMap<object, WeakMap<object, ViewMemo>>();

/**
 * The grant that decides the field paths of `source` about `subject` in case view `view` for this
 * request, each path asked of the policy once: the guard asks a path at every leaf of every
 * record and alias, and the answer is the same as long as the ability is (within one request it
 * is a pure function of source and path). When the view's ability for the subject changes within
 * the request (an approved hop reached the subject), the subject gets a fresh slot.
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
  let memo = views.get(view);
  if (!memo) views.set(view, (memo = { subjects: new Map(), rows: new Map(), slots: 0 }));
  let entry = memo.subjects.get(subject);
  if (!entry || entry.ability !== ability)
    memo.subjects.set(subject, (entry = { ability, slot: memo.slots++, grants: new Map() }));
  const known = entry.grants.get(source);
  if (known) return known;
  let rows = memo.rows.get(source);
  if (!rows) memo.rows.set(source, (rows = new Map()));
  const grant = slotGrant(ability, source, rows, entry.slot);
  entry.grants.set(source, grant);
  return grant;
}

function slotGrant(
  ability: FieldPolicy,
  source: string,
  rows: Map<string, (Decision | undefined)[]>,
  slot: number,
): FieldGrant {
  return {
    source,
    decide(path) {
      let row = rows.get(path);
      if (row === undefined) rows.set(path, (row = []));
      let decision = row[slot];
      if (decision === undefined) row[slot] = decision = ability.field(source, path);
      return decision;
    },
  };
}
