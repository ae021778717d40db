import { ROLES, type Role } from "../shared/index.ts";
import { buildCaseAbility } from "./ability.ts";
import type { LoadedPolicySet } from "./policy-set.ts";
import type { Approval, CaseAbility } from "./types.ts";

/**
 * What one policy gives in one cell of the matrix: the mode of a source, or for a field or probe
 * whether it is released without a check (`open`), only with an approved privacy check
 * (`with check`), or never (`denied`).
 */
export type CellState = string;

/** One cell of role × phase × source (× field or probe) whose answer differs between two policies. */
export interface CellChange {
  readonly role: Role;
  readonly phase: string;
  readonly source: string;
  /** `mode` for the source's disclosure mode, else the field (catalogue unit) or probe id. */
  readonly kind: "mode" | "field" | "probe";
  readonly item: string;
  readonly before: CellState;
  readonly after: CellState;
  readonly ruleBefore?: string | undefined;
  readonly ruleAfter?: string | undefined;
}

interface CellAnswer {
  readonly state: CellState;
  readonly ruleId?: string | undefined;
}

/** The two abilities of one (role, phase, source): with no approval, and with every approval. */
interface CellAbilities {
  readonly bare: CaseAbility;
  readonly approved: CaseAbility;
}

const ABSENT: CellAnswer = { state: "none" };

/**
 * The abilities `buildCaseAbility` gives a role on its own open case (owner, shared with its
 * department) in `phase`, without approvals and with a check approving everything of `source`.
 * Exactly the function enforcement uses, so a cell says what a request would get.
 */
function abilitiesFor(
  policy: LoadedPolicySet,
  role: Role,
  phase: string,
  source: string,
): CellAbilities | undefined {
  if (!policy.protocol.phases.some((p) => p.id === phase)) return undefined;
  const department = policy.departments[0]?.id;
  const actor = {
    subject: "diff",
    roles: [role],
    amr: [],
    issuer: "diff",
    ...(department ? { department } : {}),
  };
  const facts = {
    id: "diff",
    phase,
    status: phase === policy.protocol.closedPhase ? ("closed" as const) : ("open" as const),
    owner: "diff",
    substitute: null,
    sharedWithDepartment: true,
  };
  const everything: Approval = {
    checkId: "diff",
    source,
    fields: [...policy.catalogue.paths(source)],
    probes: policy.probes.filter((p) => p.source === source).map((p) => p.id),
    recipients: policy.departments.map((d) => d.id),
  };
  return {
    bare: buildCaseAbility(policy, { actor, case: facts, approvals: [] }),
    approved: buildCaseAbility(policy, { actor, case: facts, approvals: [everything] }),
  };
}

const modeOf = (a: CellAbilities | undefined, source: string): CellAnswer => {
  if (!a) return ABSENT;
  const m = a.bare.mode(source);
  return { state: m.mode, ruleId: m.decision.ruleId };
};

const grantOf = (
  a: CellAbilities | undefined,
  ask: (ability: CaseAbility) => { readonly allowed: boolean; readonly ruleId?: string | undefined },
): CellAnswer => {
  if (!a) return { state: "denied" };
  const bare = ask(a.bare);
  if (bare.allowed) return { state: "open", ruleId: bare.ruleId };
  const approved = ask(a.approved);
  return approved.allowed
    ? { state: "with check", ruleId: approved.ruleId }
    : { state: "denied", ruleId: approved.ruleId };
};

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort();

/** The phases of both protocols: the new one's order first, then phases only the old one has. */
const phasesOf = (from: LoadedPolicySet, to: LoadedPolicySet): string[] => {
  const ids = to.protocol.phases.map((p) => p.id);
  for (const p of from.protocol.phases) if (!ids.includes(p.id)) ids.push(p.id);
  return ids;
};

/**
 * Every matrix cell whose answer differs between `from` and `to`, ordered by role (as ROLES
 * lists them), phase (protocol order), source, then mode before fields before probes, then item.
 */
export function diffCells(from: LoadedPolicySet, to: LoadedPolicySet): CellChange[] {
  const out: CellChange[] = [];
  const sources = union(from.sources, to.sources);
  for (const role of ROLES)
    for (const phase of phasesOf(from, to))
      for (const source of sources) {
        const a = abilitiesFor(from, role, phase, source);
        const b = abilitiesFor(to, role, phase, source);
        const push = (kind: CellChange["kind"], item: string, before: CellAnswer, after: CellAnswer) => {
          if (before.state === after.state) return;
          out.push({
            role,
            phase,
            source,
            kind,
            item,
            before: before.state,
            after: after.state,
            ...(before.ruleId ? { ruleBefore: before.ruleId } : {}),
            ...(after.ruleId ? { ruleAfter: after.ruleId } : {}),
          });
        };
        const modeA = modeOf(a, source);
        const modeB = modeOf(b, source);
        push("mode", "mode", modeA, modeB);
        const releasing = (m: CellAnswer) => m.state === "fields" || m.state === "hit";
        if (!releasing(modeA) && !releasing(modeB)) continue;
        for (const unit of union(from.catalogue.paths(source), to.catalogue.paths(source))) {
          const ask = (ability: CaseAbility) => ability.field(source, unit);
          push(
            "field",
            unit,
            grantOf(a && from.catalogue.entry(source, unit) ? a : undefined, ask),
            grantOf(b && to.catalogue.entry(source, unit) ? b : undefined, ask),
          );
        }
        const probes = union(
          from.probes.filter((p) => p.source === source).map((p) => p.id),
          to.probes.filter((p) => p.source === source).map((p) => p.id),
        );
        for (const probe of probes) {
          const ask = (ability: CaseAbility) => ability.probe(probe);
          push("probe", probe, grantOf(a, ask), grantOf(b, ask));
        }
      }
  return out;
}

/** `analyst · regie · brp · field geslacht: with check → denied (rule brp.regie.analyst)`. */
export function cellSentence(c: CellChange): string {
  const what = c.kind === "mode" ? "mode" : `${c.kind} ${c.item}`;
  const rules = [...new Set([c.ruleBefore, c.ruleAfter].filter((r): r is string => r !== undefined))];
  return `${c.role} · ${c.phase} · ${c.source} · ${what}: ${c.before} → ${c.after}${rules.length > 0 ? ` (rule ${rules.join(" → ")})` : ""}`;
}
