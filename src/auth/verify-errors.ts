import { errors } from "jose";
import type { AuthError } from "./types.ts";

const CODE = /^[a-z][a-z0-9_]{0,40}$/;
const code = (value: string, fallback: string): string => (CODE.test(value) ? value : fallback);

/**
 * Turns whatever `jwtVerify` threw into an {@link AuthError} whose reason is a fixed code: never
 * the token, a claim value or a library message, because reasons go to the operational log.
 */
export function toAuthError(e: unknown): AuthError {
  if (e instanceof errors.JWTExpired) return { kind: "expired", reason: "token_expired" };
  if (e instanceof errors.JWTClaimValidationFailed) {
    // `claim` is a claim or header name jose checked (iss, aud, exp, sub, nbf, …), `reason` a jose code.
    return { kind: "invalid", reason: `claim_${code(e.claim, "unknown")}_${code(e.reason, "failed")}` };
  }
  if (e instanceof errors.JOSEError) {
    switch (e.code) {
      case "ERR_JOSE_ALG_NOT_ALLOWED":
        return { kind: "invalid", reason: "alg_not_allowed" };
      case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
        return { kind: "invalid", reason: "bad_signature" };
      case "ERR_JWKS_NO_MATCHING_KEY":
        return { kind: "invalid", reason: "no_matching_key" };
      case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
        return { kind: "invalid", reason: "ambiguous_key" };
      case "ERR_JWKS_TIMEOUT":
        return { kind: "invalid", reason: "jwks_timeout" };
      case "ERR_JWKS_INVALID":
        return { kind: "invalid", reason: "jwks_invalid" };
      case "ERR_JWS_INVALID":
      case "ERR_JWT_INVALID":
        return { kind: "invalid", reason: "malformed" };
      case "ERR_JOSE_NOT_SUPPORTED":
      case "ERR_JWK_INVALID":
        return { kind: "invalid", reason: "unsupported_key_or_alg" };
      default:
        return { kind: "invalid", reason: "verification_failed" };
    }
  }
  // Not a JOSE error: in practice the JWKS fetch failed (network, DNS, non-JSON body).
  return { kind: "invalid", reason: "jwks_unavailable" };
}
