import type { Actor, Decision } from "../shared/index.ts";
import { buildCaseAbility } from "./ability.ts";
import type { LoadedPolicySet } from "./policy-set.ts";
import { approvalsAt, type ReplayCase } from "./replay-approvals.ts";
import type { CaseAbility } from "./types.ts";

/**
 * Replay (issue 14 "Diff and replay"): the recorded disclosures and denials of a period re-decided
 * under a candidate policy, with the approvals that were in force at each record's time. Pure: the
 * records and the case history come in (src/cases/replay-history.ts reads them), nothing is asked
 * upstream, and the report names only record ids, rules, fields, probes, phases and roles — never a
 * subject, a pseudonym or a value.
 */

/** What replay needs of one audit record (src/audit AuditRecord has all of it). */
export interface ReplayRecord {
  readonly seq: number;
  readonly id: string;
  readonly at: Date;
  readonly kind: string;
  readonly actor: string;
  readonly roles: readonly string[];
  readonly clientId?: string | undefined;
  readonly caseId?: string | undefined;
  readonly phase?: string | undefined;
  readonly operation: string;
  readonly source?: string | undefined;
  readonly subjectPseudonym?: string | undefined;
  readonly probes?: readonly string[] | undefined;
  readonly fields?: readonly string[] | undefined;
  readonly decision: "allow" | "deny" | "error";
  readonly policyHash: string;
  readonly tombstone?: boolean | undefined;
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}

export interface RecordRef {
  readonly seq: number;
  readonly id: string;
}

export type FlipDirection = "allow→deny" | "deny→allow";

/** The flips of one rule, item (field, probe or mode) and phase. */
export interface FlipGroup {
  readonly direction: FlipDirection;
  /** The rule that decides under the candidate (or, if it names none, the one that decided before). */
  readonly rule: string | null;
  readonly source: string;
  readonly kind: "field" | "probe" | "mode";
  readonly item: string;
  readonly phase: string;
  readonly roles: readonly string[];
  readonly count: number;
  readonly examples: readonly RecordRef[];
}

export interface NotReplayable {
  readonly reason: string;
  readonly count: number;
  readonly examples: readonly RecordRef[];
}

export interface PolicyReplay {
  readonly candidate: { readonly ref: string; readonly hash: string };
  readonly period: { readonly from: string; readonly to: string };
  /** Disclosure and denial records of the period. */
  readonly records: number;
  readonly replayed: number;
  /** Records whose decision (allow or deny as a whole) flips. */
  readonly flipped: { readonly allowToDeny: number; readonly denyToAllow: number };
  readonly unchanged: number;
  /** Per rule, item and phase: the items whose decision flips, with counts and example records. */
  readonly flips: readonly FlipGroup[];
  readonly notReplayable: readonly NotReplayable[];
}

export interface ReplayInput {
  readonly candidate: { readonly ref: string; readonly policy: LoadedPolicySet };
  readonly period: { readonly from: Date; readonly to: Date };
  readonly records: readonly ReplayRecord[];
  readonly cases: ReadonlyMap<string, ReplayCase>;
  /**
   * The policy that decided a record, by the hash it carries: the replay re-decides each record
   * under it first and replays only records whose recorded decision it reproduces.
   */
  readonly policyByHash: (hash: string) => LoadedPolicySet | undefined;
  /** Example record ids per group (default 5). */
  readonly examples?: number | undefined;
}

interface Item {
  readonly kind: FlipGroup["kind"];
  readonly item: string;
}

type Asked =
  | { readonly ok: true; readonly source: string; readonly items: readonly Item[] }
  | { readonly ok: false; readonly reason: string };

const MODE_OPERATIONS: Readonly<Record<string, string>> = { verify: "verify", territory: "territory" };

/** What a record asked: its probes, its fields, or a mode; or why it cannot be re-decided. */
function askedOf(r: ReplayRecord): Asked {
  if (!r.caseId || !r.phase || !r.source)
    return { ok: false, reason: "the record names no case, phase or source" };
  if (r.tombstone) return { ok: false, reason: "destroyed by retention (tombstone)" };
  if (typeof r.detail?.flag === "string")
    return {
      ok: false,
      reason: `refused by gateway rule ${String(r.detail.rule ?? r.detail.flag)}, not by the policy files`,
    };
  if (typeof r.detail?.embeddedIn === "string")
    return {
      ok: false,
      reason: "a person embedded in a released record (decided by the embedded-person screening)",
    };
  const op = r.operation.slice(r.operation.indexOf(".") + 1);
  if (op === "hits") {
    const probes = r.probes ?? [];
    return probes.length > 0
      ? { ok: true, source: r.source, items: probes.map((p) => ({ kind: "probe", item: p })) }
      : { ok: false, reason: "a hit record without probes" };
  }
  const mode = MODE_OPERATIONS[op];
  if (mode) return { ok: true, source: r.source, items: [{ kind: "mode", item: mode }] };
  if (op === "resolve")
    return { ok: false, reason: "a BRP search at intake (not a disclosure rule decision)" };
  const fields = r.fields ?? [];
  return fields.length > 0
    ? { ok: true, source: r.source, items: fields.map((f) => ({ kind: "field", item: f })) }
    : { ok: true, source: r.source, items: [{ kind: "mode", item: "fields" }] };
}

function abilityAt(policy: LoadedPolicySet, r: ReplayRecord, c: ReplayCase): CaseAbility {
  const phase = r.phase ?? "";
  const actor: Actor = {
    subject: r.actor,
    roles: r.roles as Actor["roles"],
    amr: [],
    issuer: "replay",
    ...(r.clientId ? { clientId: r.clientId } : {}),
  };
  return buildCaseAbility(policy, {
    actor,
    // The record exists, so the actor saw the case: as its owner for a role with case scope `assigned`.
    case: {
      id: c.id,
      phase,
      status: phase === policy.protocol.closedPhase ? "closed" : "open",
      owner: r.actor,
      substitute: null,
      theme: c.theme,
      reference: c.reference,
    },
    approvals: approvalsAt(policy, c, r.at, phase, r.subjectPseudonym),
  });
}

function decideItem(ability: CaseAbility, source: string, i: Item): Decision {
  if (i.kind === "probe") return ability.probe(i.item);
  const mode = ability.mode(source);
  if (i.kind === "mode") return mode.mode === i.item ? mode.decision : { ...mode.decision, allowed: false };
  return ability.field(source, i.item);
}

/** Re-decides the records of a period under the candidate and reports what flips. */
export function replayDecisions(input: ReplayInput): PolicyReplay {
  const maxExamples = input.examples ?? 5;
  const candidate = input.candidate.policy;
  const groups = new Map<
    string,
    { group: Omit<FlipGroup, "count" | "examples" | "roles">; roles: Set<string>; refs: RecordRef[] }
  >();
  const skipped = new Map<string, RecordRef[]>();
  const skip = (reason: string, r: ReplayRecord) =>
    skipped.set(reason, [...(skipped.get(reason) ?? []), { seq: r.seq, id: r.id }]);
  let replayed = 0;
  let allowToDeny = 0;
  let denyToAllow = 0;
  const records = input.records.filter((r) => r.kind === "disclosure" || r.kind === "denial");
  for (const r of records) {
    const asked = askedOf(r);
    if (!asked.ok) {
      skip(asked.reason, r);
      continue;
    }
    const c = input.cases.get(r.caseId ?? "");
    if (!c) {
      skip("the case is no longer in the database", r);
      continue;
    }
    if (
      r.roles.some((role) => candidate.roles[role as keyof typeof candidate.roles]?.caseScope === "shared")
    ) {
      skip("a department role: the record does not name the actor's department", r);
      continue;
    }
    const deciding = input.policyByHash(r.policyHash);
    if (!deciding) {
      skip(
        `decided under policy ${r.policyHash.slice(0, 12)}, which is not available to check the reconstruction`,
        r,
      );
      continue;
    }
    if (r.roles.some((role) => !(role in deciding.roles) || !(role in candidate.roles))) {
      skip("the record names a role one of the policies does not know", r);
      continue;
    }
    const own = abilityAt(deciding, r, c);
    const before = asked.items.map((i) => decideItem(own, asked.source, i));
    const recorded = r.decision !== "deny";
    if (before.every((d) => d.allowed) !== recorded) {
      skip(
        "re-deciding it under its own policy does not give the recorded decision (decided outside the policy files)",
        r,
      );
      continue;
    }
    replayed++;
    const ability = abilityAt(candidate, r, c);
    const after = asked.items.map((i) => decideItem(ability, asked.source, i));
    const nowAllowed = after.every((d) => d.allowed);
    if (recorded && !nowAllowed) allowToDeny++;
    if (!recorded && nowAllowed) denyToAllow++;
    asked.items.forEach((i, n) => {
      const b = before[n];
      const a = after[n];
      if (!b || !a || b.allowed === a.allowed) return;
      const direction: FlipDirection = b.allowed ? "allow→deny" : "deny→allow";
      const rule = a.ruleId ?? b.ruleId ?? null;
      const key = [direction, rule ?? "", asked.source, i.kind, i.item, r.phase].join("|");
      const entry = groups.get(key) ?? {
        group: { direction, rule, source: asked.source, kind: i.kind, item: i.item, phase: r.phase ?? "" },
        roles: new Set<string>(),
        refs: [],
      };
      r.roles.forEach((role) => entry.roles.add(role));
      entry.refs.push({ seq: r.seq, id: r.id });
      groups.set(key, entry);
    });
  }
  const flips = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({
      ...g.group,
      roles: [...g.roles].sort(),
      count: g.refs.length,
      examples: g.refs.slice(0, maxExamples),
    }));
  return {
    candidate: { ref: input.candidate.ref, hash: candidate.hash },
    period: { from: input.period.from.toISOString(), to: input.period.to.toISOString() },
    records: records.length,
    replayed,
    flipped: { allowToDeny, denyToAllow },
    unchanged: replayed - allowToDeny - denyToAllow,
    flips,
    notReplayable: [...skipped.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([reason, refs]) => ({ reason, count: refs.length, examples: refs.slice(0, maxExamples) })),
  };
}

export { approvalsAt, type ReplayCase, type ReplayCheck, type ReplayCheckStep } from "./replay-approvals.ts";
export { replayText } from "./replay-text.ts";
