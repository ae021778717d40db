import { createMongoAbility, type MongoAbility, type RawRuleFrom, type MongoQuery } from "@casl/ability";
import type { Role } from "../shared/index.ts";
import type { CompiledRule } from "./disclosure.ts";
import type { LoadedPolicySet } from "./policy-set.ts";
import type { CaseScope } from "./schemas.ts";
import type { Approval, CaseAction } from "./types.ts";

/**
 * Policy -> CASL. Subjects: `Case` ({status, assigned, shared, client}), `Actor`, `Source` ({source, mode}),
 * `Probe` ({id}), `Field` ({source, unit}). Every raw rule carries the policy rule id and reason,
 * so a decision can always name the rule that made it. Assignment is a subject attribute, not a
 * condition on the actor's id, so compiled rules can be shared between actors with the same roles.
 */
export type PolicyAbility = MongoAbility<[string, string]>;
export type TaggedRule = RawRuleFrom<[string, string], MongoQuery> & { readonly ruleId: string };

/** Actions that change a case or its checks: refused on a closed case. */
export const MUTATING_ACTIONS: readonly CaseAction[] = [
  "case.open",
  "case.transition",
  "case.weigh",
  "case.close",
  "case.assign",
  "check.request",
  "check.advise",
  "check.decide",
];

/** The role-level reason a source decision fell to default deny, for the explanation. */
export interface SourceResolution {
  readonly rule: CompiledRule | undefined;
  /** Several rules decide for this actor's roles: refused (see README "several roles"). */
  readonly conflict: readonly CompiledRule[];
}

export interface CompiledCaseRules {
  readonly ability: PolicyAbility;
  readonly sources: ReadonlyMap<string, SourceResolution>;
  /** Grantable units approved per source (union over the approvals). */
  readonly approved: ReadonlyMap<string, ReadonlySet<string>>;
  /** Rule maximum ∩ approvals, per source, sorted. */
  readonly permitted: ReadonlyMap<string, readonly string[]>;
}

const rule = (r: TaggedRule): TaggedRule => r;

/**
 * How the actor stands to the case. Each half counts only for the roles whose case scope it is
 * (issue 10): `assigned` (owner or substitute) for roles with scope `assigned`, `shared` and
 * `department` for roles with scope `shared`. An analyst who moved to a department and is still
 * the case's owner gets, as a department member, only what a check shared with that department.
 */
export interface CaseStanding {
  /** The actor is the case's owner or substitute. */
  readonly assigned: boolean;
  /** A check 2a/2b in effect shares something of the case with the actor's department. */
  readonly shared: boolean;
  /** The actor's department (a known one), against which approvals' recipients are matched. */
  readonly department?: string | undefined;
  /** The actor is a service account whose clients.yaml entry names this case (issue 12). */
  readonly client?: boolean | undefined;
}

/**
 * Whether an approval counts for one role of the actor: the role's case scope alone decides.
 * Scope `assigned`: every approval of the case, if the actor is assigned (Maastricht art. 8.2).
 * Scope `shared`: only approvals whose check names the actor's department as recipient
 * (Maastricht art. 20.3; Delft art. 19-20). Scopes `all` and `none`: no approval; those roles
 * see no registry data that needs a check.
 */
export function approvalCountsFor(
  policy: LoadedPolicySet,
  role: Role,
  standing: CaseStanding,
  approval: Approval,
): boolean {
  switch (policy.roles[role].caseScope) {
    case "assigned":
      return standing.assigned;
    // A service account acts for the case like its RO/AVO does (issue 12): same approvals.
    case "client":
      return standing.client === true;
    case "shared":
      return (
        standing.shared &&
        standing.department !== undefined &&
        (approval.recipients ?? []).includes(standing.department)
      );
    default:
      return false;
  }
}

/**
 * Roles whose rules count for this case: scope `all`; scope `assigned` and the actor is assigned;
 * scope `shared` and a check 2a/2b in effect shares something of the case with their department.
 */
export function activeRoles(policy: LoadedPolicySet, roles: readonly Role[], standing: CaseStanding): Role[] {
  return roles.filter((role) => {
    const scope = policy.roles[role].caseScope;
    return (
      scope === "all" ||
      (scope === "assigned" && standing.assigned) ||
      (scope === "shared" && standing.shared) ||
      (scope === "client" && standing.client === true)
    );
  });
}

export function compileCaseRules(
  policy: LoadedPolicySet,
  roles: readonly Role[],
  phase: string,
  standing: CaseStanding,
  approvals: readonly Approval[],
): CompiledCaseRules {
  const raw: TaggedRule[] = [];
  for (const role of roles) {
    const def = policy.roles[role];
    if (def.caseScope === "none") continue;
    for (const a of def.actions)
      raw.push(
        rule({
          action: a.action,
          subject: "Case",
          ...(def.caseScope === "assigned" ? { conditions: { assigned: true } } : {}),
          ...(def.caseScope === "shared" ? { conditions: { shared: true } } : {}),
          ...(def.caseScope === "client" ? { conditions: { client: true } } : {}),
          reason: a.reason,
          ruleId: `roles.${role}.${a.action}`,
        }),
      );
  }

  const active = activeRoles(policy, roles, standing);
  const sources = new Map<string, SourceResolution>();
  const approved = new Map<string, Set<string>>();
  const permitted = new Map<string, string[]>();
  for (const source of policy.sources) {
    const deciding = policy.rules.filter(
      (r) => r.source === source && r.phases.includes(phase) && r.roles.some((role) => active.includes(role)),
    );
    const only = deciding.length === 1 ? deciding[0] : undefined;
    sources.set(source, { rule: only, conflict: deciding.length > 1 ? deciding : [] });
    if (deciding.length > 1) {
      raw.push(
        rule({
          action: "disclose",
          subject: "Source",
          conditions: { source },
          inverted: true,
          reason: `the actor's roles are decided by different rules (${deciding.map((r) => `${r.id}: ${r.mode}`).join(", ")}); a person with several roles gets nothing rather than the most revealing mode`,
          ruleId: "roles.conflict",
        }),
      );
      continue;
    }
    if (!only) continue;
    // The approvals that count under this rule: those of the rule's roles that the actor holds,
    // each by its own standing (never one role's standing lending approvals to another role).
    const ruleRoles = only.roles.filter((role) => active.includes(role));
    const counted = approvals.filter((a) =>
      ruleRoles.some((role) => approvalCountsFor(policy, role, standing, a)),
    );
    raw.push(
      rule({
        action: "disclose",
        subject: "Source",
        conditions: { source, mode: only.mode },
        reason: only.reason,
        ruleId: only.id,
      }),
    );
    if (only.mode === "hit" || only.mode === "fields")
      for (const id of only.probes ?? []) {
        // Open data answers yes/no freely; a closed source only for probes a privacy check 1
        // approved for this case (Maastricht art. 18.1-18.2; Delft art. 16).
        const open = only.mode === "fields" && only.openData === true;
        const approval = open ? undefined : counted.find((a) => a.probes.includes(id));
        if (!open && !approval) continue;
        raw.push(
          rule({
            action: "probe",
            subject: "Probe",
            conditions: { id },
            reason: approval ? `${only.reason}; approved by privacy check ${approval.checkId}` : only.reason,
            ruleId: only.id,
          }),
        );
      }
    if (only.mode === "fields") {
      const max = new Set(only.maxUnits);
      const union = new Set<string>();
      if (only.openData) {
        only.maxUnits.forEach((u) => union.add(u));
        raw.push(
          rule({
            action: "read",
            subject: "Field",
            conditions: { source, unit: { $in: [...only.maxUnits] } },
            reason: `open data: ${only.reason}`,
            ruleId: only.id,
          }),
        );
      }
      for (const approval of counted.filter((a) => a.source === source)) {
        const units = new Set(approval.fields.flatMap((f) => policy.catalogue.grantableUnder(source, f)));
        units.forEach((u) => union.add(u));
        const inside = [...units].filter((u) => max.has(u));
        if (inside.length === 0) continue;
        raw.push(
          rule({
            action: "read",
            subject: "Field",
            conditions: { source, unit: { $in: inside } },
            reason: `inside the maximum of rule ${only.id} and approved by privacy check ${approval.checkId}`,
            ruleId: only.id,
          }),
        );
      }
      approved.set(source, union);
      permitted.set(
        source,
        only.maxUnits.filter((u) => union.has(u)),
      );
    }
  }

  // A closed case's signal text and history only for the protocol's closedCaseReaders (Delft art.
  // 21d), each within its own case scope; after the roles' grants, so the refusal overrides them.
  raw.push(
    rule({
      action: "case.history",
      subject: "Case",
      conditions: { status: "closed" },
      inverted: true,
      reason: `the case is closed; only ${policy.protocol.closedCaseReaders.join(", ") || "nobody"} read its signal text and history (protocol closedCaseReaders; Delft art. 21d)`,
      ruleId: CLOSED_HISTORY_RULE,
    }),
  );
  for (const role of roles.filter((r) => policy.protocol.closedCaseReaders.includes(r))) {
    const conditions = scopeConditions(policy.roles[role].caseScope);
    if (conditions === undefined) continue;
    raw.push(
      rule({
        action: "case.history",
        subject: "Case",
        conditions: { ...conditions, status: "closed" },
        reason: `role ${role} reads a closed case's signal text and history for complaints, data-subject rights and accountability (protocol closedCaseReaders; Delft art. 21d)`,
        ruleId: `${CLOSED_HISTORY_RULE}.${role}`,
      }),
    );
  }

  // Last, so they take precedence over every grant: a closed case is never changed again.
  raw.push(
    rule({
      action: [...MUTATING_ACTIONS],
      subject: "Case",
      conditions: { status: "closed" },
      inverted: true,
      reason: "the case is closed; nothing in it can be changed (Maastricht art. 21)",
      ruleId: CLOSED_CASE_RULE,
    }),
  );
  return { ability: createMongoAbility<[string, string]>(raw), sources, approved, permitted };
}

/** Id of the rule that refuses every change to a closed case. */
export const CLOSED_CASE_RULE = "case.closed";

/** Id of the rule that keeps a closed case's history from all but the protocol's closedCaseReaders. */
export const CLOSED_HISTORY_RULE = "case.closed.history";

/** The condition a role's case scope puts on its case rules; undefined for scope `none` (no case). */
function scopeConditions(scope: CaseScope): Record<string, boolean> | undefined {
  switch (scope) {
    case "assigned":
      return { assigned: true };
    case "shared":
      return { shared: true };
    case "client":
      return { client: true };
    case "all":
      return {};
    case "none":
      return undefined;
  }
}

/** Actor-level rules: every action of every role, without the case assignment. */
export function compileActorRules(policy: LoadedPolicySet, roles: readonly Role[]): PolicyAbility {
  const raw: TaggedRule[] = roles.flatMap((role) =>
    policy.roles[role].actions.map((a) =>
      rule({ action: a.action, subject: "Actor", reason: a.reason, ruleId: `roles.${role}.${a.action}` }),
    ),
  );
  return createMongoAbility<[string, string]>(raw);
}

export const ruleIdOf = (r: { origin: unknown }): string | undefined =>
  (r.origin as Partial<TaggedRule>).ruleId;
