import type { OperationContext } from "../context/index.ts";
import type { Queryable } from "../store/index.ts";
import { batchedRead, type BatchedRead } from "../store/shared-read.ts";
import { caseRepository, type CaseView } from "./case-repository.ts";
import type { CaseRecord } from "./case-record.ts";

/**
 * The case view of this operation (issue 15): read once, in one statement, and shared by everyone
 * who asks within the operation — the case access, the abilities and restrictions, the read
 * audit's phase. Kept on the operation's own context (`caseViews`, made per GraphQL request), never
 * across requests, so a change made anywhere is enforced on the next request; a change made by
 * this operation itself (`auditedTransaction`) forgets what it had read. Without `caseViews` (CLI,
 * demo seeding) every call reads afresh. A failed read is not kept.
 *
 * Requests that ask at the same time share the statement (whatever ids they ask), but each only
 * one that began after it asked ({@link batchedRead}): nothing is kept between requests, and the
 * statement is the same whether an id is a case or not, another team's or none (issue 10).
 */
export function caseViewOf(ctx: OperationContext, id: string): Promise<CaseView> {
  const memo = ctx.caseViews;
  const known = memo?.get(id);
  if (known) return known;
  const read = memo ? sharedViews(ctx.db).read(id) : caseRepository.view(ctx.db, id);
  if (memo) {
    memo.set(id, read);
    read.catch(() => {
      if (memo.get(id) === read) memo.delete(id);
    });
  }
  return read;
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

/** Per database handle (the pool, or a transaction of its own), the requests' shared view reads. */
const viewReads = new WeakMap<Queryable, BatchedRead<string, CaseView>>();

function sharedViews(db: Queryable): BatchedRead<string, CaseView> {
  let reads = viewReads.get(db);
  if (!reads) {
    reads = batchedRead((ids) => caseRepository.views(db, ids));
    viewReads.set(db, reads);
  }
  return reads;
}
