import { randomBytes, randomUUID } from "node:crypto";
import type { Command } from "commander";
import { createAuditLog, type AuditRecord, type SubjectType } from "../audit/index.ts";
import {
  AUDIT_RECORD_COLUMNS as COLUMNS,
  auditRecordOut as recordOut,
  searchAuditLog,
  type AuditLogFilterArgs,
} from "../audit-search/index.ts";
import type { OperationContext } from "../context/index.ts";
import type { LoadedPolicySet } from "../policy/index.ts";
import { systemClock } from "../shared/index.ts";
import type { Db } from "../store/index.ts";

/** The options of `audit search`, as commander gives them. */
export interface SearchOptions {
  readonly bsn?: string;
  readonly kvk?: string;
  readonly bag?: string;
  readonly adres?: string;
  readonly actor?: string;
  readonly case?: string;
  readonly source?: string;
  readonly operation?: string;
  readonly decision?: string;
  readonly from?: string;
  readonly to?: string;
  readonly format?: string;
  readonly as?: string;
  readonly demo?: boolean;
}

export const SEARCH_OPTIONS = [
  "bsn",
  "kvk",
  "bag",
  "adres",
  "actor",
  "case",
  "source",
  "operation",
  "decision",
  "from",
  "to",
  "format",
  "as",
] as const;

/** The options of `audit search` on the audit command, and its usage line and help. */
export function withSearchOptions(command: Command): Command {
  return command
    .option("--bsn <bsn>", "search: records about this person (pseudonymised with the log's key to match)")
    .option("--kvk <kvkNummer>", "search: records about this company")
    .option("--bag <id>", "search: records about this BAG object (adresseerbaar object id)")
    .option("--adres <adres>", "search: records about this address, e.g. 6211AB-12A-2")
    .option("--actor <id>", "search: records of this staff or client id")
    .option("--case <id>", "search: records of this case")
    .option("--source <source>", "search: e.g. brp, hr, bag")
    .option("--operation <op>", "search: e.g. brp.fields")
    .option("--decision <d>", "search: allow, deny or error")
    .option("--from <t>", "search: from this date (00:00 UTC) or ISO 8601 date-time, inclusive")
    .option("--to <t>", "search: up to this date-time, exclusive; a date includes that whole day")
    .option("--format <format>", "search: csv or json; export: ldv")
    .option("--as <user>", "search: who asks, as the role privacy_officer by cli:<user> (default: $USER)")
    .addHelpText(
      "after",
      `
audit search [--bsn X | --kvk X | --bag X | --adres X] [--actor ID] [--case ID] [--source S]
  [--operation OP] [--decision D] [--from T] [--to T] --format csv|json [--as USER]
prints the matching records (oldest first) as CSV or JSON. The subject is pseudonymised with
AUDIT_HMAC_KEY (in demo mode DATA_DIR/audit-hmac.key) and matched; the search is written to the
audit log like the auditLog query's (operation audit.search, without the BSN).
Exit codes: 0 done, 1 the database cannot be read, 2 usage or an invalid filter.
`,
    );
}

const USER = /^[A-Za-z0-9][A-Za-z0-9@._-]{0,127}$/;
const PAGE = 200;

export interface SearchRequest {
  readonly filter: AuditLogFilterArgs;
  readonly format: "csv" | "json";
  readonly as: string;
}

/** The request, or the message naming what is wrong (never repeating a subject id). */
export function searchRequest(
  o: SearchOptions,
  env: Readonly<Record<string, string | undefined>>,
): SearchRequest | string {
  const subjects = (
    [
      ["bsn", o.bsn],
      ["kvkNummer", o.kvk],
      ["bagId", o.bag],
      ["adres", o.adres],
    ] as const
  ).filter(([, v]) => v !== undefined);
  if (subjects.length > 1) return "give at most one of --bsn, --kvk, --bag, --adres";
  if (o.format !== "csv" && o.format !== "json") return "--format csv|json is required";
  const as = o.as ?? env.USER ?? "unknown";
  if (!USER.test(as)) return `--as: a user id (letters, digits, @ . _ -)`;
  const [subject] = subjects;
  return {
    filter: {
      ...(subject ? { subject: { type: subject[0] as SubjectType, id: subject[1]!.trim() } } : {}),
      actor: o.actor,
      caseId: o.case,
      source: o.source,
      operation: o.operation,
      decision: o.decision,
      from: o.from,
      to: o.to,
    },
    format: o.format,
    as,
  };
}

/** RFC 4180 cell; a leading = + - @ is quoted away so a spreadsheet does not run it as a formula. */
function cell(value: unknown): string {
  const text =
    value === null || value === undefined ? "" : Array.isArray(value) ? value.join(";") : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(records: readonly AuditRecord[]): string {
  const lines = records.map((r) => {
    const o = recordOut(r);
    return COLUMNS.map((c) => cell(o[c])).join(",");
  });
  return `${[COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
}

/**
 * Runs the search as `cli:<user>` with the role privacy_officer, page by page (each page an audited
 * read, like the query's), until the last. The records, or the use case's message.
 */
export async function runSearch(
  db: Db,
  policy: LoadedPolicySet,
  key: string,
  request: SearchRequest,
): Promise<readonly AuditRecord[] | string> {
  const ctx: OperationContext = {
    actor: { subject: `cli:${request.as}`, roles: ["privacy_officer"], amr: [], issuer: "cli" },
    traceId: randomBytes(16).toString("hex"),
    policy,
    db,
    audit: createAuditLog({ db, hmacKey: key }),
    clock: systemClock,
    newId: randomUUID,
  };
  const records: AuditRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await searchAuditLog(ctx, { filter: request.filter, first: PAGE, after });
    if (!page.ok) return page.error.message;
    records.push(...page.value.records);
    if (!page.value.hasNextPage) return records;
    after = page.value.endCursor;
  }
}
