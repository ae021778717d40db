import type { DestructionRecord } from "./destruction-records.ts";

/**
 * The year's account of destructions for the records manager (Maastricht art. 10.3: when, how
 * and on what ground), as `npm run retention -- records --year` writes it: per month, per rule
 * and legal basis, how many destructions, of which categories, by which method; every record in
 * full; and what remains outside the gateway's reach (backups, WAL archives, replicas).
 */

export interface RecordsRuleGroup {
  readonly rule: string;
  readonly legalBasis: string;
  readonly methods: readonly string[];
  readonly destructions: number;
  /** Distinct cases destroyed (an expiry of audit records has none). */
  readonly cases: number;
  /** Per category of personal data: in how many of these destructions it was destroyed. */
  readonly categories: Readonly<Record<string, number>>;
  /** Rows overwritten per table. */
  readonly rows: Readonly<Record<string, number>>;
}

export interface RecordsMonth {
  /** YYYY-MM (UTC). */
  readonly month: string;
  readonly destructions: number;
  readonly rules: readonly RecordsRuleGroup[];
}

export interface RecordOut {
  readonly id: string;
  readonly runId: string;
  readonly caseId: string | null;
  readonly destroyedAt: string;
  readonly dueAt: string;
  readonly rule: string;
  readonly legalBasis: string;
  readonly method: string;
  readonly categories: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly protocolId: string;
  readonly policyHash: string;
}

export interface DestructionRecordsReport {
  readonly year: number;
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly database: "pglite" | "postgres";
  readonly destructions: number;
  readonly cases: number;
  readonly months: readonly RecordsMonth[];
  readonly records: readonly RecordOut[];
  /** What the operator must still do about copies outside the tables. */
  readonly copiesNotice: string;
}

/**
 * PGlite: the purge vacuums and drops the WAL segment with the old rows (README, "Physical
 * destruction"), but a copy of DATA_DIR made before (a backup, a snapshot) still holds them.
 */
export const PGLITE_COPIES_NOTICE =
  "Embedded database (PGlite): the purge rewrote the tables and removed the WAL segment with the " +
  "destroyed rows, but copies of DATA_DIR taken before (backups, volume snapshots) still hold them " +
  "until they expire: keep them no longer than the shortest retention they must honour, and run " +
  "`npm run retention` right after restoring one, before the gateway serves.";

export const recordOut = (r: DestructionRecord): RecordOut => ({
  ...r,
  destroyedAt: r.destroyedAt.toISOString(),
  dueAt: r.dueAt.toISOString(),
});

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const add = (into: Record<string, number>, key: string, n: number) => {
  into[key] = (into[key] ?? 0) + n;
};

const sorted = (o: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => byText(a, b)));

function group(records: readonly DestructionRecord[]): RecordsRuleGroup[] {
  const groups = new Map<string, DestructionRecord[]>();
  for (const r of records) {
    const key = JSON.stringify([r.rule, r.legalBasis]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .map((rs) => {
      const categories: Record<string, number> = {};
      const rows: Record<string, number> = {};
      for (const r of rs) {
        for (const c of r.categories) add(categories, c, 1);
        for (const [table, n] of Object.entries(r.counts)) add(rows, table, n);
      }
      return {
        rule: rs[0]!.rule,
        legalBasis: rs[0]!.legalBasis,
        methods: [...new Set(rs.map((r) => r.method))].sort(byText),
        destructions: rs.length,
        cases: new Set(rs.flatMap((r) => (r.caseId ? [r.caseId] : []))).size,
        categories: sorted(categories),
        rows: sorted(rows),
      };
    })
    .sort((a, b) => byText(a.rule, b.rule) || byText(a.legalBasis, b.legalBasis));
}

export function buildRecordsReport(input: {
  readonly year: number;
  readonly from: Date;
  readonly to: Date;
  readonly records: readonly DestructionRecord[];
  readonly generatedAt: Date;
  readonly database: "pglite" | "postgres";
  /** The PostgreSQL notice (the purge's), shown on PostgreSQL. */
  readonly postgresNotice: string;
}): DestructionRecordsReport {
  const months = new Map<string, DestructionRecord[]>();
  for (const r of input.records) {
    const month = r.destroyedAt.toISOString().slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), r]);
  }
  return {
    year: input.year,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    generatedAt: input.generatedAt.toISOString(),
    database: input.database,
    destructions: input.records.length,
    cases: new Set(input.records.flatMap((r) => (r.caseId ? [r.caseId] : []))).size,
    months: [...months.entries()]
      .sort(([a], [b]) => byText(a, b))
      .map(([month, rs]) => ({ month, destructions: rs.length, rules: group(rs) })),
    records: input.records.map(recordOut),
    copiesNotice: input.database === "postgres" ? input.postgresNotice : PGLITE_COPIES_NOTICE,
  };
}

/** A table cell: no pipe or line break breaks the table. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

export function recordsReportMarkdown(r: DestructionRecordsReport): string {
  const out: string[] = [
    `# Destruction records ${r.year}`,
    "",
    `Written account of what was destroyed, when, how and on what ground (Maastricht art. 10.3; Delft art. 7).`,
    "",
    `- Period: ${r.from} up to ${r.to} (UTC)`,
    `- Generated: ${r.generatedAt}`,
    `- Destructions: ${r.destructions} (${r.cases} cases)`,
    "",
  ];
  if (r.months.length === 0) out.push("No destructions in this period.", "");
  for (const m of r.months) {
    out.push(`## ${m.month}`, "", `${m.destructions} destructions.`, "");
    for (const g of m.rules) {
      out.push(
        `### ${cell(g.rule)}`,
        "",
        `- Legal basis: ${cell(g.legalBasis)}`,
        `- Destructions: ${g.destructions} (${g.cases} cases)`,
        ...g.methods.map((method) => `- Method: ${cell(method)}`),
        "",
        "| Category | Destructions |",
        "| --- | ---: |",
        ...Object.entries(g.categories).map(([c, n]) => `| ${cell(c)} | ${n} |`),
        "",
        "| Table | Rows overwritten |",
        "| --- | ---: |",
        ...Object.entries(g.rows).map(([t, n]) => `| ${cell(t)} | ${n} |`),
        "",
      );
    }
  }
  out.push(
    "## Copies outside the gateway's reach",
    "",
    r.database === "postgres"
      ? "PostgreSQL: backups, WAL archives (point-in-time recovery) and replicas keep destroyed data until they age out."
      : "Embedded database: copies of the data directory keep destroyed data until they age out.",
    "",
    r.copiesNotice,
    "",
  );
  if (r.records.length > 0) {
    out.push(
      "## Records",
      "",
      "| Destroyed at | Case | Due since | Rule | Record |",
      "| --- | --- | --- | --- | --- |",
      ...r.records.map(
        (d) =>
          `| ${d.destroyedAt} | ${d.caseId ?? "audit records"} | ${d.dueAt} | ${cell(d.rule)} | ${d.id} |`,
      ),
      "",
    );
  }
  return out.join("\n");
}
