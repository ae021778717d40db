import { canonicalJson } from "./load-policies.ts";
import type { CompiledRule } from "./disclosure.ts";
import type { DiffArea, PolicyChange } from "./diff.ts";
import type { LoadedPolicySet } from "./policy-set.ts";

/** The sentences of a diff (src/policy/diff.ts): the shared wording helpers and the rules, fields, probes and roles. */

export type Push = (area: DiffArea, change: PolicyChange["change"], id: string, sentence: string) => void;

export const list = (items: readonly string[]): string => items.join(", ");
export const plural = (word: string, items: readonly string[]) =>
  `${word}${items.length === 1 ? "" : "s"} ${list(items)}`;
export const added = (a: readonly string[], b: readonly string[]) => b.filter((x) => !a.includes(x)).sort();
export const removed = (a: readonly string[], b: readonly string[]) => added(b, a);
export const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
export const byId = <T>(items: Iterable<T>, id: (t: T) => string) =>
  new Map([...items].map((t) => [id(t), t]));
export const ids = <T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>) =>
  [...new Set([...a.keys(), ...b.keys()])].sort();

/** Keyed entities on both sides: calls the callbacks for added, removed and present-in-both. */
export function eachKeyed<T>(
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
export function propertyChanges(x: object, y: object): string[] {
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

export function ruleChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
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

export function catalogueChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
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

export function probeAndRoleChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
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
