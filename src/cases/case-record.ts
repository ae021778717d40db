/** A case as stored. Its phase ids come from the protocol file, not from code. */
export interface CaseRecord {
  readonly id: string;
  readonly reference: string;
  readonly theme: string | null;
  readonly protocolId: string;
  readonly phase: string;
  readonly status: "open" | "closed";
  readonly outcome: string | null;
  readonly owner: string;
  readonly substitute: string | null;
  readonly openedAt: Date;
  readonly closedAt: Date | null;
  readonly version: number;
}

/** One immutable entry of a case's history. */
export interface CaseEvent {
  readonly seq: number;
  readonly caseId: string;
  /** `weighed`: answers of the weighing checklist were recorded (no phase moves; src/cases/weighing.ts). */
  readonly kind: "opened" | "transitioned" | "closed" | "assigned" | "weighed";
  readonly fromPhase: string | null;
  readonly toPhase: string | null;
  readonly outcome: string | null;
  readonly actor: string;
  readonly at: Date;
  readonly motivation: string;
  /** Kind `assigned` only: the staff before and after (Maastricht art. 8.2); absent otherwise. */
  readonly staff?: StaffChange | undefined;
}

/** A reassignment of a case's owner (RO/AVO) and substitute by the beheerder. */
export interface StaffChange {
  readonly fromOwner: string;
  readonly toOwner: string;
  readonly fromSubstitute: string | null;
  readonly toSubstitute: string | null;
}

export type CheckKind = "1" | "2a" | "2b";
/**
 * `escalated`: the analyst disagreed with the advice and the coordinator has not decided yet
 * (unlocks nothing meanwhile); `revoked`: an approval withdrawn (unlocks nothing from then on);
 * `lapsed`: the case moved back to a phase outside the check's range (unlocks nothing from then on).
 */
export type CheckStatus =
  "requested" | "approved" | "partially_approved" | "rejected" | "escalated" | "revoked" | "lapsed";
export type Advice = "GO" | "NO_GO" | "PARTIAL";

export interface PrivacyCheckRecord {
  readonly id: string;
  readonly caseId: string;
  readonly kind: CheckKind;
  readonly source: string;
  readonly requestedFields: readonly string[];
  readonly requestedProbes: readonly string[];
  readonly motivation: string;
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly status: CheckStatus;
  readonly approvedFields: readonly string[];
  readonly approvedProbes: readonly string[];
  /** Subject keys the check is about (`persoon:<bsn>`, …); empty: the case as a whole. */
  readonly subjects: readonly string[];
  /** Departments a check 2a/2b shares with (Maastricht art. 20.1-20.3). */
  readonly recipients: readonly string[];
  /** `<theme>@<version> (sha256:…)` when a theme dataset approved it without advice (Delft art. 16g-h, 19g). */
  readonly themeDataset: string | null;
  readonly version: number;
}

export interface PrivacyCheckStep {
  readonly seq: number;
  readonly checkId: string;
  readonly kind:
    | "requested"
    | "advised"
    | "escalated"
    | "decided"
    | "revoked"
    | "opinion_requested"
    | "opinion_given"
    | "theme_approved"
    | "lapsed";
  readonly actor: string;
  readonly at: Date;
  readonly advice: Advice | null;
  readonly fields: readonly string[];
  readonly probes: readonly string[];
  readonly motivation: string;
  /** A coordinator's decision that differs from the privacy officer's advice (Delft art. 16d-e). */
  readonly deviation: boolean;
}

/** Expected failures of the case use cases; the GraphQL layer maps `kind` to an error code. */
export interface CaseError {
  readonly kind: "not_found" | "forbidden" | "phase_conflict" | "bad_input" | "audit_failed";
  /** Safe to show the caller: names the problem, never registry values. */
  readonly message: string;
}
