import { expect } from "vitest";
import type { Db } from "../../src/store/index.ts";

export interface WrittenRecord {
  readonly kind: string;
  readonly operation: string;
  readonly decision: string;
}

/** The newest audit record's seq (0 for an empty log). */
export const lastSeq = async (db: Db): Promise<number> =>
  Number((await db.query<{ seq: unknown }>("SELECT coalesce(max(seq), 0) AS seq FROM audit_log"))[0]!.seq);

/** What was written after `seq`, oldest first. */
export const recordsAfter = (db: Db, seq: number): Promise<WrittenRecord[]> =>
  db.query<WrittenRecord>("SELECT kind, operation, decision FROM audit_log WHERE seq > $1 ORDER BY seq", [
    seq,
  ]);

/**
 * Every call is in the processing log (issue 13, "Complete"; Delft art. 6b-c, Maastricht art. 9):
 * an allowed one with at least one record that allowed it and none that refused; a refused one
 * with its denial, and allowed only the reading of what the caller does see (the case around a
 * refused registry field); a hidden case with nothing allowed at all.
 */
export function expectAudited(
  outcome: "allowed" | "FORBIDDEN" | "NOT_FOUND",
  written: readonly WrittenRecord[],
): void {
  const decisions = written.map((w) => w.decision);
  if (outcome === "allowed") {
    expect(decisions, JSON.stringify(written)).toContain("allow");
    expect(decisions, JSON.stringify(written)).not.toContain("deny");
    return;
  }
  expect(decisions, JSON.stringify(written)).toContain("deny");
  const allowed = written.filter((w) => w.decision === "allow");
  expect(
    allowed.filter((w) => outcome === "NOT_FOUND" || w.kind !== "access"),
    JSON.stringify(written),
  ).toEqual([]);
}
