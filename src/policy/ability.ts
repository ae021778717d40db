import { subject as asSubject } from "@casl/ability";
import type { Actor, Decision, DisclosureMode, Role } from "../shared/index.ts";
import { compileActorRules, compileCaseRules, ruleIdOf, type PolicyAbility } from "./compile-rules.ts";
import { clientCaseDecision, clientOf } from "./clients.ts";
import { canonicalJson } from "./load-policies.ts";
import type { LoadedPolicySet } from "./policy-set.ts";
import type { ActorAbility, Approval, CaseAbility, CaseAction, CaseFacts } from "./types.ts";

const MODES_TO_ASK: readonly DisclosureMode[] = ["verify", "territory", "hit", "fields", "none"];
const SCOPE_ORDER = ["none", "shared", "client", "assigned", "all"] as const;

const sortedRoles = (roles: readonly Role[]): Role[] => [...new Set(roles)].sort();
const deny = (reason: string, ruleId?: string): Decision =>
  ruleId ? { allowed: false, reason, ruleId } : { allowed: false, reason };

/** The decision of the CASL rule that matches, or undefined if none does. */
function decide(ability: PolicyAbility, action: string, subject: object): Decision | undefined {
  const r = ability.relevantRuleFor(action, subject as never);
  if (!r) return undefined;
  const ruleId = ruleIdOf(r);
  return { allowed: !r.inverted, reason: r.reason ?? "", ...(ruleId ? { ruleId } : {}) };
}

/**
 * What `actor` may do on one case now. Compiled rules are cached inside the policy set by
 * (roles, phase, assignment, approvals); the case status is evaluated per call.
 */
export function buildCaseAbility(
  policy: LoadedPolicySet,
  input: { readonly actor: Actor; readonly case: CaseFacts; readonly approvals: readonly Approval[] },
): CaseAbility {
  const { actor, case: facts } = input;
  const roles = sortedRoles(actor.roles);
  // A service account touches only the cases its clients.yaml entry names, whatever its roles
  // (issue 12); inside them a role with case scope `client` stands as the case's RO/AVO does.
  const bound = clientCaseDecision(policy.clients, actor, facts);
  if (!bound.allowed) return outsideClientAbility(bound);
  const client = clientOf(policy.clients, actor) !== undefined;
  // Standing comes from the role that grants it (issue 10): being the owner counts only for roles
  // with case scope `assigned`, a department's share only for roles with scope `shared`.
  const assigned =
    (facts.owner === actor.subject || facts.substitute === actor.subject) &&
    roles.some((role) => policy.roles[role].caseScope === "assigned");
  const shared =
    facts.sharedWithDepartment === true && roles.some((r) => policy.roles[r].caseScope === "shared");
  const department = shared ? actor.department : undefined;
  const approvals = [...input.approvals].sort((a, b) =>
    a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0,
  );
  const key = `case|${roles.join(",")}|${facts.phase}|${assigned}|${shared}|${department ?? ""}|${client}|${canonicalJson(approvals)}`;
  const compiled = policy.memo(key, () =>
    compileCaseRules(policy, roles, facts.phase, { assigned, shared, department, client }, approvals),
  );
  const { ability } = compiled;
  const caseSubject = asSubject("Case", { status: facts.status, assigned, shared, client });
  const who = roles.length > 0 ? roles.join(", ") : "no role";

  // What this ability answers for a source's mode and for one catalogue unit is fixed when it is
  // built (policy, roles, case facts and approvals above), and a field's decision asks both: each
  // is worked out once per ability, i.e. per case view and subject, instead of at every leaf.
  const bySource = new Map<
    string,
    {
      readonly mode: { mode: DisclosureMode; decision: Decision };
      readonly reads: Map<string, Decision | null>;
    }
  >();
  const sourceState = (source: string) => {
    let state = bySource.get(source);
    if (state === undefined) bySource.set(source, (state = { mode: modeOf(source), reads: new Map() }));
    return state;
  };
  const catalogue = policy.catalogue;
  /** The read rule's decision for one unit; null: no read rule matches it. */
  const readDecision = (
    reads: Map<string, Decision | null>,
    source: string,
    unit: string,
  ): Decision | null => {
    let d = reads.get(unit);
    if (d === undefined)
      reads.set(unit, (d = decide(ability, "read", asSubject("Field", { source, unit })) ?? null));
    return d;
  };
  const mode = (source: string): { mode: DisclosureMode; decision: Decision } => sourceState(source).mode;
  const modeOf = (source: string): { mode: DisclosureMode; decision: Decision } => {
    for (const m of MODES_TO_ASK) {
      const d = decide(ability, "disclose", asSubject("Source", { source, mode: m }));
      if (d && !d.allowed) return { mode: "none", decision: d };
      if (d) return { mode: m, decision: { ...d, allowed: m !== "none" } };
    }
    const inactive = policy.rules.find(
      (r) =>
        r.source === source && r.phases.includes(facts.phase) && r.roles.some((role) => roles.includes(role)),
    );
    if (inactive)
      return {
        mode: "none",
        decision: deny(
          `rule ${inactive.id} applies only to cases assigned to the actor as owner or substitute (Maastricht art. 8.2)`,
          inactive.id,
        ),
      };
    return {
      mode: "none",
      decision: deny(`no rule gives ${who} access to ${source} in phase ${facts.phase}`),
    };
  };

  const modeText = (source: string): string => {
    const m = mode(source);
    return `mode is ${m.mode} in ${facts.phase}${m.decision.ruleId ? ` (rule ${m.decision.ruleId})` : ""}: ${m.decision.reason}`;
  };

  return {
    can(action: CaseAction): Decision {
      const d = decide(ability, action, caseSubject);
      if (d) return d;
      const needsAssignment = ability.rulesFor(action, "Case").find((r) => !r.inverted);
      if (needsAssignment)
        return deny(
          `only the case owner or substitute may ${action} (Maastricht art. 8.2); ${needsAssignment.reason ?? ""}`.trim(),
          ruleIdOf(needsAssignment),
        );
      return deny(`no rule grants ${action} to ${who}`);
    },
    mode,
    probe(probeId: string): Decision {
      const probe = policy.probes.find((p) => p.id === probeId);
      if (!probe) return deny(`unknown probe ${probeId}`);
      const d = decide(ability, "probe", asSubject("Probe", { id: probeId }));
      if (d) return d;
      const m = mode(probe.source);
      if (m.mode !== "hit" && m.mode !== "fields") return deny(modeText(probe.source), m.decision.ruleId);
      const deciding = compiled.sources.get(probe.source)?.rule;
      if (deciding && "probes" in deciding && deciding.probes?.includes(probeId))
        return deny(
          `probe ${probeId} is not approved by a privacy check 1 for this case (Maastricht art. 18.1-18.2)`,
          deciding.id,
        );
      return deny(`rule ${m.decision.ruleId ?? ""} does not list probe ${probeId}`, m.decision.ruleId);
    },
    field(source: string, path: string): Decision {
      const state = sourceState(source);
      const m = state.mode;
      if (m.mode !== "fields") return deny(modeText(source), m.decision.ruleId);
      const ruleId = m.decision.ruleId;
      const units = catalogue.unitsUnder(source, path);
      if (units.length === 0) return deny(`unknown field ${path} of ${source}`, ruleId);
      for (let i = 0; i < units.length; i++) {
        const d = readDecision(state.reads, source, units[i]!);
        if (d) return d;
      }
      const max = new Set(compiled.sources.get(source)?.rule?.maxUnits ?? []);
      if (units.every((u) => policy.catalogue.entry(source, u)?.autoDelivered))
        return deny(`${path} is delivered automatically with its parent field and is never granted`, ruleId);
      if (units.some((u) => max.has(u)))
        return deny(`${path} is not approved by a privacy check for this case`, ruleId);
      return deny(`${path} is outside the maximum of rule ${ruleId ?? ""}`, ruleId);
    },
    permittedFields(source: string): readonly string[] {
      return mode(source).mode === "fields" ? (compiled.permitted.get(source) ?? []) : [];
    },
  };
}

/** What `actor` may do without a case: open cases, list them, advise or decide checks. */
export function buildActorAbility(policy: LoadedPolicySet, actor: Actor): ActorAbility {
  const roles = sortedRoles(actor.roles);
  const ability = policy.memo(`actor|${roles.join(",")}`, () => compileActorRules(policy, roles));
  // Most permissive scope is fine here: scope only decides which case metadata may be listed.
  const caseScope = roles.reduce<(typeof SCOPE_ORDER)[number]>((acc, role) => {
    const scope = policy.roles[role].caseScope;
    return SCOPE_ORDER.indexOf(scope) > SCOPE_ORDER.indexOf(acc) ? scope : acc;
  }, "none");
  return {
    caseScope,
    can(action: CaseAction): Decision {
      return (
        decide(ability, action, asSubject("Actor", {})) ??
        deny(`no rule grants ${action} to ${roles.join(", ") || "no role"}`)
      );
    },
    maximum: (source, phases) => ruleMaximum(policy, roles, source, phases),
  };
}

/** A case outside the service account's clients.yaml entry: every action, mode, probe and field refused. */
function outsideClientAbility(refusal: Decision): CaseAbility {
  return {
    can: () => refusal,
    mode: () => ({ mode: "none", decision: refusal }),
    probe: () => refusal,
    field: () => refusal,
    permittedFields: () => [],
  };
}

/** Id of the decision that refuses everything about a subject whose processing is restricted. */
export const RESTRICTION_RULE = "subject.restricted";

/**
 * The ability for a subject whose processing in this case is restricted (GDPR art. 18): the case
 * actions of `base` (the case itself goes on), and every mode, probe and field refused with
 * `reason`, whatever the approvals, so nothing about the subject is consulted or released.
 */
export function restrictedCaseAbility(
  base: CaseAbility,
  reason: string,
  ruleId: string = RESTRICTION_RULE,
): CaseAbility {
  const refusal: Decision = { allowed: false, reason, ruleId };
  return {
    can: (action) => base.can(action),
    mode: () => ({ mode: "none", decision: refusal }),
    probe: () => refusal,
    field: () => refusal,
    permittedFields: () => [],
  };
}

/**
 * The most the disclosure rules could ever give these roles from a source in these phases: the
 * fields of `fields` rules, and the probes of rules that are not open data (those need no check).
 * A privacy check asking beyond it is refused.
 */
export function ruleMaximum(
  policy: LoadedPolicySet,
  roles: readonly Role[],
  source: string,
  phases: readonly string[],
): { readonly fields: ReadonlySet<string>; readonly probes: ReadonlySet<string> } {
  const rules = policy.rules.filter(
    (r) =>
      r.source === source &&
      r.roles.some((role) => roles.includes(role)) &&
      r.phases.some((p) => phases.includes(p)),
  );
  return {
    fields: new Set(rules.filter((r) => r.mode === "fields").flatMap((r) => r.maxUnits)),
    probes: new Set(
      rules.flatMap((r) =>
        r.mode === "hit" || (r.mode === "fields" && r.openData !== true) ? (r.probes ?? []) : [],
      ),
    ),
  };
}

/** The roles that see cases only through what a check shares with their department. */
export const sharedScopeRoles = (policy: LoadedPolicySet): Role[] =>
  (Object.keys(policy.roles) as Role[]).filter((role) => policy.roles[role].caseScope === "shared");
