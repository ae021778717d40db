import { canonicalJson } from "./load-policies.ts";
import { cellSentence, diffCells, type CellChange } from "./diff-cells.ts";
import type { CompiledRule } from "./disclosure.ts";
import type { LoadedPolicySet } from "./policy-set.ts";

/** What a change is about, in the order the diff lists them. */
export const DIFF_AREAS = [
  "rule",
  "field",
  "probe",
  "role",
  "department",
  "theme",
  "client",
  "retention",
  "activity",
  "protocol",
] as const;
export type DiffArea = (typeof DIFF_AREAS)[number];

/** One change between two policies, as a sentence a privacy officer reads. */
export interface PolicyChange {
  readonly area: DiffArea;
  readonly change: "added" | "removed" | "changed";
  /** The rule id, `<source>.<field>`, probe id, role, theme, client id, outcome or activity id. */
  readonly id: string;
  readonly sentence: string;
}

/** The difference between two policy sets: changes in words, and the matrix cells that change. */
export interface PolicyDiff {
  readonly from: { readonly ref: string; readonly hash: string };
  readonly to: { readonly ref: string; readonly hash: string };
  readonly changes: readonly PolicyChange[];
  readonly cells: readonly CellChange[];
}

type Push = (area: DiffArea, change: PolicyChange["change"], id: string, sentence: string) => void;

const list = (items: readonly string[]): string => items.join(", ");
const plural = (word: string, items: readonly string[]) =>
  `${word}${items.length === 1 ? "" : "s"} ${list(items)}`;
const added = (a: readonly string[], b: readonly string[]) => b.filter((x) => !a.includes(x)).sort();
const removed = (a: readonly string[], b: readonly string[]) => added(b, a);
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
const byId = <T>(items: Iterable<T>, id: (t: T) => string) => new Map([...items].map((t) => [id(t), t]));
const ids = <T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>) =>
  [...new Set([...a.keys(), ...b.keys()])].sort();

/** Keyed entities on both sides: calls the callbacks for added, removed and present-in-both. */
function eachKeyed<T>(
  a: ReadonlyMap<string, T>,
  b: ReadonlyMap<string, T>,
  on: { added(id: string, t: T): void; removed(id: string, t: T): void; both(id: string, x: T, y: T): void },
): void {
  for (const id of ids(a, b)) {
    const x = a.get(id);
    const y = b.get(id);
    if (x === undefined && y !== undefined) on.added(id, y);
    else if (x !== undefined && y === undefined) on.removed(id, x);
    else if (x !== undefined && y !== undefined && !same(x, y)) on.both(id, x, y);
  }
}

/** Property-level phrases for entities without their own wording (clients, activities, …). */
function propertyChanges(x: object, y: object): string[] {
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const va = a[key];
    const vb = b[key];
    if (same(va, vb)) continue;
    const flat = (v: unknown) => Array.isArray(v) && v.every((i) => typeof i === "string");
    if (flat(va ?? []) && flat(vb ?? [])) {
      const plus = added((va ?? []) as string[], (vb ?? []) as string[]);
      const minus = removed((va ?? []) as string[], (vb ?? []) as string[]);
      out.push(
        `${key}${plus.length > 0 ? ` adds ${list(plus)}` : ""}${plus.length > 0 && minus.length > 0 ? " and" : ""}${minus.length > 0 ? ` drops ${list(minus)}` : ""}`,
      );
    } else if (
      ["string", "number", "boolean", "undefined"].includes(typeof va) &&
      ["string", "number", "boolean", "undefined"].includes(typeof vb)
    )
      out.push(
        `${key} is now ${vb === undefined ? "not set" : JSON.stringify(vb)} (was ${va === undefined ? "not set" : JSON.stringify(va)})`,
      );
    else out.push(`${key} changes`);
  }
  return out;
}

function ruleChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
  const who = (r: CompiledRule) => `${plural("role", r.roles)} in ${plural("phase", r.phases)}`;
  const what = (r: CompiledRule) =>
    r.mode === "fields"
      ? `fields of ${r.source} (${r.maxUnits.length} at most${r.openData ? ", open data" : ""})`
      : `mode ${r.mode} of ${r.source}`;
  eachKeyed(
    byId(from.rules, (r) => r.id),
    byId(to.rules, (r) => r.id),
    {
      added: (id, r) =>
        push("rule", "added", id, `New rule ${id} gives ${who(r)} ${what(r)} (${r.article}).`),
      removed: (id, r) =>
        push("rule", "removed", id, `Rule ${id} is removed: ${who(r)} no longer get ${what(r)}.`),
      both: (id, a, b) => {
        const s = (sentence: string) => push("rule", "changed", id, sentence);
        if (a.source !== b.source) s(`Rule ${id} now decides source ${b.source} (was ${a.source}).`);
        if (a.mode !== b.mode) s(`Rule ${id} now gives mode ${b.mode} (was ${a.mode}) to ${who(b)}.`);
        for (const role of added(a.roles, b.roles)) s(`Rule ${id} now also applies to role ${role}.`);
        for (const role of removed(a.roles, b.roles)) s(`Rule ${id} no longer applies to role ${role}.`);
        for (const phase of added(a.phases, b.phases)) s(`Rule ${id} now also applies in phase ${phase}.`);
        for (const phase of removed(a.phases, b.phases)) s(`Rule ${id} no longer applies in phase ${phase}.`);
        for (const unit of added(a.maxUnits, b.maxUnits))
          s(`Rule ${id} now also allows ${b.source}.${unit} for ${who(b)}.`);
        for (const unit of removed(a.maxUnits, b.maxUnits))
          s(`Rule ${id} no longer allows ${a.source}.${unit} for ${who(b)}.`);
        const probes = (r: CompiledRule) => ("probes" in r ? (r.probes ?? []) : []);
        for (const probe of added(probes(a), probes(b)))
          s(`Rule ${id} now also answers probe ${probe} for ${who(b)}.`);
        for (const probe of removed(probes(a), probes(b)))
          s(`Rule ${id} no longer answers probe ${probe} for ${who(b)}.`);
        const open = (r: CompiledRule) => r.mode === "fields" && r.openData === true;
        if (!open(a) && open(b))
          s(`Rule ${id} now releases its fields as open data, without a privacy check.`);
        if (open(a) && !open(b))
          s(`Rule ${id} no longer releases open data: its fields need a privacy check.`);
        if (a.article !== b.article) s(`Rule ${id} now cites ${b.article} (was ${a.article}).`);
        if (a.reason !== b.reason) s(`Rule ${id} has a new reason: "${b.reason}".`);
      },
    },
  );
}

function catalogueChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
  for (const source of [...new Set([...from.catalogue.sources, ...to.catalogue.sources])].sort()) {
    const entries = (p: LoadedPolicySet) =>
      byId(
        p.catalogue.paths(source).flatMap((u) => p.catalogue.entry(source, u) ?? []),
        (e) => e.path,
      );
    eachKeyed(entries(from), entries(to), {
      added: (unit, e) =>
        push(
          "field",
          "added",
          `${source}.${unit}`,
          `Field ${source}.${unit} is new in the catalogue (class ${e.class}).`,
        ),
      removed: (unit) =>
        push(
          "field",
          "removed",
          `${source}.${unit}`,
          `Field ${source}.${unit} is removed from the catalogue.`,
        ),
      both: (unit, a, b) => {
        const id = `${source}.${unit}`;
        if (a.class !== b.class)
          push("field", "changed", id, `Field ${id} is now class ${b.class} (was ${a.class}).`);
        if (a.autoDelivered !== b.autoDelivered)
          push(
            "field",
            "changed",
            id,
            b.autoDelivered
              ? `Field ${id} is now delivered automatically with its parent and can no longer be granted.`
              : `Field ${id} is no longer delivered automatically; it can be granted on its own.`,
          );
        if (a.note !== b.note) push("field", "changed", id, `Field ${id} has a new note: "${b.note}".`);
      },
    });
  }
}

function probeAndRoleChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
  eachKeyed(
    byId(from.probes, (p) => p.id),
    byId(to.probes, (p) => p.id),
    {
      added: (id, p) => push("probe", "added", id, `Probe ${id} is new: ${p.description}`),
      removed: (id) => push("probe", "removed", id, `Probe ${id} is removed.`),
      both: (id, a, b) => push("probe", "changed", id, `Probe ${id}: ${propertyChanges(a, b).join("; ")}.`),
    },
  );
  const roles = (p: LoadedPolicySet) => new Map(Object.entries(p.roles));
  eachKeyed(roles(from), roles(to), {
    added: (id, r) => push("role", "added", id, `Role ${id} is new (case scope ${r.caseScope}).`),
    removed: (id) => push("role", "removed", id, `Role ${id} is removed.`),
    both: (id, a, b) => {
      if (a.caseScope !== b.caseScope)
        push(
          "role",
          "changed",
          id,
          `Role ${id} now sees cases with scope ${b.caseScope} (was ${a.caseScope}).`,
        );
      const actions = (r: typeof a) => r.actions.map((x) => x.action);
      for (const action of added(actions(a), actions(b)))
        push("role", "changed", id, `Role ${id} may now ${action}.`);
      for (const action of removed(actions(a), actions(b)))
        push("role", "changed", id, `Role ${id} may no longer ${action}.`);
    },
  });
  eachKeyed(
    byId(from.departments, (d) => d.id),
    byId(to.departments, (d) => d.id),
    {
      added: (id, d) => push("department", "added", id, `Department ${id} (${d.name}) is new.`),
      removed: (id) => push("department", "removed", id, `Department ${id} is removed.`),
      both: (id, _a, b) => push("department", "changed", id, `Department ${id} is now called ${b.name}.`),
    },
  );
}

function themeAndClientChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
  eachKeyed(
    byId(from.themes, (t) => t.theme),
    byId(to.themes, (t) => t.theme),
    {
      added: (id, t) => push("theme", "added", id, `Theme dataset ${id}@${t.version} is new.`),
      removed: (id) => push("theme", "removed", id, `Theme dataset ${id} is removed.`),
      both: (id, a, b) => {
        const s = (sentence: string) => push("theme", "changed", id, sentence);
        if (a.version !== b.version) s(`Theme dataset ${id} is now version ${b.version} (was ${a.version}).`);
        const probes = (t: typeof a) => t.check1.flatMap((e) => e.probes);
        for (const p of added(probes(a), probes(b)))
          s(`Theme dataset ${id} now approves probe ${p} for check 1 without advice.`);
        for (const p of removed(probes(a), probes(b)))
          s(`Theme dataset ${id} no longer approves probe ${p} for check 1.`);
        const fields = (t: typeof a) =>
          t.check2a.flatMap((e) => e.fields.map((f) => `${e.source}.${f} for ${e.recipient}`));
        for (const f of added(fields(a), fields(b)))
          s(`Theme dataset ${id} now shares ${f} in check 2a without advice.`);
        for (const f of removed(fields(a), fields(b)))
          s(`Theme dataset ${id} no longer shares ${f} in check 2a.`);
        if (a.reason !== b.reason || a.article !== b.article)
          s(`Theme dataset ${id} has a new reason or article.`);
      },
    },
  );
  eachKeyed(from.clients, to.clients, {
    added: (id, c) => push("client", "added", id, `Client ${id} is new: acts as ${list(c.roles)}.`),
    removed: (id) => push("client", "removed", id, `Client ${id} is removed: its tokens act as nobody.`),
    both: (id, a, b) => push("client", "changed", id, `Client ${id}: ${propertyChanges(a, b).join("; ")}.`),
  });
}

function protocolChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
  const a = from.protocol;
  const b = to.protocol;
  eachKeyed(
    byId(a.outcomes, (o) => o.id),
    byId(b.outcomes, (o) => o.id),
    {
      added: (id, o) =>
        push(
          "retention",
          "added",
          id,
          `Outcome ${id} is new: personal data are kept ${o.retention} after closing.`,
        ),
      removed: (id) => push("retention", "removed", id, `Outcome ${id} is removed.`),
      both: (id, x, y) => {
        if (x.retention !== y.retention)
          push(
            "retention",
            "changed",
            id,
            `Outcome ${id}: personal data are now kept ${y.retention} after closing (was ${x.retention}).`,
          );
        if (x.legalBasis !== y.legalBasis)
          push(
            "retention",
            "changed",
            id,
            `Outcome ${id} has a new legal basis for destruction: "${y.legalBasis}".`,
          );
        const rest = propertyChanges(
          { ...x, retention: 0, legalBasis: 0 },
          { ...y, retention: 0, legalBasis: 0 },
        );
        if (rest.length > 0)
          push("protocol", "changed", `outcome.${id}`, `Outcome ${id}: ${rest.join("; ")}.`);
      },
    },
  );
  if (!same(a.auditRetention, b.auditRetention))
    push(
      "retention",
      "changed",
      "auditRetention",
      `Audit records are now kept at most ${b.auditRetention.retention} (was ${a.auditRetention.retention}); ${b.auditRetention.article}.`,
    );
  if (!same(a.reporter, b.reporter))
    push(
      "retention",
      "changed",
      "reporter",
      `The reporter's data are now kept at most ${b.reporter?.retention ?? "until acknowledgement or the case ends"} (was ${a.reporter?.retention ?? "until acknowledgement or the case ends"}).`,
    );
  eachKeyed(
    byId(from.processingActivities.all, (x) => x.id),
    byId(to.processingActivities.all, (x) => x.id),
    {
      added: (id, x) => push("activity", "added", id, `Processing activity ${id} (${x.name}) is new.`),
      removed: (id) =>
        push("activity", "removed", id, `Processing activity ${id} is removed from the register.`),
      both: (id, x, y) =>
        push("activity", "changed", id, `Processing activity ${id}: ${propertyChanges(x, y).join("; ")}.`),
    },
  );
  if (a.id !== b.id) push("protocol", "changed", "protocol", `The protocol is now ${b.id} (was ${a.id}).`);
  const phases = (p: typeof a) => p.phases.map((x) => x.id);
  for (const p of added(phases(a), phases(b))) push("protocol", "added", `phase.${p}`, `Phase ${p} is new.`);
  for (const p of removed(phases(a), phases(b)))
    push("protocol", "removed", `phase.${p}`, `Phase ${p} is removed.`);
  const moves = (p: typeof a) => p.transitions.map((t) => `${t.from} → ${t.to}`);
  for (const t of added(moves(a), moves(b)))
    push("protocol", "added", `transition.${t}`, `A case may now move ${t}.`);
  for (const t of removed(moves(a), moves(b)))
    push("protocol", "removed", `transition.${t}`, `A case may no longer move ${t}.`);
  eachKeyed(
    byId(a.checks, (c) => c.kind),
    byId(b.checks, (c) => c.kind),
    {
      added: (id, c) =>
        push(
          "protocol",
          "added",
          `check.${id}`,
          `Privacy check ${id} is now possible, in ${plural("phase", c.phases)}.`,
        ),
      removed: (id) =>
        push("protocol", "removed", `check.${id}`, `Privacy check ${id} can no longer be requested.`),
      both: (id, x, y) =>
        push(
          "protocol",
          "changed",
          `check.${id}`,
          `Approvals of privacy check ${id} now take effect in ${plural("phase", y.phases)} (was ${list(x.phases)}).`,
        ),
    },
  );
}

/**
 * The difference between two policy sets (issue 14 "Diff and replay"): every rule, field, probe,
 * role, department, theme dataset, client, retention period, processing activity and protocol
 * element added, removed or changed, each as a sentence, and every matrix cell (role × phase ×
 * source × field/probe) whose answer changes, computed with the decision function enforcement
 * uses. Deterministic: the same two policies always give the same diff, in the same order.
 */
export function diffPolicies(
  from: { readonly ref: string; readonly policy: LoadedPolicySet },
  to: { readonly ref: string; readonly policy: LoadedPolicySet },
): PolicyDiff {
  const changes: PolicyChange[] = [];
  const push: Push = (area, change, id, sentence) => changes.push({ area, change, id, sentence });
  ruleChanges(from.policy, to.policy, push);
  catalogueChanges(from.policy, to.policy, push);
  probeAndRoleChanges(from.policy, to.policy, push);
  themeAndClientChanges(from.policy, to.policy, push);
  protocolChanges(from.policy, to.policy, push);
  const order = (c: PolicyChange) => DIFF_AREAS.indexOf(c.area);
  // Stable sort: inside an area and id, sentences keep the order they were written in.
  changes.sort((x, y) => order(x) - order(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return {
    from: { ref: from.ref, hash: from.policy.hash },
    to: { ref: to.ref, hash: to.policy.hash },
    changes,
    cells: diffCells(from.policy, to.policy),
  };
}

/** The diff as text: the sentences, then the cells that change. */
export function diffText(diff: PolicyDiff): string {
  const lines = [
    `policy diff ${diff.from.ref} (${diff.from.hash.slice(0, 12)}) → ${diff.to.ref} (${diff.to.hash.slice(0, 12)})`,
  ];
  if (diff.changes.length === 0 && diff.cells.length === 0) return `${lines[0]}\nno differences\n`;
  lines.push("", `Changes (${diff.changes.length}):`);
  for (const c of diff.changes) lines.push(`  - ${c.sentence}`);
  lines.push("", `Matrix cells that change (${diff.cells.length}):`);
  for (const c of diff.cells) lines.push(`  ${cellSentence(c)}`);
  return `${lines.join("\n")}\n`;
}

export { cellSentence, type CellChange };
