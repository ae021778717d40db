import type { OperationContext } from "../context/index.ts";
import type { Db } from "../store/index.ts";
import { caseRepository, type CaseView } from "./case-repository.ts";
import type { CaseRecord } from "./case-record.ts";

/**
 * The case view of this operation (issue 15): read once, in one statement, and shared by everyone
 * who asks within the operation — the case access, the abilities and restrictions, the read
 * audit's phase. Kept on the operation's own context (`caseViews`, made per GraphQL request); across
 * requests only while nothing was written (see sharedView), so a change made anywhere is enforced
 * on the next request; a change made by
 * this operation itself (`auditedTransaction`) forgets what it had read. Without `caseViews` (CLI,
 * demo seeding) every call reads afresh. A failed read is not kept.
 */
export function caseViewOf(ctx: OperationContext, id: string): Promise<CaseView> {
  const memo = ctx.caseViews;
  const known = memo?.get(id);
  if (known) return known;
  const read = sharedView(ctx.db, id);
  if (memo) {
    memo.set(id, read);
    read.catch(() => {
      if (memo.get(id) === read) memo.delete(id);
    });
  }
  return read;
}

/** Most case views kept per database between requests (only where {@link Db.changeCount} exists). */
export const SHARED_VIEWS_MAX = 1000;

const sharedViews = new WeakMap<Db, Map<string, { readonly changes: number; readonly view: CaseView }>>();

/**
 * Across requests only on a database this process alone writes (PGlite, `Db.changeCount`): a view
 * read at a change count is served while the count is unchanged, i.e. while nothing at all has
 * been written (issue 15). Any write — a phase change, a check, a restriction, a subject — changes
 * the count, and the next request reads afresh. The count is taken before the read, so a view read
 * while a write was under way is never served. PostgreSQL, which other replicas write, always reads.
 */
async function sharedView(db: Db, id: string): Promise<CaseView> {
  const changes = db.changeCount?.();
  if (changes === undefined) return caseRepository.view(db, id);
  let views = sharedViews.get(db);
  if (!views) sharedViews.set(db, (views = new Map()));
  const kept = views.get(id);
  if (kept && kept.changes === changes) return kept.view;
  const view = await caseRepository.view(db, id);
  views.delete(id);
  views.set(id, { changes, view });
  if (views.size > SHARED_VIEWS_MAX) views.delete(views.keys().next().value!);
  return view;
}

/**
 * The cases of these ids, from this operation's case views where it has them and with one
 * statement for the rest (the read audit's phases).
 */
export async function casesOf(ctx: OperationContext, ids: readonly string[]): Promise<CaseRecord[]> {
  const memo = ctx.caseViews;
  const viewed = memo ? ids.filter((id) => memo.has(id)) : [];
  const rest = ids.filter((id) => !viewed.includes(id));
  const [views, read] = await Promise.all([
    Promise.all(viewed.map((id) => caseViewOf(ctx, id))),
    rest.length > 0 ? caseRepository.getMany(ctx.db, rest) : Promise.resolve([]),
  ]);
  return [...views.flatMap((v) => (v.record ? [v.record] : [])), ...read];
}
