import type { AuditEntry } from "../audit/index.ts";
import { auditBase, type OperationContext } from "../context/index.ts";
import {
  auditIdOfKey,
  err,
  isIsoDate,
  kindOfKey,
  ok,
  parseSubjectKey,
  type Bsn,
  type Result,
  type SourceError,
} from "../shared/index.ts";
import { asDate, type Queryable } from "../store/index.ts";
import type { CaseError, CaseRecord } from "./case-record.ts";

/**
 * Whom a case is about (issue 11; Maastricht art. 3, 14, 18; Delft art. 3). The subjects come from
 * the signal, from intake's BRP search for a person named without a BSN, or are added later with
 * a motivation (and, from the protocol's `subjects.checkRequiredIn` phases on, a privacy check in
 * effect naming them). Every disclosure mode answers only for them: see `forSubject` in
 * case-access.ts and `bindingOf` in src/policy/binding.ts.
 */
export type SubjectOrigin = "signal" | "resolved" | "added";

export interface CaseSubject {
  /** `persoon:<bsn>`, `onderneming:<kvkNummer>`, `object:<bag id>` or `adres:<postcode>-<nr>…`. */
  readonly key: string;
  readonly kind: "persoon" | "onderneming" | "object";
  readonly origin: SubjectOrigin;
  readonly checkId: string | null;
  readonly motivation: string | null;
  readonly addedBy: string;
  readonly addedAt: Date;
}

/** A person the signal names without a BSN (src/sources/brp/brp-resolve.ts `PersonDescription`). */
export interface PersonDescriptionInput {
  readonly geslachtsnaam?: string | null | undefined;
  readonly voorvoegsel?: string | null | undefined;
  readonly voornamen?: string | null | undefined;
  readonly geslacht?: string | null | undefined;
  readonly geboortedatum?: string | null | undefined;
  readonly postcode?: string | null | undefined;
  readonly huisnummer?: number | null | undefined;
  readonly huisletter?: string | null | undefined;
  readonly huisnummertoevoeging?: string | null | undefined;
}

/** What intake's search made of one described person; only a match names a BSN. */
export type ResolutionOutcome = "MATCH" | "NO_MATCH" | "AMBIGUOUS" | "UNKNOWN";
export interface PersonResolutionResult {
  /** Position of the description in `persons`. */
  readonly index: number;
  readonly outcome: ResolutionOutcome;
  /** Only with MATCH: the person is now a subject of the case (`persoon:<bsn>`). */
  readonly subject?: string | undefined;
}

/**
 * The BRP search intake uses, given by the caller that has the sources (src/server): checks the
 * description (problems named per element, never the value) and resolves it to one BSN or none.
 */
export interface PersonResolver {
  problems(d: PersonDescriptionInput): readonly { readonly element: string; readonly rule: string }[];
  resolve(
    d: PersonDescriptionInput,
  ): Promise<
    Result<
      { readonly kind: "match"; readonly bsn: Bsn } | { readonly kind: "no_match" | "ambiguous" },
      SourceError
    >
  >;
}

/** At most so many subjects and described persons in one signal. */
export const MAX_SIGNAL_SUBJECTS = 50;
export const MAX_SIGNAL_PERSONS = 10;

/** The signal's channel (how it came in; Maastricht art. 14, Delft art. 12). */
export const SIGNAL_CHANNELS = [
  "MELDING",
  "PARTNER",
  "RIEC",
  "POLITIE",
  "INTERN",
  "ANDERE_GEMEENTE",
  "ANONIEM",
] as const;
export type SignalChannel = (typeof SIGNAL_CHANNELS)[number];

const bad = (message: string) => err<CaseError>({ kind: "bad_input", message });

/** Checks and normalises the subject keys a signal names; every problem names its position. */
export function parseSubjectKeys(
  keys: readonly string[] | null | undefined,
  argument: string,
): Result<string[], CaseError> {
  const list = keys ?? [];
  if (list.length > MAX_SIGNAL_SUBJECTS) return bad(`${argument}: at most ${MAX_SIGNAL_SUBJECTS} subjects.`);
  const out: string[] = [];
  const problems: string[] = [];
  list.forEach((raw, i) => {
    const key = parseSubjectKey(raw);
    if (key.ok) out.push(key.value);
    else problems.push(`${argument}[${i}]: ${key.error}`);
  });
  if (problems.length > 0) return bad(problems.join("; "));
  return ok([...new Set(out)]);
}

/** Checks the described persons before anything is asked or written. */
export function checkPersons(
  persons: readonly PersonDescriptionInput[] | null | undefined,
  resolver: PersonResolver | undefined,
): Result<readonly PersonDescriptionInput[], CaseError> {
  const list = persons ?? [];
  if (list.length === 0) return ok([]);
  if (list.length > MAX_SIGNAL_PERSONS) return bad(`persons: at most ${MAX_SIGNAL_PERSONS} persons.`);
  if (!resolver) return bad("persons: this gateway has no BRP search configured; name the persons by BSN.");
  const problems = list.flatMap((d, i) =>
    resolver.problems(d).map((p) => `persons[${i}].${p.element === "person" ? "" : p.element}: ${p.rule}`),
  );
  return problems.length > 0 ? bad(problems.join("; ").replace(/\.: /g, ": ")) : ok(list);
}

/** Checks the signal's date (not in the future) and channel. */
export function checkSignalMeta(
  signalDate: string | null | undefined,
  channel: string | null | undefined,
  today: string,
): Result<{ readonly signalDate: string | null; readonly channel: SignalChannel | null }, CaseError> {
  const date = signalDate?.trim() || null;
  if (date !== null && !isIsoDate(date)) return bad("signalDate: a date written YYYY-MM-DD.");
  if (date !== null && date > today) return bad("signalDate: the signal cannot come from the future.");
  if (channel != null && !(SIGNAL_CHANNELS as readonly string[]).includes(channel))
    return bad(`channel: one of ${SIGNAL_CHANNELS.join(", ")}.`);
  return ok({ signalDate: date, channel: (channel ?? null) as SignalChannel | null });
}

const toSubject = (r: Record<string, unknown>): CaseSubject => ({
  key: String(r.subject_key),
  kind: r.kind as CaseSubject["kind"],
  origin: r.origin as SubjectOrigin,
  checkId: r.check_id === null ? null : String(r.check_id),
  motivation: r.motivation === null ? null : String(r.motivation),
  addedBy: String(r.added_by),
  addedAt: asDate(r.added_at),
});

export const caseSubjectRepository = {
  /** Inserts the subjects that are not yet the case's; returns the keys that were new. */
  async insert(
    db: Queryable,
    caseId: string,
    keys: readonly string[],
    row: Pick<CaseSubject, "origin" | "checkId" | "motivation" | "addedBy" | "addedAt">,
  ): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await db.query<{ subject_key: string }>(
      `INSERT INTO case_subjects (case_id, subject_key, kind, origin, check_id, motivation, added_by, added_at)
       SELECT $1, k.key, k.kind, $4, $5, $6, $7, $8 FROM unnest($2::text[], $3::text[]) AS k (key, kind)
       ON CONFLICT (case_id, subject_key) DO NOTHING RETURNING subject_key`,
      [caseId, keys, keys.map(kindOfKey), row.origin, row.checkId, row.motivation, row.addedBy, row.addedAt],
    );
    const added = new Set(rows.map((r) => r.subject_key));
    return keys.filter((k) => added.has(k));
  },
  async list(db: Queryable, caseId: string): Promise<CaseSubject[]> {
    const rows = await db.query<Record<string, unknown>>(
      "SELECT * FROM case_subjects WHERE case_id = $1 ORDER BY added_at, subject_key",
      [caseId],
    );
    return rows.map(toSubject);
  },
  async keys(db: Queryable, caseId: string): Promise<Set<string>> {
    const rows = await db.query<{ subject_key: string }>(
      "SELECT subject_key FROM case_subjects WHERE case_id = $1",
      [caseId],
    );
    return new Set(rows.map((r) => r.subject_key));
  },
  async insertSignal(
    db: Queryable,
    caseId: string,
    meta: { readonly signalDate: string | null; readonly channel: string | null },
  ): Promise<void> {
    await db.query("INSERT INTO case_signals (case_id, signal_date, channel) VALUES ($1, $2, $3)", [
      caseId,
      meta.signalDate,
      meta.channel,
    ]);
  },
  async signal(
    db: Queryable,
    caseId: string,
  ): Promise<{ readonly signalDate: string | null; readonly channel: string | null } | undefined> {
    const rows = await db.query<{ signal_date: unknown; channel: string | null }>(
      "SELECT signal_date, channel FROM case_signals WHERE case_id = $1",
      [caseId],
    );
    const r = rows[0];
    if (!r) return undefined;
    const d = r.signal_date;
    const date =
      d === null ? null : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
    return { signalDate: date, channel: r.channel };
  },
};

/** One audit record per subject that became the case's: their access report lists it. */
export function subjectAddedAudit(
  ctx: OperationContext,
  record: CaseRecord,
  key: string,
  origin: SubjectOrigin,
  reason: string,
  extra: Record<string, unknown> = {},
): AuditEntry {
  return {
    ...auditBase(ctx, record),
    kind: "case",
    operation: "case.subject",
    ...auditIdOfKey(key),
    decision: "allow",
    reason,
    detail: { origin, ...extra },
  };
}
