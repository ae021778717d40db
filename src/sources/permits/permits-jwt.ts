import { jwtVerify, SignJWT } from "jose";
import { err, ok, type Clock, type Result, type SourceError } from "../../shared/index.ts";

/**
 * Client authentication of the APIs for Zaakgericht werken ("Autorisatie" in the Zaken and
 * Catalogi specs): a JWT signed with HS256 with the shared secret of the client, payload
 * `{iss: <client id>, iat, client_id: <client id>, user_id, user_representation}`, sent as
 * `Authorization: Bearer <jwt>`. Both sides of that protocol live here: the client's token source
 * and the simulator's check.
 */
export interface ZgwClaims {
  readonly clientId: string;
  readonly secret: string;
  /** `user_id` and `user_representation`: for the ZRC's audit trail (free text, short). */
  readonly userId: string;
  readonly userRepresentation: string;
}

export interface ZgwTokenSource {
  token(): Promise<Result<string, SourceError>>;
  /** Drops the cached token after the API refused it (401/403). */
  refused(): void;
}

/** Lifetime of a token (`exp` = `iat` + this); the ZGW reference implementations accept an hour. */
export const ZGW_TOKEN_LIFETIME_S = 300;
/** A cached token is replaced this long before it expires. */
const RENEW_BEFORE_S = 60;

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/**
 * Signs short-lived tokens and reuses one until shortly before it expires (signing is cheap, but
 * one token per request keeps the ZRC's audit trail readable). Time comes from the Clock.
 */
export function createZgwTokenSource(claims: ZgwClaims, clock: Clock): ZgwTokenSource {
  const key = keyOf(claims.secret);
  let cached: { readonly token: string; readonly renewAtMs: number } | undefined;
  return {
    async token() {
      const nowMs = clock.now().getTime();
      if (cached && nowMs < cached.renewAtMs) return ok(cached.token);
      const iat = Math.floor(nowMs / 1000);
      try {
        const token = await new SignJWT({
          client_id: claims.clientId,
          user_id: claims.userId,
          user_representation: claims.userRepresentation,
        })
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .setIssuer(claims.clientId)
          .setIssuedAt(iat)
          .setExpirationTime(iat + ZGW_TOKEN_LIFETIME_S)
          .sign(key);
        cached = { token, renewAtMs: (iat + ZGW_TOKEN_LIFETIME_S - RENEW_BEFORE_S) * 1000 };
        return ok(token);
      } catch {
        return err({ kind: "unauthorized", reason: "token_signing_failed" });
      }
    },
    refused() {
      cached = undefined;
    },
  };
}

export interface ZgwVerifyOptions {
  readonly clientId: string;
  readonly secret: string;
  readonly now: Date;
  /** Oldest `iat` accepted, as the reference implementations' JWT_EXPIRY (default one hour). */
  readonly maxAgeS?: number;
}

/**
 * The server side: HS256 only, signed with the client's secret, `iss` and `client_id` the
 * configured client, `iat` present, not in the future and not older than `maxAgeS`, `exp` (if
 * any) not passed, `user_id` and `user_representation` present.
 */
export async function verifyZgwToken(token: string, options: ZgwVerifyOptions): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(token, keyOf(options.secret), {
      algorithms: ["HS256"],
      issuer: options.clientId,
      currentDate: options.now,
      maxTokenAge: options.maxAgeS ?? 3600,
      clockTolerance: 5,
      requiredClaims: ["iat", "iss"],
    });
    return (
      payload["client_id"] === options.clientId &&
      typeof payload["user_id"] === "string" &&
      typeof payload["user_representation"] === "string"
    );
  } catch {
    return false;
  }
}
