import type { Actor, Role } from "../shared/index.ts";

export interface AuthError {
  readonly kind: "missing" | "invalid" | "expired" | "mfa_required" | "no_role";
  /** Value-free reason for the operational log; callers only ever see UNAUTHENTICATED. */
  readonly reason: string;
}

export interface DemoTokenClaims {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly department?: string | undefined;
  /** Defaults to ["pwd", "otp"] so demo tokens satisfy an MFA requirement. */
  readonly amr?: readonly string[] | undefined;
  readonly name?: string | undefined;
  /**
   * A client-credentials token for a demo application (issue 12): `azp` and `client_id`, and no
   * `amr` unless given (a machine shows no second factor).
   */
  readonly clientId?: string | undefined;
  /** Lifetime in seconds; default one hour. The gateway refuses more than OIDC_MAX_TOKEN_LIFETIME_S. */
  readonly ttlSeconds?: number | undefined;
}
export type { Actor };

/**
 * What the authenticator needs of a service account (policies/clients.yaml, src/policy/clients.ts):
 * the roles it acts as, and whether it may do without the MFA requirement.
 */
export interface ServiceClient {
  readonly roles: readonly Role[];
  readonly mfaExempt?: { readonly reason: string } | undefined;
}

/** Looks a client id up in the clients file; undefined: not a listed service account. */
export type ClientLookup = (clientId: string) => ServiceClient | undefined;
