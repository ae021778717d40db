import { localDay, withinOfficeHours, type OfficeHours } from "./office-hours.ts";

/**
 * Patterns in the processing log that deserve the privacy officer's look (issue 13; Delft §2.5
 * Privacy Officer: checks at every stage that the use of data fits the original purpose, art. 6b:
 * the log is there to be checked; Maastricht art. 3 purpose limitation, art. 14 verify is no
 * search). None of them is a refusal: a refusal stops one request, a pattern shows what many
 * requests together look like, so a person judges it.
 *
 * - `denials`: one actor refused FLAG_DENIALS_THRESHOLD times within FLAG_WINDOW_MIN minutes
 *   (trying doors).
 * - `verifyVariants`: one actor verified one subject with FLAG_VERIFY_VARIANTS different value sets
 *   within the window (fishing for the right birth date or address, across cases too). The value
 *   set is known only by its keyed fingerprint (`detail.valueSet`, src/disclosure/verify-values.ts).
 * - `probeSpread`: one actor's hit/no-hit probes reached FLAG_PROBE_SUBJECTS distinct subjects
 *   within the window (a list run through the probes).
 * - `offHours`: case data disclosed or opened outside OFFICE_HOURS; one event per actor and local day.
 *
 * This module is pure: records and the open events in, the events to write out
 * (src/audit/pattern-records.ts reads and writes them).
 */

export const PATTERNS = ["denials", "verifyVariants", "probeSpread", "offHours"] as const;
export type PatternKind = (typeof PATTERNS)[number];

/** The flag each pattern shows in the queue (next to the refusal flags of src/policy/binding.ts). */
export const PATTERN_FLAGS: Readonly<Record<PatternKind, string>> = Object.freeze({
  denials: "pattern.denials",
  verifyVariants: "pattern.verifyVariants",
  probeSpread: "pattern.probeSpread",
  offHours: "pattern.offHours",
});

export interface PatternSettings {
  readonly denialsThreshold: number;
  readonly verifyVariants: number;
  readonly probeSubjects: number;
  /** The window of the three counting patterns, in milliseconds. */
  readonly windowMs: number;
  readonly officeHours: OfficeHours;
}

/** An audit record as the detector needs it: no registry value, the subject only as pseudonym. */
export interface PatternRecord {
  readonly seq: number;
  readonly at: Date;
  readonly actor: string;
  readonly caseId: string | null;
  readonly operation: string;
  readonly subject: string | null;
  /** The verify record's value-set fingerprint. */
  readonly valueSet: string | null;
  /** Which patterns the record counts for. */
  readonly counts: readonly PatternKind[];
}

/** A stored event, as far as detection needs it. */
export interface OpenPattern {
  readonly id: string;
  readonly pattern: PatternKind;
  readonly actor: string;
  readonly scope: string;
  /** verifyVariants: the subject of the window's first record (what `scope` names). */
  readonly subject: string | null;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly seqs: readonly number[];
  readonly recordsTotal: number;
  readonly measure: number;
}

/** An event to insert (no id) or update (with the stored id). */
export interface PatternWrite {
  readonly id?: string | undefined;
  readonly pattern: PatternKind;
  readonly actor: string;
  readonly scope: string;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly records: readonly PatternRecord[];
  /** All seqs, stored ones included, ascending. */
  readonly seqs: readonly number[];
  readonly recordsTotal: number;
  readonly measure: number;
  readonly threshold: number;
}

const byTime = (a: PatternRecord, b: PatternRecord) => a.at.getTime() - b.at.getTime() || a.seq - b.seq;

/** What a counting pattern counts in a set of records. */
const MEASURES: Readonly<Record<Exclude<PatternKind, "offHours">, (r: PatternRecord) => string>> = {
  denials: (r) => String(r.seq),
  verifyVariants: (r) => r.valueSet ?? "",
  probeSpread: (r) => r.subject ?? "",
};

const measureOf = (pattern: Exclude<PatternKind, "offHours">, records: readonly PatternRecord[]) =>
  new Set(records.map(MEASURES[pattern])).size;

const thresholdOf = (pattern: PatternKind, s: PatternSettings) =>
  pattern === "denials"
    ? s.denialsThreshold
    : pattern === "verifyVariants"
      ? s.verifyVariants
      : pattern === "probeSpread"
        ? s.probeSubjects
        : 1;

/** Records of one actor (and, for verifyVariants, one subject) count together. */
const groupKey = (pattern: PatternKind, actor: string, subject: string | null) =>
  pattern === "verifyVariants" ? `${actor}\u0000${subject ?? ""}` : actor;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const mergeSeqs = (stored: readonly number[], records: readonly PatternRecord[]) =>
  [...new Set([...stored, ...records.map((r) => r.seq)])].sort((a, b) => a - b);

/**
 * The first window of `records` (time order) in which the pattern reaches its threshold: it
 * starts at a record and lasts `windowMs` (end exclusive), so N records within the window flag,
 * and the same N spread over a little more do not. Undefined when no window reaches it.
 */
function firstWindow(
  pattern: Exclude<PatternKind, "offHours">,
  records: readonly PatternRecord[],
  threshold: number,
  windowMs: number,
): { start: number; end: number } | undefined {
  const counts = new Map<string, number>();
  const measure = MEASURES[pattern];
  let right = 0;
  for (let left = 0; left < records.length; left++) {
    const end = records[left]!.at.getTime() + windowMs;
    while (right < records.length && records[right]!.at.getTime() < end) {
      const k = measure(records[right]!);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      right++;
    }
    if (counts.size >= threshold) return { start: left, end: right };
    const k = measure(records[left]!);
    const n = (counts.get(k) ?? 1) - 1;
    if (n === 0) counts.delete(k);
    else counts.set(k, n);
  }
  return undefined;
}

/**
 * A counting pattern over one group. Records in the window of a stored event join it (that is the
 * deduplication: the same records never open a second event); after the last stored window, the
 * remaining records are searched for new windows, one after the other, never overlapping.
 * `fresh` tells which records are new since the last scan: a stored event is written only when it
 * got one (its window then lies wholly within the records read, so its measure is complete).
 */
function countGroup(
  pattern: Exclude<PatternKind, "offHours">,
  records: readonly PatternRecord[],
  open: readonly OpenPattern[],
  settings: PatternSettings,
  fresh: (r: PatternRecord) => boolean,
): PatternWrite[] {
  const threshold = thresholdOf(pattern, settings);
  const writes: PatternWrite[] = [];
  const events = [...open].sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime());
  const assigned = new Map<string, PatternRecord[]>();
  const rest: PatternRecord[] = [];
  for (const r of records) {
    const event = events.find((e) => e.windowStart <= r.at && r.at < e.windowEnd);
    if (event) assigned.set(event.id, [...(assigned.get(event.id) ?? []), r]);
    else rest.push(r);
  }
  for (const event of events) {
    const mine = assigned.get(event.id) ?? [];
    if (!mine.some(fresh)) continue;
    const seqs = mergeSeqs(event.seqs, mine);
    writes.push({
      id: event.id,
      pattern,
      actor: event.actor,
      scope: event.scope,
      windowStart: event.windowStart,
      windowEnd: event.windowEnd,
      records: mine,
      seqs,
      recordsTotal: Math.max(event.recordsTotal, seqs.length),
      measure: Math.max(event.measure, measureOf(pattern, mine)),
      threshold,
    });
  }
  const frontier = Math.max(-Infinity, ...events.map((e) => e.windowEnd.getTime()));
  let pending = rest.filter((r) => r.at.getTime() >= frontier);
  for (;;) {
    const found = firstWindow(pattern, pending, threshold, settings.windowMs);
    if (!found) break;
    const inWindow = pending.slice(found.start, found.end);
    const anchor = inWindow[0]!;
    // A window made only of records seen before did not reach the threshold then: it does not now.
    if (inWindow.some(fresh)) {
      const seqs = mergeSeqs([], inWindow);
      writes.push({
        pattern,
        actor: anchor.actor,
        scope: pattern === "verifyVariants" ? String(anchor.seq) : "",
        windowStart: anchor.at,
        windowEnd: new Date(anchor.at.getTime() + settings.windowMs),
        records: inWindow,
        seqs,
        recordsTotal: seqs.length,
        measure: measureOf(pattern, inWindow),
        threshold,
      });
      pending = pending.slice(found.end);
    } else pending = pending.slice(found.start + 1);
  }
  return writes;
}

/** Off-hours access: one event per actor and local day, joined by that day's later records. */
function offHours(
  records: readonly PatternRecord[],
  open: readonly OpenPattern[],
  settings: PatternSettings,
  fresh: (r: PatternRecord) => boolean,
): PatternWrite[] {
  const outside = records.filter((r) => fresh(r) && !withinOfficeHours(r.at, settings.officeHours));
  const tz = settings.officeHours.timeZone;
  const days = groupBy(outside, (r) => `${r.actor}\u0000${localDay(r.at, tz).start.toISOString()}`);
  return [...days.values()].map((mine) => {
    const first = mine[0]!;
    const day = localDay(first.at, tz);
    const stored = open.find(
      (e) => e.actor === first.actor && e.windowStart.getTime() === day.start.getTime(),
    );
    const added = mine.filter((r) => !stored?.seqs.includes(r.seq)).length;
    const seqs = mergeSeqs(stored?.seqs ?? [], mine);
    const total = (stored?.recordsTotal ?? 0) + added;
    return {
      ...(stored ? { id: stored.id } : {}),
      pattern: "offHours" as const,
      actor: first.actor,
      scope: "",
      windowStart: day.start,
      windowEnd: day.end,
      records: mine,
      seqs,
      recordsTotal: total,
      measure: total,
      threshold: 1,
    };
  });
}

/**
 * The events the records show. `records` are those read for this scan: every record new since
 * `afterSeq` plus, for the counting patterns, those of the window before the first new one;
 * `open` the stored events whose window ends after the first record read.
 */
export function detectPatterns(
  records: readonly PatternRecord[],
  open: readonly OpenPattern[],
  settings: PatternSettings,
  afterSeq: number,
): PatternWrite[] {
  const fresh = (r: PatternRecord) => r.seq > afterSeq;
  const sorted = [...records].sort(byTime);
  const writes: PatternWrite[] = [];
  for (const pattern of ["denials", "verifyVariants", "probeSpread"] as const) {
    const mine = sorted.filter((r) => r.counts.includes(pattern));
    const stored = open.filter((e) => e.pattern === pattern);
    const groups = groupBy(mine, (r) => groupKey(pattern, r.actor, r.subject));
    for (const [key, group] of groups) {
      const events = stored.filter((e) => groupKey(pattern, e.actor, e.subject) === key);
      writes.push(...countGroup(pattern, group, events, settings, fresh));
    }
  }
  writes.push(
    ...offHours(
      sorted.filter((r) => r.counts.includes("offHours")),
      open.filter((e) => e.pattern === "offHours"),
      settings,
      fresh,
    ),
  );
  return writes;
}
