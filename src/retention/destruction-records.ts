import { asDate, asJson, type Queryable, type Row } from "../store/index.ts";

/**
 * The written account of one destruction (Maastricht art. 10.3: when, how and on what ground):
 * of one case's personal data, or (`caseId` null) of audit records past the audit retention.
 */
export interface DestructionRecord {
  readonly id: string;
  readonly runId: string;
  readonly caseId: string | null;
  readonly destroyedAt: Date;
  /** When it became due: closing + retention, or the audit cut-off. */
  readonly dueAt: Date;
  readonly rule: string;
  readonly legalBasis: string;
  readonly method: string;
  readonly categories: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly protocolId: string;
  readonly policyHash: string;
}

function toRecord(r: Row): DestructionRecord {
  return {
    id: String(r.id),
    runId: String(r.run_id),
    caseId: r.case_id === null || r.case_id === undefined ? null : String(r.case_id),
    destroyedAt: asDate(r.destroyed_at),
    dueAt: asDate(r.due_at),
    rule: String(r.rule),
    legalBasis: String(r.legal_basis),
    method: String(r.method),
    categories: asJson<string[]>(r.categories),
    counts: asJson<Record<string, number>>(r.counts),
    protocolId: String(r.protocol_id),
    policyHash: String(r.policy_hash),
  };
}

/** SQL for `destruction_records` (append-only; at most one per case). */
export const destructionRecords = {
  async insert(tx: Queryable, d: DestructionRecord): Promise<void> {
    await tx.query(
      `INSERT INTO destruction_records (id, run_id, case_id, destroyed_at, due_at, rule, legal_basis, method,
         categories, counts, protocol_id, policy_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        d.id,
        d.runId,
        d.caseId,
        d.destroyedAt.toISOString(),
        d.dueAt.toISOString(),
        d.rule,
        d.legalBasis,
        d.method,
        JSON.stringify(d.categories),
        JSON.stringify(d.counts),
        d.protocolId,
        d.policyHash,
      ],
    );
  },

  /** Every record, or those of one case or one run, oldest first. */
  async list(
    db: Queryable,
    filter: { readonly caseId?: string | undefined; readonly runId?: string | undefined } = {},
  ): Promise<DestructionRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ["case_id", filter.caseId],
      ["run_id", filter.runId],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const rows = await db.query<Row>(
      `SELECT * FROM destruction_records ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY destroyed_at, id`,
      params,
    );
    return rows.map(toRecord);
  },

  /**
   * One page of the records destroyed in [from, to), in the order (destroyed_at, id), after the
   * cursor; `limit` rows at most (ask one more to know whether another page follows).
   */
  async page(
    db: Queryable,
    q: {
      readonly from?: Date | undefined;
      readonly to?: Date | undefined;
      readonly after?: { readonly destroyedAt: Date; readonly id: string } | undefined;
      readonly limit: number;
    },
  ): Promise<DestructionRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (q.from) where.push(`destroyed_at >= ${param(q.from.toISOString())}::timestamptz`);
    if (q.to) where.push(`destroyed_at < ${param(q.to.toISOString())}::timestamptz`);
    if (q.after)
      where.push(
        `(destroyed_at, id) > (${param(q.after.destroyedAt.toISOString())}::timestamptz, ${param(q.after.id)})`,
      );
    const rows = await db.query<Row>(
      `SELECT * FROM destruction_records ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY destroyed_at, id LIMIT ${param(q.limit)}`,
      params,
    );
    return rows.map(toRecord);
  },
};
