import type { Catalogue } from "./catalogue.ts";
import type { Problem } from "./protocol.ts";
import type { DisclosureFile, DisclosureRule } from "./schemas.ts";
import type { ProbeDef, Protocol } from "./types.ts";

/** A disclosure rule with its field maximum expanded to catalogue units (mode `fields` only). */
export type CompiledRule = DisclosureRule & { readonly maxUnits: readonly string[] };

interface Context {
  readonly protocol: Protocol;
  readonly protocolFile: string;
  readonly catalogue: Catalogue;
  readonly probes: readonly ProbeDef[];
}

/**
 * Checks the disclosure rules against the protocol, the catalogue and the probes: deny by default
 * only works if every name in a rule means something, and if for every (source, phase, role) at
 * most one rule decides, so `explain` can always name the one rule that did.
 */
export function checkDisclosure(
  file: DisclosureFile,
  ctx: Context,
): { problems: Problem[]; rules: CompiledRule[] } {
  const problems: Problem[] = [];
  const phases = new Set(ctx.protocol.phases.map((p) => p.id));
  const knownSources = new Set([...ctx.catalogue.sources, ...ctx.probes.map((p) => p.source)]);
  if (file.protocol !== ctx.protocol.id)
    problems.push({
      path: "protocol",
      reason: `these rules are for protocol ${file.protocol}, but ${ctx.protocolFile} is protocol ${ctx.protocol.id}`,
    });

  const ids = new Map<string, number>();
  const owner = new Map<string, number>();
  const rules: CompiledRule[] = [];
  file.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const firstId = ids.get(rule.id);
    if (firstId !== undefined)
      problems.push({ path: `${at}.id`, reason: `duplicate rule id ${rule.id} (also rules[${firstId}])` });
    else ids.set(rule.id, i);
    if (!knownSources.has(rule.source))
      problems.push({
        path: `${at}.source`,
        reason: `unknown source ${rule.source} (no catalogue or probe names it)`,
      });
    rule.phases.forEach((p, j) => {
      if (!phases.has(p))
        problems.push({
          path: `${at}.phases[${j}]`,
          reason: `unknown phase ${p}: protocol ${ctx.protocol.id} (${ctx.protocolFile}) has ${[...phases].join(", ")}`,
        });
    });

    // One rule per (source, phase, role).
    for (const phase of rule.phases)
      for (const role of rule.roles) {
        const key = `${rule.source}|${phase}|${role}`;
        const other = owner.get(key);
        if (other === undefined) {
          owner.set(key, i);
          continue;
        }
        const first = file.rules[other];
        const conflict =
          first && first.mode !== rule.mode
            ? `conflicting modes ${first.mode} and ${rule.mode}`
            : "a second rule";
        problems.push({
          path: at,
          reason: `${conflict} for source ${rule.source}, phase ${phase}, role ${role} (rules[${other}] ${first?.id ?? ""} already decides it; one rule per source, phase and role)`,
        });
      }

    if (rule.mode === "hit" || rule.mode === "fields")
      (rule.probes ?? []).forEach((probeId, j) => {
        const probe = ctx.probes.find((p) => p.id === probeId);
        if (!probe) problems.push({ path: `${at}.probes[${j}]`, reason: `unknown probe ${probeId}` });
        else if (probe.source !== rule.source)
          problems.push({
            path: `${at}.probes[${j}]`,
            reason: `probe ${probeId} belongs to ${probe.source}, not ${rule.source}`,
          });
      });

    let maxUnits: string[] = [];
    if (rule.mode === "fields") {
      const units = new Set<string>();
      rule.fields.forEach((path, j) => {
        const fieldProblem = checkField(ctx.catalogue, rule.source, path);
        if (fieldProblem) problems.push({ path: `${at}.fields[${j}]`, reason: fieldProblem });
        else for (const u of ctx.catalogue.grantableUnder(rule.source, path)) units.add(u);
      });
      maxUnits = [...units].sort();
      if (rule.openData) {
        const closed = maxUnits.filter((u) => ctx.catalogue.classOf(rule.source, u) !== "open");
        if (closed.length > 0)
          problems.push({
            path: `${at}.openData`,
            reason: `openData releases fields without a privacy check, but ${closed.slice(0, 5).join(", ")}${closed.length > 5 ? ` and ${closed.length - 5} more` : ""} ${closed.length === 1 ? "is" : "are"} not of class open (Maastricht art. 18, 20: closed data need a check)`,
          });
      }
    }
    rules.push(Object.freeze({ ...rule, maxUnits: Object.freeze(maxUnits) }));
  });
  return { problems, rules };
}

/**
 * Why a rule (or a theme dataset) may not name `path` as (part of) what it grants, or undefined
 * if it may. `verb` words the refusal: a rule grants, a theme dataset shares.
 */
export function checkField(
  catalogue: Catalogue,
  source: string,
  path: string,
  verb: { readonly does: string; readonly done: string } = { does: "grants", done: "granted" },
): string | undefined {
  const all = catalogue.unitsUnder(source, path);
  if (all.length === 0) return `unknown field ${path} in the ${source} catalogue`;
  const unit = catalogue.unitFor(source, path);
  if (unit !== undefined && unit !== path) return `${path} is part of the field ${unit}; name ${unit}`;
  const special = all.filter((u) => catalogue.classOf(source, u) === "special");
  if (special.length > 0)
    return `${verb.does} special-category data (${special.join(", ")}): forbidden by GDPR art. 9 and Maastricht art. 6.4`;
  const grantable = catalogue.grantableUnder(source, path);
  if (grantable.length === 0)
    return `${path} is delivered automatically by the source and cannot be ${verb.done} (only its parent fields can)`;
  return undefined;
}
