import { createHash } from "node:crypto";
import {
  UnsecuredJWT,
  createRemoteJWKSet,
  decodeJwt,
  jwtVerify,
  type JWTClaimVerificationOptions,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { DEFAULT_MAX_TOKEN_LIFETIME_S, DEMO_ISSUER, type OidcConfig } from "../config/index.ts";
import { err, ok, systemClock, type Actor, type Clock, type Result } from "../shared/index.ts";
import { bearerToken } from "./bearer.ts";
import { actingAs, meetsMfaRequirement, toActor } from "./claims.ts";
import { DEMO_ALGORITHM, type DemoIssuer } from "./demo-issuer.ts";
import type { AuthError, ClientLookup } from "./types.ts";
import { withinLifetime } from "./token-lifetime.ts";
import { toAuthError } from "./verify-errors.ts";

export interface AuthenticatorOptions {
  readonly oidc: OidcConfig;
  /** Given only in demo mode; without it, demo tokens are refused like any foreign token. */
  readonly demoIssuer?: DemoIssuer | undefined;
  /** Key resolver for the configured issuer; defaults to the remote JWKS at `oidc.jwksUrl`. */
  readonly jwks?: JWTVerifyGetKey | undefined;
  readonly clock?: Clock | undefined;
  /** Service accounts (policies/clients.yaml); without it no token acts as `application`. */
  readonly clients?: ClientLookup | undefined;
}

/** Turns the `Authorization` header of a request into a verified {@link Actor}. */
export interface Authenticator {
  authenticate(authorizationHeader: string | undefined): Promise<Result<Actor, AuthError>>;
}

/**
 * Symmetric and unsigned algorithms are never accepted, whatever the configuration says: with a
 * public JWKS an HMAC "signature" could be made by anyone who can read the key.
 */
export const safeAlgorithms = (configured: readonly string[]): string[] =>
  configured.filter((alg) => !/^HS/i.test(alg) && alg.toLowerCase() !== "none");

/** A verified token's claims: the token's own payload segment as an unsigned JWT, and its verifier's rules. */
interface CachedToken {
  readonly claims: string;
  readonly options: () => JWTClaimVerificationOptions;
}

/** The header segment of an unsigned JWT, `{"alg":"none"}`. */
const UNSIGNED_HEADER = Buffer.from('{"alg":"none"}').toString("base64url");

/**
 * The verified-token cache of one replica (AUTH_TOKEN_CACHE_SIZE, issue 15): at most `size`
 * tokens, keyed by the SHA-256 of the token (never the token itself), the oldest insertion
 * dropped first. It saves only the signature check: on every hit the claims are validated again
 * by jose against the current clock, with the same rules as on first sight (so an expired token
 * is refused exactly as without the cache), and a refused token is removed.
 */
function tokenCache(size: number) {
  const entries = new Map<string, CachedToken>();
  const keyOf = (token: string) => createHash("sha256").update(token).digest("base64url");
  return {
    get: (token: string) => (size > 0 ? entries.get(keyOf(token)) : undefined),
    delete: (token: string) => entries.delete(keyOf(token)),
    set(token: string, entry: CachedToken) {
      if (size <= 0) return;
      const key = keyOf(token);
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > size) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
  };
}

/**
 * Builds the authenticator: bearer token in, verified actor or a value-free {@link AuthError} out.
 * The unverified `iss` only picks the verifier; nothing from the token is trusted before
 * `jwtVerify` has checked signature, issuer, audience, algorithm and lifetime. The lifetime
 * rules hold for every issuer, the demo issuer too: `exp`, `sub` and `iat` are required, `iat`
 * may be at most the clock tolerance ahead, `nbf` is honoured, and `exp - iat` is at most
 * OIDC_MAX_TOKEN_LIFETIME_S.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { oidc, demoIssuer } = options;
  const clock = options.clock ?? systemClock;
  const algorithms = safeAlgorithms(oidc.algorithms);
  const maxLifetimeS = oidc.maxTokenLifetimeS ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
  // `maxTokenAge` makes jose require `iat` and refuse one in the future (beyond the tolerance).
  const common = {
    requiredClaims: ["exp", "sub", "iat"],
    clockTolerance: oidc.clockToleranceS,
    maxTokenAge: maxLifetimeS,
  };

  const keys = options.jwks ?? (oidc.jwksUrl ? createRemoteJWKSet(new URL(oidc.jwksUrl)) : undefined);
  const { issuer, audience } = oidc;

  /** A verifier: its key, its algorithms and the claim rules, evaluated at the current clock. */
  interface Check {
    readonly key: JWTVerifyGetKey;
    readonly algorithms: string[];
    readonly options: () => JWTClaimVerificationOptions;
  }
  const configured: Check | undefined =
    keys && issuer && audience && algorithms.length > 0
      ? { key: keys, algorithms, options: () => ({ ...common, issuer, audience, currentDate: clock.now() }) }
      : undefined;
  const demo: Check | undefined = demoIssuer
    ? {
        key: demoIssuer.verifyKey,
        algorithms: [DEMO_ALGORITHM],
        options: () => ({
          ...common,
          issuer: DEMO_ISSUER,
          audience: demoIssuer.audience,
          currentDate: clock.now(),
        }),
      }
    : undefined;
  const verifyWith = async (check: Check, token: string): Promise<JWTPayload> =>
    (await jwtVerify(token, check.key, { ...check.options(), algorithms: check.algorithms })).payload;
  const cache = tokenCache(oidc.tokenCacheSize ?? 0);

  return {
    async authenticate(header) {
      if (header === undefined || header.trim() === "") return err({ kind: "missing", reason: "no_header" });
      const token = bearerToken(header);
      if (token === undefined) return err({ kind: "invalid", reason: "not_bearer" });

      const cached = cache.get(token);
      let payload: JWTPayload;
      let check: Check | undefined;
      if (cached) {
        try {
          // The signature was checked when the token was first seen; the claims are checked now.
          payload = UnsecuredJWT.decode(cached.claims, cached.options()).payload;
        } catch (e) {
          cache.delete(token);
          return err(toAuthError(e));
        }
      } else {
        const verified = await verifyToken(token);
        if (!verified.ok) return verified;
        ({ payload, check } = verified.value);
      }
      const result = actorOf(payload);
      // Only a token accepted in full is kept; one refused on a hit is dropped.
      if (!result.ok) cache.delete(token);
      else if (check)
        cache.set(token, {
          claims: `${UNSIGNED_HEADER}.${token.split(".")[1] ?? ""}.`,
          options: check.options,
        });
      return result;
    },
  };

  async function verifyToken(
    token: string,
  ): Promise<Result<{ payload: JWTPayload; check: Check }, AuthError>> {
    let claimedIssuer: unknown;
    try {
      claimedIssuer = decodeJwt(token).iss;
    } catch {
      return err({ kind: "invalid", reason: "malformed" });
    }
    // Only a selector: a forged `iss` still has to pass the chosen verifier.
    const verify = claimedIssuer === DEMO_ISSUER && demo ? demo : configured;
    if (!verify) return err({ kind: "invalid", reason: "issuer_not_configured" });

    try {
      return ok({ payload: await verifyWith(verify, token), check: verify });
    } catch (e) {
      return err(toAuthError(e));
    }
  }

  function actorOf(payload: JWTPayload): Result<Actor, AuthError> {
    const lifetime = withinLifetime(payload, maxLifetimeS);
    if (!lifetime.ok) return lifetime;
    const { iss, sub } = payload;
    if (typeof iss !== "string" || typeof sub !== "string" || sub.length === 0) {
      return err({ kind: "invalid", reason: "claim_sub_invalid" });
    }
    const { actor, client } = actingAs(toActor({ ...payload, iss, sub }, oidc), options.clients);
    // Maastricht art. 9 asks two factors of people; a machine client does without only where
    // the clients file says so, with its reason (issue 12).
    if (!client?.mfaExempt && !meetsMfaRequirement(actor, oidc))
      return err({ kind: "mfa_required", reason: "mfa_not_shown" });
    return ok(actor);
  }
}
