import type { JWTPayload } from "jose";
import { err, ok, type Result } from "../shared/index.ts";
import type { AuthError } from "./types.ts";

/**
 * Whether a verified token lives no longer than `maxLifetimeS` (`exp - iat`). jose has already
 * required `iat`, refused one later than now plus the clock tolerance, and checked `exp` and
 * `nbf`; together that bounds a token to at most the maximum lifetime (plus tolerance) from
 * now, so a stolen token that says "valid until 2999" is worth nothing. Both stamps come from
 * the issuer's clock, so no tolerance applies to their difference.
 */
export function withinLifetime(payload: JWTPayload, maxLifetimeS: number): Result<void, AuthError> {
  const { iat, exp } = payload;
  if (typeof iat !== "number" || typeof exp !== "number")
    return err({ kind: "invalid", reason: "claim_iat_missing" });
  if (exp - iat > maxLifetimeS) return err({ kind: "invalid", reason: "lifetime_too_long" });
  return ok(undefined);
}
