/**
 * Domain vocabulary that crosses module boundaries. Module-specific types live in their module.
 */

/** The gateway's roles (design.md "Users"). Claim values map onto these; anything else is ignored. */
export const ROLES = [
  "analyst",
  "privacy_officer",
  "coordinator",
  "dpo",
  "department_member",
  "legal",
  "beheerder",
  "application",
] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === "string" && (ROLES as readonly string[]).includes(value);

/** Who is asking: a verified token, reduced to what the policy and the audit log need. */
export interface Actor {
  /** `sub` of the token: a user id, or a client id for applications. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Department claim (vergunningen, handhaving, …), for department members. */
  readonly department?: string | undefined;
  /** `azp` / `client_id`: the application that presented the token. */
  readonly clientId?: string | undefined;
  /** Authentication methods (`amr`) and context class (`acr`), for the MFA requirement. */
  readonly amr: readonly string[];
  readonly acr?: string | undefined;
  /** Token issuer, recorded so demo-issued actions are recognisable in the log. */
  readonly issuer: string;
}

/** How a source may answer in a given phase for a given role (design.md "Policy model"). */
export const DISCLOSURE_MODES = ["none", "verify", "territory", "hit", "fields"] as const;
export type DisclosureMode = (typeof DISCLOSURE_MODES)[number];

/** Tri-state probe answer. An upstream failure is UNKNOWN, never NO_HIT. */
export type HitResult = "HIT" | "NO_HIT" | "UNKNOWN";
export type MatchResult = "MATCH" | "NO_MATCH" | "UNKNOWN";

/** Why an upstream call did not produce an answer. Never carries the upstream body. */
export interface SourceError {
  readonly kind: "timeout" | "unavailable" | "malformed" | "rejected" | "unauthorized";
  /** HTTP status if there was one. */
  readonly status?: number | undefined;
  /** Short, value-free reason code for logs and the audit record (e.g. "http_500", "invalid_json"). */
  readonly reason: string;
}

/** A policy or access decision with the rule that made it, for the audit log and `explain`. */
export interface Decision {
  readonly allowed: boolean;
  /** Human-readable reason of the deciding rule (or the default-deny reason). */
  readonly reason: string;
  /** Id of the rule that decided; absent for default deny. */
  readonly ruleId?: string | undefined;
}
