import type { Actor } from "../shared/index.ts";

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
  /** Lifetime in seconds; default one hour. The gateway refuses more than OIDC_MAX_TOKEN_LIFETIME_S. */
  readonly ttlSeconds?: number | undefined;
}
export type { Actor };
