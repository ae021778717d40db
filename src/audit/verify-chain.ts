import type { Queryable } from "../store/index.ts";
import { recordFromRow, type AuditRow } from "./audit-row.ts";
import { contentHashOf, contentOf, GENESIS_HASH, linkHash } from "./hash-chain.ts";
import type { ChainVerification } from "./types.ts";

const PAGE = 1000;

/**
 * Walks `audit_log` in seq order, page by page, and checks for every record that it links to its
 * predecessor, that its hash is sha256(prevHash + contentHash) and, unless it is a tombstone
 * (whose personal fields retention destroyed), that its content still has its content hash.
 * Removing the newest records cannot be detected from the log alone: compare the head hash with
 * an exported one for that.
 */
export async function verifyChain(db: Queryable): Promise<ChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let records = 0;
  let afterSeq = 0;
  for (;;) {
    const rows = await db.query<AuditRow>("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", [
      afterSeq,
      PAGE,
    ]);
    for (const row of rows) {
      const record = recordFromRow(row);
      const broken = (reason: string): ChainVerification => ({
        ok: false,
        records,
        firstBrokenSeq: record.seq,
        reason,
      });
      if (record.prevHash !== expectedPrev)
        return broken("prev_hash is not the hash of the previous record (a record was removed or inserted)");
      if (!record.tombstone && contentHashOf(contentOf(record)) !== record.contentHash)
        return broken("content_hash does not match the record's content (the record was changed)");
      if (linkHash(record.prevHash, record.contentHash) !== record.hash)
        return broken("hash is not sha256(prev_hash + content_hash)");
      expectedPrev = record.hash;
      records += 1;
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return { ok: true, records };
    afterSeq = last.seq;
  }
}
