import {
  FLAG_REVIEW_OPERATION,
  flaggedEventOf,
  listFlagged,
  listPatterns,
  PATTERN_FLAGS,
  patternAuditRecords,
  patternEventOf,
  PATTERNS,
  type AuditEntry,
  type AuditRecord,
  type FlaggedGroup,
  type FlagReview,
  type PatternEventRow,
  type PatternKind,
} from "../audit/index.ts";
import { caseRepository, type CaseError } from "../cases/index.ts";
import { auditBase, type OperationContext } from "../context/index.ts";
import { buildActorAbility, type CaseAction } from "../policy/index.ts";
import { err, ok, type Decision, type Result } from "../shared/index.ts";
import { parseFlaggedArgs, parseNote, type FlaggedArgs } from "./flagged-input.ts";

/**
 * What the privacy officer sees of one flagged event (issue 11 "No enumeration"): when, which rule
 * refused and why, in which case, by whom, and the subject only as the audit log's pseudonym (the
 * same one an access report or `audit` export shows), never the BSN. No registry value is in any
 * denial record, so none is here either.
 */
export interface FlaggedEvent {
  readonly id: string;
  readonly at: Date;
  readonly lastAt: Date;
  readonly attempts: number;
  readonly flag: string;
  readonly rule: string;
  readonly reason: string;
  readonly caseId: string | null;
  readonly caseReference: string | null;
  readonly phase: string | null;
  readonly actor: string;
  readonly operation: string;
  readonly source: string | null;
  readonly subjectPseudonym: string | null;
  readonly subjectType: string | null;
  readonly fields: readonly string[];
  readonly review: FlagReview | null;
  /** For a pattern in the audit log (issue 13): its window, counts and records; null for a refusal. */
  readonly pattern: FlaggedPattern | null;
}

/**
 * What a pattern event adds (src/audit/flag-patterns.ts): the window it was seen in, what it
 * counted against which threshold, and the audit records it rests on, by seq (the evidence stays
 * in the log; the event holds no subject and no value).
 */
export interface FlaggedPattern {
  readonly kind: PatternKind;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly measure: number;
  readonly threshold: number;
  readonly caseIds: readonly string[];
  readonly recordSeqs: readonly number[];
  readonly recordsTotal: number;
}

type Operation = "flagged.read" | "flagged.review";

const badInput = (message: string) => err<CaseError>({ kind: "bad_input", message });
const auditFailed = () =>
  err<CaseError>({ kind: "audit_failed", message: "The audit log could not be written." });

async function log(
  ctx: OperationContext,
  entry: Omit<AuditEntry, keyof ReturnType<typeof auditBase> | "decision" | "reason">,
  decision: Decision,
  caseId?: string,
): Promise<Result<void, CaseError>> {
  const logged = await ctx.audit.append([
    {
      ...auditBase(ctx, undefined, "accountability"),
      ...(caseId ? { caseId } : {}),
      ...entry,
      decision: decision.allowed ? "allow" : "deny",
      reason: decision.reason,
    },
  ]);
  return logged.ok ? ok(undefined) : auditFailed();
}

/**
 * The policy decides (roles.yaml: `flagged.read` for the privacy officer and the FG, `flagged.review`
 * for the privacy officer); a refusal is logged and FORBIDDEN before the input is judged, so a
 * refused caller learns nothing, not even whether its arguments were right.
 */
async function access(
  ctx: OperationContext,
  action: CaseAction & Operation,
  detail: Record<string, unknown>,
): Promise<Result<Decision, CaseError>> {
  const decision = buildActorAbility(ctx.policy, ctx.actor).can(action);
  if (decision.allowed) return ok(decision);
  const logged = await log(ctx, { kind: "access", operation: action, detail }, decision);
  return logged.ok ? err({ kind: "forbidden", message: "Not permitted." }) : logged;
}

async function eventsOf(ctx: OperationContext, groups: readonly FlaggedGroup[]): Promise<FlaggedEvent[]> {
  const caseIds = [...new Set(groups.flatMap((g) => (g.record.caseId ? [g.record.caseId] : [])))];
  const cases = new Map((await caseRepository.getMany(ctx.db, caseIds)).map((c) => [c.id, c]));
  return groups.map(({ record: r, attempts, lastAt, review }) => ({
    id: r.id,
    at: r.at,
    lastAt,
    attempts,
    flag: String(r.detail?.["flag"]),
    rule: String(r.detail?.["rule"] ?? ""),
    reason: r.reason,
    caseId: r.caseId ?? null,
    caseReference: (r.caseId && cases.get(r.caseId)?.reference) ?? null,
    phase: r.phase ?? null,
    actor: r.actor,
    operation: r.operation,
    source: r.source ?? null,
    subjectPseudonym: r.subjectPseudonym ?? null,
    subjectType: r.subjectType ?? null,
    fields: r.fields ?? [],
    review: review ?? null,
    pattern: null,
  }));
}

const minutes = (p: PatternEventRow) =>
  Math.round((p.windowEnd.getTime() - p.windowStart.getTime()) / 60_000);

/** The pattern's reason: what was counted, against which setting, and why it matters; no value. */
function patternReason(p: PatternEventRow): string {
  const within = `within ${minutes(p)} minutes (FLAG_WINDOW_MIN=${minutes(p)}`;
  switch (p.pattern) {
    case "denials":
      return `${p.measure} refusals of one actor ${within}, FLAG_DENIALS_THRESHOLD=${p.threshold}): trying what is not allowed (Delft §2.5 Privacy Officer)`;
    case "verifyVariants":
      return `one subject verified with ${p.measure} different value sets ${within}, FLAG_VERIFY_VARIANTS=${p.threshold}): verification checks the signal, it is no search (Maastricht art. 14, appendix A phase 1)`;
    case "probeSpread":
      return `hit/no-hit probes about ${p.measure} different subjects ${within}, FLAG_PROBE_SUBJECTS=${p.threshold}): only the signal's subjects are asked about (Maastricht art. 3, 14)`;
    case "offHours":
      return `${p.measure} disclosure(s) or reading(s) of case data outside office hours (OFFICE_HOURS, OFFICE_TIMEZONE) on the day from ${p.windowStart.toISOString()} (Delft §2.5 Privacy Officer)`;
  }
}

async function patternEventsOf(
  ctx: OperationContext,
  rows: readonly PatternEventRow[],
): Promise<FlaggedEvent[]> {
  const single = (p: PatternEventRow) => (p.caseIds.length === 1 ? p.caseIds[0]! : null);
  const caseIds = [...new Set(rows.flatMap((p) => single(p) ?? []))];
  const cases = new Map((await caseRepository.getMany(ctx.db, caseIds)).map((c) => [c.id, c]));
  return rows.map((p) => {
    const caseId = single(p);
    return {
      id: p.id,
      at: p.firstAt,
      lastAt: p.lastAt,
      attempts: p.recordsTotal,
      flag: PATTERN_FLAGS[p.pattern],
      rule: `patterns.${p.pattern}`,
      reason: patternReason(p),
      caseId,
      caseReference: (caseId && cases.get(caseId)?.reference) ?? null,
      phase: null,
      actor: p.actor,
      operation: p.operations.join(", "),
      source: null,
      subjectPseudonym: p.subjectPseudonym,
      subjectType: p.subjectType,
      fields: [],
      review: p.review ?? null,
      pattern: {
        kind: p.pattern,
        windowStart: p.windowStart,
        windowEnd: p.windowEnd,
        measure: p.measure,
        threshold: p.threshold,
        caseIds: p.caseIds,
        recordSeqs: p.recordSeqs,
        recordsTotal: p.recordsTotal,
      },
    };
  });
}

/**
 * The audit records a pattern rests on, for a reader who may read the processing log
 * (`audit.read`: the privacy officer and the FG); null for anyone else, who sees the seqs only.
 * The reading of the queue they are part of is in the audit log already (`flagged.read`).
 */
export async function patternRecordsFor(
  ctx: OperationContext,
  pattern: FlaggedPattern,
): Promise<readonly AuditRecord[] | null> {
  if (!buildActorAbility(ctx.policy, ctx.actor).can("audit.read").allowed) return null;
  return patternAuditRecords(ctx.db, pattern.recordSeqs);
}

/**
 * The privacy officer's queue of flagged refusals, newest first, at most `first` (default 50,
 * at most 200); by default only those not yet reviewed. The reading is in the audit log (kind
 * `access`, with the filter) before anything is read: no log, no queue (Delft art. 6b).
 */
export async function flaggedEventsFor(
  ctx: OperationContext,
  args: FlaggedArgs,
): Promise<Result<FlaggedEvent[], CaseError>> {
  const filter = {
    since: args.since ?? null,
    caseId: args.caseId ?? null,
    flag: args.flag ?? null,
    first: args.first ?? null,
    includeReviewed: args.includeReviewed ?? null,
  };
  const decision = await access(ctx, "flagged.read", filter);
  if (!decision.ok) return decision;
  const q = parseFlaggedArgs(args);
  if (!q.ok) return badInput(q.error);
  const logged = await log(
    ctx,
    { kind: "access", operation: "flagged.read", detail: filter },
    decision.value,
    q.value.caseId,
  );
  if (!logged.ok) return logged;
  // Patterns first looked for up to now (never fails: a failure is logged, the queue stays as it was).
  await ctx.flagPatterns?.detect();
  const flag = q.value.flag;
  const kind = PATTERNS.find((p) => PATTERN_FLAGS[p] === flag);
  const groups =
    kind === undefined
      ? await listFlagged(ctx.db, {
          flag,
          caseId: q.value.caseId,
          since: q.value.since,
          includeReviewed: q.value.includeReviewed,
          limit: q.value.first,
        })
      : [];
  const patterns =
    flag === undefined || kind !== undefined
      ? await listPatterns(ctx.db, {
          pattern: kind,
          caseId: q.value.caseId,
          since: q.value.since,
          includeReviewed: q.value.includeReviewed,
          limit: q.value.first,
        })
      : [];
  const events = [...(await eventsOf(ctx, groups)), ...(await patternEventsOf(ctx, patterns))];
  // Newest first, refusals and patterns together (a stable sort keeps each list's own order).
  return ok(events.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, q.value.first));
}

/**
 * Marks a flagged event as reviewed with a note (the privacy officer's, `flagged.review`). The
 * review is itself an audit record (kind `review`, `detail.reviews` = the event's id), so it is
 * append-only and hash-chained, and retention destroys it with the case like the refusal it is
 * about. An event is reviewed once; nobody reviews an attempt of their own (four eyes, whatever
 * roles one token holds).
 */
export async function reviewFlaggedEvent(
  ctx: OperationContext,
  input: { readonly id: string; readonly note: string },
): Promise<Result<FlaggedEvent, CaseError>> {
  const decision = await access(ctx, "flagged.review", { reviews: input.id });
  if (!decision.ok) return decision;
  const note = parseNote(input.note);
  if (!note.ok) return badInput(note.error);
  const event = await flaggedEventOf(ctx.db, input.id);
  if (!event) {
    const pattern = await patternEventOf(ctx.db, input.id);
    if (!pattern) return err({ kind: "not_found", message: "No flagged event with this id." });
    return reviewPattern(ctx, pattern, note.value, decision.value);
  }
  if (event.review)
    return badInput(`id: this flagged event was already reviewed (review ${event.review.id}).`);
  const { record } = event;
  if (record.actor === ctx.actor.subject) {
    const own = { allowed: false, reason: "Nobody reviews a flagged attempt of their own (four eyes)." };
    const logged = await log(
      ctx,
      { kind: "review", operation: FLAG_REVIEW_OPERATION, detail: { reviews: record.id } },
      own,
      record.caseId,
    );
    return logged.ok ? err({ kind: "forbidden", message: "Not permitted." }) : logged;
  }
  const written = await ctx.audit.append([
    {
      ...auditBase(ctx, undefined, "accountability"),
      caseId: record.caseId,
      phase: record.phase,
      kind: "review",
      operation: FLAG_REVIEW_OPERATION,
      decision: "allow",
      reason: decision.value.reason,
      detail: { reviews: record.id, flag: record.detail?.["flag"], note: note.value },
    },
  ]);
  if (!written.ok) return auditFailed();
  const stored = written.value[0]!;
  const [reviewed] = await eventsOf(ctx, [
    { ...event, review: { id: stored.id, actor: stored.actor, at: stored.at, note: note.value } },
  ]);
  return ok(reviewed!);
}

/** reviewFlaggedEvent for a pattern: the same rules (once, four eyes), the same kind of record. */
async function reviewPattern(
  ctx: OperationContext,
  pattern: PatternEventRow,
  note: string,
  decision: Decision,
): Promise<Result<FlaggedEvent, CaseError>> {
  if (pattern.review)
    return badInput(`id: this flagged event was already reviewed (review ${pattern.review.id}).`);
  const flag = PATTERN_FLAGS[pattern.pattern];
  if (pattern.actor === ctx.actor.subject) {
    const own = { allowed: false, reason: "Nobody reviews a flagged pattern of their own (four eyes)." };
    const logged = await log(
      ctx,
      { kind: "review", operation: FLAG_REVIEW_OPERATION, detail: { reviews: pattern.id, flag } },
      own,
    );
    return logged.ok ? err({ kind: "forbidden", message: "Not permitted." }) : logged;
  }
  const written = await ctx.audit.append([
    {
      ...auditBase(ctx),
      kind: "review",
      operation: FLAG_REVIEW_OPERATION,
      decision: "allow",
      reason: decision.reason,
      detail: { reviews: pattern.id, flag, note },
    },
  ]);
  if (!written.ok) return auditFailed();
  const stored = written.value[0]!;
  const [reviewed] = await patternEventsOf(ctx, [
    { ...pattern, review: { id: stored.id, actor: stored.actor, at: stored.at, note } },
  ]);
  return ok(reviewed!);
}
