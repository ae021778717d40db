/**
 * Policy versions (issue 14; Maastricht art. 13, Delft art. 6c, 9b): the whole policy set the
 * privacy officer published, stored in the database (migration 020), append-only and audited.
 * The files stay the editing format; `publish` validates them and stores them as the next version,
 * and every replica serves the newest stored version ({@link createPolicyHolder}).
 */
import { randomUUID } from "node:crypto";
import type { AuditLog } from "../../audit/index.ts";
import { err, isIsoDate, ok, systemClock, type Clock, type Result } from "../../shared/index.ts";
import type { Db, Queryable } from "../../store/index.ts";
import { folderSource, loadPolicySet, memorySource, recordingSource } from "../load-policies.ts";
import type { LoadedPolicySet } from "../policy-set.ts";
import type { PolicyRefSources, StoredVersionLoader } from "../policy-ref.ts";
import type { PolicyLoadError } from "../types.ts";

export {
  createPolicyHolder,
  type PolicyHolder,
  type PolicyHolderOptions,
  type PolicyStatus,
} from "./holder.ts";
import { newTraceId } from "../../shared/random-ids.ts";

/** The PostgreSQL channel a published version is announced on; the payload is its number. */
export const POLICY_CHANNEL = "poortwachter_policy";

/** Where the evaluation rhythm comes from, for messages and queues. */
export const EVALUATION_BASIS =
  "Maastricht art. 13 (evaluation after one year, then every three years); Delft art. 9b";

/** What a stored version says about itself (everything but the file texts). */
export interface PolicyVersionMeta {
  readonly version: number;
  readonly hash: string;
  readonly protocolFile: string;
  readonly protocolId: string;
  readonly author: string;
  /** ISO timestamp. */
  readonly publishedAt: string;
  readonly motivation: string;
  /** YYYY-MM-DD: when the board adopted this version. */
  readonly adoptedOn: string;
  /** YYYY-MM-DD: when the protocol is next to be evaluated with the FG. */
  readonly nextEvaluation: string;
  /** Relative paths of the files of the version, sorted. */
  readonly files: readonly string[];
}

export interface PolicyEvaluation {
  readonly id: string;
  readonly version: number;
  readonly evaluatedOn: string;
  readonly evaluatedBy: string;
  readonly motivation: string;
  readonly nextEvaluation: string;
  readonly recordedAt: string;
}

export type PublishError =
  | PolicyLoadError
  | { readonly kind: "unchanged"; readonly version: number; readonly hash: string }
  | { readonly kind: "bad_input"; readonly message: string }
  | { readonly kind: "audit_failed"; readonly reason: string };

export type StoredVersionError =
  | { readonly kind: "not_found"; readonly ref: number | "latest" }
  | (PolicyLoadError & { readonly version: number });

export interface PublishInput {
  readonly author: string;
  readonly motivation: string;
  /** YYYY-MM-DD; default today. */
  readonly adoptedOn?: string | undefined;
  /** YYYY-MM-DD; default {@link defaultNextEvaluation}. */
  readonly nextEvaluation?: string | undefined;
  /** The protocol file of the folder (PROTOCOL_FILE); default `protocol.yaml`. */
  readonly protocolFile?: string | undefined;
  /** The publisher's roles, for the audit record (CLI: privacy_officer). */
  readonly roles?: readonly string[] | undefined;
  readonly clock?: Clock | undefined;
  readonly traceId?: string | undefined;
  /**
   * What this gateway needs of a version besides valid files (a runner for every probe, the
   * processing activities unchanged under their ids), checked in the publishing transaction:
   * problems (`file: reason`) refuse the version, so no replica is handed one it cannot serve.
   */
  readonly admit?: ((policy: LoadedPolicySet, tx: Queryable) => Promise<readonly string[]>) | undefined;
}

interface VersionRow {
  version: number;
  hash: string;
  protocol_file: string;
  protocol_id: string;
  files: Record<string, string> | string;
  author: string;
  published_at: Date | string;
  motivation: string;
  adopted_on: string;
  next_evaluation: string;
}

interface EvaluationRow {
  id: string;
  version: number;
  evaluated_on: string;
  evaluated_by: string;
  motivation: string;
  next_evaluation: string;
  recorded_at: Date | string;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const dateOf = (d: Date | string) =>
  d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
const filesOf = (files: VersionRow["files"]): Record<string, string> =>
  typeof files === "string" ? (JSON.parse(files) as Record<string, string>) : files;

function metaOf(row: VersionRow): PolicyVersionMeta {
  return {
    version: row.version,
    hash: row.hash,
    protocolFile: row.protocol_file,
    protocolId: row.protocol_id,
    author: row.author,
    publishedAt: iso(row.published_at),
    motivation: row.motivation,
    adoptedOn: dateOf(row.adopted_on),
    nextEvaluation: dateOf(row.next_evaluation),
    files: Object.keys(filesOf(row.files)).sort(),
  };
}

const evaluationOf = (row: EvaluationRow): PolicyEvaluation => ({
  id: row.id,
  version: row.version,
  evaluatedOn: dateOf(row.evaluated_on),
  evaluatedBy: row.evaluated_by,
  motivation: row.motivation,
  nextEvaluation: dateOf(row.next_evaluation),
  recordedAt: iso(row.recorded_at),
});

/** `YYYY-MM-DD` plus whole years (29 February + 1 year is 1 March). */
export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

const today = (clock: Clock) => clock.now().toISOString().slice(0, 10);

/** The working files of the policy folder, validated, with the text of every file they are made of. */
export async function readWorkingFiles(
  dir: string,
  protocolFile?: string,
): Promise<Result<{ policy: LoadedPolicySet; files: Record<string, string> }, PolicyLoadError>> {
  const recording = recordingSource(folderSource(dir));
  const loaded = await loadPolicySet(recording.source, { protocolFile });
  if (!loaded.ok) return loaded;
  const files: Record<string, string> = {};
  for (const file of loaded.value.files) {
    const text = recording.texts.get(file);
    if (text !== undefined) files[file] = text;
  }
  return ok({ policy: loaded.value, files });
}

/** All stored versions, oldest first (no file texts). */
export async function listVersions(db: Queryable): Promise<PolicyVersionMeta[]> {
  const rows = await db.query<VersionRow>("SELECT * FROM policy_versions ORDER BY version");
  return rows.map(metaOf);
}

/** The number of the newest stored version; 0 when none is stored. The per-request check. */
export async function latestVersionNumber(db: Queryable): Promise<number> {
  const [row] = await db.query<{ v: number | null }>("SELECT max(version) AS v FROM policy_versions");
  return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
}

/** Recorded evaluations, oldest first. */
export async function listEvaluations(db: Queryable): Promise<PolicyEvaluation[]> {
  const rows = await db.query<EvaluationRow>("SELECT * FROM policy_evaluations ORDER BY recorded_at, id");
  return rows.map(evaluationOf);
}

/**
 * The default next evaluation of a version adopted on `adoptedOn` (Maastricht art. 13; Delft
 * art. 9b): one year after the first version's adoption until an evaluation is recorded, then
 * three years after the latest recorded evaluation.
 */
export async function defaultNextEvaluation(db: Queryable, adoptedOn: string): Promise<string> {
  const evaluations = await listEvaluations(db);
  const last = evaluations.at(-1);
  if (last) return addYears(last.evaluatedOn, 3);
  const [first] = await db.query<{ adopted_on: string }>(
    "SELECT adopted_on FROM policy_versions ORDER BY version LIMIT 1",
  );
  return addYears(first ? dateOf(first.adopted_on) : adoptedOn, 1);
}

/**
 * Materialises a stored version back into a policy set: its file texts go through the same loader
 * as the working files, so it validates and hashes the same way. A version that no longer loads
 * (a file the loader of this release refuses) is an error naming its problems.
 */
export async function loadStoredVersion(
  db: Queryable,
  ref: number | "latest",
  /**
   * A set already loaded from files (the working files at start-up). When the stored version holds
   * exactly these file texts under the same protocol file and hash, that set is the version: it is
   * returned instead of parsing and validating the same texts a second time (issue 15, start-up).
   */
  known?: { readonly policy: LoadedPolicySet; readonly files: Readonly<Record<string, string>> },
): Promise<
  Result<{ version: number; policy: LoadedPolicySet; meta: PolicyVersionMeta }, StoredVersionError>
> {
  const rows =
    ref === "latest"
      ? await db.query<VersionRow>("SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1")
      : await db.query<VersionRow>("SELECT * FROM policy_versions WHERE version = $1", [ref]);
  const row = rows[0];
  if (!row) return err({ kind: "not_found", ref });
  let files: Record<string, string>;
  try {
    files = filesOf(row.files);
  } catch {
    return err({
      kind: "policy_invalid",
      version: row.version,
      problems: [{ file: "", path: "", reason: `version ${row.version}: its files are not readable` }],
    });
  }
  if (known && sameFiles(known, files, row))
    return ok({ version: row.version, policy: known.policy, meta: metaOf(row) });
  const loaded = await loadPolicySet(memorySource(files), { protocolFile: row.protocol_file });
  if (!loaded.ok) return err({ ...loaded.error, version: row.version });
  if (loaded.value.hash !== row.hash)
    return err({
      kind: "policy_invalid",
      version: row.version,
      problems: [
        {
          file: "",
          path: "",
          reason: `version ${row.version}: its files hash to ${loaded.value.hash}, not the stored ${row.hash}`,
        },
      ],
    });
  return ok({ version: row.version, policy: loaded.value, meta: metaOf(row) });
}

function sameFiles(
  known: { readonly policy: LoadedPolicySet; readonly files: Readonly<Record<string, string>> },
  files: Readonly<Record<string, string>>,
  row: VersionRow,
): boolean {
  if (known.policy.hash !== row.hash || known.policy.protocolFile !== row.protocol_file) return false;
  const names = Object.keys(files);
  return (
    names.length === Object.keys(known.files).length &&
    names.every((name) => known.files[name] === files[name])
  );
}

/** Listeners in this process (PGlite, and the publishing process on PostgreSQL). */
const inProcess = new Set<(version: number) => void>();

/** Told of every version published by this process, after it committed. Returns the unsubscriber. */
export function onPublished(listener: (version: number) => void): () => void {
  inProcess.add(listener);
  return () => inProcess.delete(listener);
}

function checkDates(input: { adoptedOn?: string | undefined; nextEvaluation?: string | undefined }) {
  for (const [name, value] of [
    ["adoptedOn", input.adoptedOn],
    ["nextEvaluation", input.nextEvaluation],
  ] as const)
    if (value !== undefined && !isIsoDate(value))
      return `${name}: ${JSON.stringify(value)} is not a calendar date written YYYY-MM-DD`;
  return undefined;
}

const checkText = (name: string, value: string, max: number) =>
  value.trim() === ""
    ? `${name}: required, not empty`
    : value.length > max
      ? `${name}: at most ${max} characters`
      : undefined;

/**
 * Validates the working files of `filesDir` and stores them as the next version, with an audit
 * record (kind `policy`, operation `policy.publish`) in the same transaction; on PostgreSQL the
 * commit announces it on {@link POLICY_CHANNEL}, and in this process {@link onPublished} is told.
 * A file with problems: refused, nothing stored, every problem named. Content identical to the
 * newest version (same hash): refused.
 */
export async function publish(
  db: Db,
  audit: AuditLog,
  filesDir: string,
  input: PublishInput,
): Promise<Result<PolicyVersionMeta, PublishError>> {
  const clock = input.clock ?? systemClock;
  const problem =
    checkText("author", input.author, 200) ??
    checkText("motivation", input.motivation, 2000) ??
    checkDates(input);
  if (problem) return err({ kind: "bad_input", message: problem });
  const working = await readWorkingFiles(filesDir, input.protocolFile);
  if (!working.ok) return working;
  const { policy, files } = working.value;
  const adoptedOn = input.adoptedOn ?? today(clock);
  if (input.nextEvaluation !== undefined && input.nextEvaluation <= adoptedOn)
    return err({ kind: "bad_input", message: "nextEvaluation: must be after the adoption date" });

  class Refused extends Error {
    constructor(readonly refusal: PublishError) {
      super(refusal.kind);
    }
  }
  try {
    const meta = await db.transaction(async (tx) => {
      // One publisher at a time: the next number is max + 1 for exactly one of them.
      await tx.query("LOCK TABLE policy_versions IN EXCLUSIVE MODE");
      const [latest] = await tx.query<{ version: number; hash: string }>(
        "SELECT version, hash FROM policy_versions ORDER BY version DESC LIMIT 1",
      );
      if (latest && latest.hash === policy.hash)
        throw new Refused({ kind: "unchanged", version: latest.version, hash: latest.hash });
      const refusals = input.admit ? await input.admit(policy, tx) : [];
      if (refusals.length > 0)
        throw new Refused({
          kind: "policy_invalid",
          problems: refusals.map((r) => {
            const at = r.indexOf(": ");
            return at > 0
              ? { file: r.slice(0, at), path: "", reason: r.slice(at + 2) }
              : { file: "", path: "", reason: r };
          }),
        });
      const version = (latest?.version ?? 0) + 1;
      const nextEvaluation = input.nextEvaluation ?? (await defaultNextEvaluation(tx, adoptedOn));
      const at = clock.now();
      const [row] = await tx.query<VersionRow>(
        `INSERT INTO policy_versions
           (version, hash, protocol_file, protocol_id, files, author, published_at, motivation, adopted_on, next_evaluation)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::timestamptz, $8, $9::date, $10::date) RETURNING *`,
        [
          version,
          policy.hash,
          policy.protocolFile,
          policy.protocol.id,
          JSON.stringify(files),
          input.author,
          at.toISOString(),
          input.motivation,
          adoptedOn,
          nextEvaluation,
        ],
      );
      const appended = await audit.append(
        [
          {
            kind: "policy",
            actor: input.author,
            roles: input.roles ?? [],
            processingActivity: policy.processingActivities.forWork("accountability"),
            operation: "policy.publish",
            decision: "allow",
            reason: `policy version ${version} published: ${input.motivation}`,
            policyHash: policy.hash,
            traceId: input.traceId ?? newTraceId(),
            detail: {
              version,
              protocol: policy.protocol.id,
              previousVersion: latest?.version ?? null,
              previousHash: latest?.hash ?? null,
              adoptedOn,
              nextEvaluation,
            },
          },
        ],
        tx,
      );
      if (!appended.ok) throw new Refused({ kind: "audit_failed", reason: appended.error.reason });
      if (db.dialect === "postgres")
        await tx.query("SELECT pg_notify($1, $2)", [POLICY_CHANNEL, String(version)]);
      if (!row) throw new Error("the version row was not returned");
      return metaOf(row);
    });
    for (const listener of inProcess) listener(meta.version);
    return ok(meta);
  } catch (e) {
    if (e instanceof Refused) return err(e.refusal);
    throw e;
  }
}

export interface EvaluationInput {
  readonly by: string;
  readonly motivation: string;
  /** YYYY-MM-DD; default today. */
  readonly evaluatedOn?: string | undefined;
  /** YYYY-MM-DD; default three years after the evaluation (Maastricht art. 13). */
  readonly nextEvaluation?: string | undefined;
  readonly roles?: readonly string[] | undefined;
  readonly clock?: Clock | undefined;
  readonly traceId?: string | undefined;
  /** The policy the record is written under (its hash and register); default the newest stored. */
  readonly policy?: LoadedPolicySet | undefined;
}

/**
 * Records an evaluation of the protocol (of the newest version) with the FG, audited in the same
 * transaction (operation `policy.evaluation`). The next one is then due three years later unless
 * a date is given.
 */
export async function recordEvaluation(
  db: Db,
  audit: AuditLog,
  input: EvaluationInput,
): Promise<Result<PolicyEvaluation, { kind: "bad_input" | "no_version" | "audit_failed"; message: string }>> {
  const clock = input.clock ?? systemClock;
  const problem =
    checkText("by", input.by, 200) ??
    checkText("motivation", input.motivation, 2000) ??
    (input.evaluatedOn !== undefined && !isIsoDate(input.evaluatedOn)
      ? `evaluatedOn: ${JSON.stringify(input.evaluatedOn)} is not a calendar date written YYYY-MM-DD`
      : undefined) ??
    checkDates({ nextEvaluation: input.nextEvaluation });
  if (problem) return err({ kind: "bad_input", message: problem });
  const evaluatedOn = input.evaluatedOn ?? today(clock);
  if (evaluatedOn > today(clock))
    return err({
      kind: "bad_input",
      message: "evaluatedOn: an evaluation is recorded once it took place, not ahead",
    });
  const nextEvaluation = input.nextEvaluation ?? addYears(evaluatedOn, 3);
  if (nextEvaluation <= evaluatedOn)
    return err({ kind: "bad_input", message: "nextEvaluation: must be after the evaluation" });
  let policy = input.policy;
  let version: number;
  if (policy) {
    const [row] = await db.query<{ version: number }>(
      "SELECT version FROM policy_versions WHERE hash = $1 ORDER BY version DESC LIMIT 1",
      [policy.hash],
    );
    version = row?.version ?? (await latestVersionNumber(db));
  } else {
    const latest = await loadStoredVersion(db, "latest");
    if (!latest.ok)
      return err({
        kind: "no_version",
        message:
          latest.error.kind === "not_found"
            ? "no policy version is stored yet: publish one first"
            : `policy version ${latest.error.version} cannot be loaded`,
      });
    policy = latest.value.policy;
    version = latest.value.version;
  }
  if (version === 0)
    return err({ kind: "no_version", message: "no policy version is stored yet: publish one first" });
  const served = policy;
  const id = randomUUID();
  const at = clock.now();
  try {
    const row = await db.transaction(async (tx) => {
      const [inserted] = await tx.query<EvaluationRow>(
        `INSERT INTO policy_evaluations (id, version, evaluated_on, evaluated_by, motivation, next_evaluation, recorded_at)
         VALUES ($1, $2, $3::date, $4, $5, $6::date, $7::timestamptz) RETURNING *`,
        [id, version, evaluatedOn, input.by, input.motivation, nextEvaluation, at.toISOString()],
      );
      const appended = await audit.append(
        [
          {
            kind: "policy",
            actor: input.by,
            roles: input.roles ?? [],
            processingActivity: served.processingActivities.forWork("accountability"),
            operation: "policy.evaluation",
            decision: "allow",
            reason: `evaluation of policy version ${version} recorded (${EVALUATION_BASIS})`,
            policyHash: served.hash,
            traceId: input.traceId ?? newTraceId(),
            detail: { version, evaluatedOn, nextEvaluation, evaluation: id },
          },
        ],
        tx,
      );
      if (!appended.ok) throw new Error(`audit: ${appended.error.reason}`);
      if (!inserted) throw new Error("the evaluation row was not returned");
      return inserted;
    });
    return ok(evaluationOf(row));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith("audit: ")) return err({ kind: "audit_failed", message });
    throw e;
  }
}

/** The next evaluation of the protocol and whether it is due (on or before `withinDays` from today). */
export interface EvaluationDue {
  readonly version: number;
  readonly hash: string;
  readonly dueOn: string;
  readonly overdue: boolean;
  readonly lastEvaluatedOn: string | null;
  readonly basis: string;
}

/**
 * When the protocol is next to be evaluated: the date set by the latest of the newest version
 * and the latest recorded evaluation (each says when the next one is due). Undefined when no
 * version is stored.
 */
export async function nextEvaluation(
  db: Queryable,
  clock: Clock = systemClock,
): Promise<EvaluationDue | undefined> {
  const [version] = await db.query<VersionRow>("SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1");
  if (!version) return undefined;
  const last = (await listEvaluations(db)).at(-1);
  const setBy =
    last && new Date(last.recordedAt).getTime() >= new Date(iso(version.published_at)).getTime()
      ? last.nextEvaluation
      : dateOf(version.next_evaluation);
  return {
    version: version.version,
    hash: version.hash,
    dueOn: setBy,
    overdue: setBy < today(clock),
    lastEvaluatedOn: last?.evaluatedOn ?? null,
    basis: EVALUATION_BASIS,
  };
}

/** The evaluations due now or within `withinDays` (default 30): the queue entry of the FG and privacy officer. */
export async function evaluationsDue(
  db: Queryable,
  clock: Clock = systemClock,
  withinDays = 30,
): Promise<EvaluationDue[]> {
  const next = await nextEvaluation(db, clock);
  if (!next) return [];
  const horizon = new Date(clock.now().getTime() + withinDays * 86_400_000).toISOString().slice(0, 10);
  return next.dueOn <= horizon ? [next] : [];
}

/** A version and the part of a period it was the newest published one. */
export interface VersionInForce {
  readonly version: number;
  readonly hash: string;
  readonly motivation: string;
  /** ISO timestamp: publication, or the period's start when it was published before. */
  readonly from: string;
  /** ISO timestamp: the next version's publication, or the period's end. */
  readonly to: string;
}

/** The versions in force during [from, to): each from its publication until the next one's. */
export async function versionsInForce(db: Queryable, from: Date, to: Date): Promise<VersionInForce[]> {
  const rows = await db.query<VersionRow>(
    "SELECT version, hash, motivation, published_at FROM policy_versions ORDER BY version",
  );
  const out: VersionInForce[] = [];
  rows.forEach((row, i) => {
    const start = new Date(iso(row.published_at));
    const next = rows[i + 1];
    const end = next ? new Date(iso(next.published_at)) : to;
    if (end <= from || start >= to) return;
    out.push({
      version: row.version,
      hash: row.hash,
      motivation: row.motivation,
      from: (start > from ? start : from).toISOString(),
      to: (end < to ? end : to).toISOString(),
    });
  });
  return out;
}

/**
 * The stored versions as `policy diff`/`policy replay` references (`v<N>`, and by content hash for
 * records decided under an older version; src/policy/policy-ref.ts).
 */
export function storedVersionSources(
  db: Queryable,
): Required<Pick<PolicyRefSources, "loadVersion" | "loadByHash">> {
  const loadVersion: StoredVersionLoader = async (n) => {
    const loaded = await loadStoredVersion(db, n);
    if (loaded.ok) return ok(loaded.value.policy);
    if (loaded.error.kind === "not_found")
      return err({ kind: "unknown", message: `v${n}: there is no stored policy version ${n}` });
    return err({
      kind: "invalid",
      message: `v${n}: the stored version does not load: ${loaded.error.problems.map((p) => p.reason).join("; ")}`,
    });
  };
  const loadByHash = async (hash: string): Promise<LoadedPolicySet | undefined> => {
    const rows = await db.query<{ version: number }>(
      "SELECT version FROM policy_versions WHERE hash = $1 ORDER BY version DESC LIMIT 1",
      [hash],
    );
    const version = rows[0]?.version;
    if (version === undefined) return undefined;
    const loaded = await loadStoredVersion(db, Number(version));
    return loaded.ok ? loaded.value.policy : undefined;
  };
  return { loadVersion, loadByHash };
}
