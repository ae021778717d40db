import type { Actor, Decision, DisclosureMode, Role } from "../shared/index.ts";

/** GDPR-based classification of every registry field (design.md "Field catalogue"). */
export const FIELD_CLASSES = ["open", "personal", "identifier", "sensitive", "special", "criminal"] as const;
export type FieldClass = (typeof FIELD_CLASSES)[number];

export interface PhaseDef {
  readonly id: string;
  readonly name: string;
  readonly purpose: string;
  /** Protocol articles this phase implements, e.g. ["Maastricht art. 16"]. */
  readonly articles: readonly string[];
}

export interface TransitionDef {
  readonly from: string;
  readonly to: string;
  readonly article?: string | undefined;
}

export interface OutcomeDef {
  /** e.g. `ongegrond`, `doorgezet`, `afgerond`. */
  readonly id: string;
  readonly name: string;
  /** Phases from which a case may be closed with this outcome. */
  readonly fromPhases: readonly string[];
  /** ISO-8601 duration after closing at which personal data go (src/retention). */
  readonly retention: string;
  /** The ground of that destruction, written into every destruction record (Maastricht art. 10.3). */
  readonly legalBasis: string;
  readonly article?: string | undefined;
  /** A closing that hands the signal over: which receivers, and whether one must be named. */
  readonly exit?:
    | {
        readonly required: boolean;
        readonly receivers: readonly ("gemeente" | "afdeling" | "partner" | "riec")[];
        readonly article: string;
      }
    | undefined;
}

/** How long audit records are kept (Delft art. 7d): at most this, never longer than their case. */
export interface AuditRetentionDef {
  /** ISO-8601 duration after a record was written. */
  readonly retention: string;
  readonly legalBasis: string;
  readonly article: string;
}

/** Where the approvals of one kind of privacy check take effect (protocol file `checks`). */
export interface CheckDef {
  readonly kind: "1" | "2a" | "2b";
  /** Phases in which approvals of this kind unlock anything; outside them they unlock nothing. */
  readonly phases: readonly string[];
  readonly article?: string | undefined;
}

/** The protocol state machine, loaded from `policies/protocol*.yaml`. Data, not code. */
export interface Protocol {
  readonly id: string;
  readonly name: string;
  readonly phases: readonly PhaseDef[];
  readonly initialPhase: string;
  /** Phase a closed case is in (`afgesloten`). */
  readonly closedPhase: string;
  readonly transitions: readonly TransitionDef[];
  readonly outcomes: readonly OutcomeDef[];
  /** Phase range per kind of privacy check; a kind not listed cannot be requested. */
  readonly checks: readonly CheckDef[];
  /** The article that lets theme datasets approve without advice; undefined: they never do. */
  readonly themeDatasets?: { readonly article: string } | undefined;
  readonly auditRetention: AuditRetentionDef;
  /** Roles that read a closed case's signal text and history (Delft art. 21d); nobody else does. */
  readonly closedCaseReaders: readonly Role[];
  /** At the latest when the reporter's data go, if receipt was never acknowledged (Maastricht art. 6.1). */
  readonly reporter?:
    { readonly retention: string; readonly legalBasis: string; readonly article: string } | undefined;
  /** Phases in which adding a subject to a case needs a privacy check in effect naming it. */
  readonly subjects: { readonly checkRequiredIn: readonly string[]; readonly article: string };
  /** The weighing checklist and the moves it gates; undefined: the protocol has none. */
  readonly weighing?: WeighingDef | undefined;
}

/** One step of the weighing checklist (protocol file `weighing.steps`). */
export interface WeighingStepDef {
  readonly id: string;
  readonly question: string;
  /** The answer ids the analyst may record; anything else is refused. */
  readonly answers: readonly string[];
  readonly article?: string | undefined;
}

/**
 * The weighing checklist (Maastricht art. 15, 16.1, bijlage C; Delft art. 12-15): answered in
 * `phase`; a move from it into one of `gates` needs every step answered.
 */
export interface WeighingDef {
  readonly phase: string;
  readonly gates: readonly string[];
  readonly article: string;
  readonly steps: readonly WeighingStepDef[];
}

export interface ProbeDef {
  /** Full name `<source>.<probe>`, e.g. `brp.ingeschreven`. */
  readonly id: string;
  readonly source: string;
  readonly description: string;
}

/** Every field of every source, classified. Paths are dotted, as the upstream API names them. */
export interface FieldCatalogue {
  /** Catalogue units of a source (the paths a policy names and the upstream `fields` gets). */
  paths(source: string): readonly string[];
  classOf(source: string, path: string): FieldClass | undefined;
  /**
   * The catalogue unit containing a (possibly deeper) path: `geboorte.datum.jaar` -> `geboorte.datum`.
   * Undefined if no unit contains it (then it is not a field the policy can grant).
   */
  unitFor(source: string, path: string): string | undefined;
}

export interface CaseFacts {
  readonly id: string;
  readonly phase: string;
  readonly status: "open" | "closed";
  readonly owner: string;
  readonly substitute: string | null;
  /** A privacy check 2a/2b in effect shares something of this case with the actor's department. */
  readonly sharedWithDepartment?: boolean | undefined;
  /** Theme and reference: which cases a service account may touch (clients.yaml `cases`). */
  readonly theme?: string | null | undefined;
  readonly reference?: string | undefined;
}

/**
 * What an approved privacy check (or a theme dataset) unlocks for one case. Which subjects it
 * covers is decided before (`forSubject` in src/cases): no subject key ever enters the ability's
 * cache key.
 */
export interface Approval {
  readonly checkId: string;
  readonly source: string;
  readonly fields: readonly string[];
  readonly probes: readonly string[];
  /**
   * Departments the check shares with (checks 2a/2b). An approval counts for a role by that role's
   * case scope alone (`standingFor` in compile-rules.ts): for scope `assigned` when the actor is the
   * case's owner or substitute, for scope `shared` only when this list names the actor's
   * department. Absent or empty: for the case's own analysts only.
   */
  readonly recipients?: readonly string[] | undefined;
}

/** Actions on cases and checks; the roles file grants them per role. */
export const CASE_ACTIONS = [
  "case.open",
  "case.read",
  "case.history",
  "reporter.read",
  "case.transition",
  "case.weigh",
  "case.close",
  "case.assign",
  "check.read",
  "check.request",
  "check.advise",
  "check.decide",
  "check.opinion",
  "report.read",
  "subject.access",
  "subject.record",
  "audit.read",
  /** The privacy officer's queue of flagged refusals (issue 11 "No enumeration"; src/flagged). */
  "flagged.read",
  /** Marking a flagged refusal as reviewed, with a note (src/flagged). */
  "flagged.review",
  /** The written account of destructions, the records manager's view (Maastricht art. 10.3; src/retention). */
  "retention.read",
  "policy.explain",
  /** The stored policy versions, the evaluation due and recording one (issue 14; Maastricht art. 13). */
  "policy.versions",
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** The loaded, validated policy set. Immutable; a reload produces a new one with a new hash. */
export interface PolicySet {
  /** sha256 of the canonical content of every policy file; recorded in every audit record. */
  readonly hash: string;
  readonly protocol: Protocol;
  readonly catalogue: FieldCatalogue;
  readonly probes: readonly ProbeDef[];
  /** Sources any rule or catalogue names. */
  readonly sources: readonly string[];
}

/**
 * What one actor may do on one case in its current phase, given the case's approvals.
 * Compiled from the policy to CASL rules; every answer carries the reason of the rule that
 * decided, or the default-deny reason.
 */
export interface CaseAbility {
  /** Case-level actions. `case.read` includes the assignment check (owner/substitute). */
  can(action: CaseAction): Decision;
  /** The disclosure mode for this source in this phase for this actor. Default `none`. */
  mode(source: string): { readonly mode: DisclosureMode; readonly decision: Decision };
  probe(probeId: string): Decision;
  /**
   * Field decision; `path` may be a unit, a container of units (allowed if any unit under it is
   * permitted) or a path inside a unit (allowed if the unit is).
   */
  field(source: string, path: string): Decision;
  /** Units permitted now: rule maximum ∩ approvals, in mode `fields`; empty otherwise. */
  permittedFields(source: string): readonly string[];
}

/** Actor-level abilities that do not need a case (opening a case, listing, queues). */
export interface ActorAbility {
  can(action: CaseAction): Decision;
  /** Which cases the actor may list/see: only assigned ones, all (metadata), or none. */
  readonly caseScope: "assigned" | "all" | "shared" | "client" | "none";
  /**
   * The most the rules could ever give this actor from a source in these phases (fields, and
   * probes that need a check); a privacy check asking beyond it is refused.
   */
  maximum(
    source: string,
    phases: readonly string[],
  ): { readonly fields: ReadonlySet<string>; readonly probes: ReadonlySet<string> };
}

export interface PolicyLoadError {
  readonly kind: "policy_invalid";
  /** One entry per problem, each naming the file, the path inside it and the reason. */
  readonly problems: readonly { readonly file: string; readonly path: string; readonly reason: string }[];
}

export type { Actor, Role };
