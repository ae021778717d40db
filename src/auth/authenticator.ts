import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
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

type Verifier = (token: string) => Promise<JWTPayload>;

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
  const configured: Verifier | undefined =
    keys && issuer && audience && algorithms.length > 0
      ? async (token) =>
          (
            await jwtVerify(token, keys, {
              ...common,
              issuer,
              audience,
              algorithms,
              currentDate: clock.now(),
            })
          ).payload
      : undefined;

  const demo: Verifier | undefined = demoIssuer
    ? async (token) =>
        (
          await jwtVerify(token, demoIssuer.verifyKey, {
            ...common,
            issuer: DEMO_ISSUER,
            audience: demoIssuer.audience,
            algorithms: [DEMO_ALGORITHM],
            currentDate: clock.now(),
          })
        ).payload
    : undefined;

  return {
    async authenticate(header) {
      if (header === undefined || header.trim() === "") return err({ kind: "missing", reason: "no_header" });
      const token = bearerToken(header);
      if (token === undefined) return err({ kind: "invalid", reason: "not_bearer" });

      let claimedIssuer: unknown;
      try {
        claimedIssuer = decodeJwt(token).iss;
      } catch {
        return err({ kind: "invalid", reason: "malformed" });
      }
      // Only a selector: a forged `iss` still has to pass the chosen verifier.
      const verify = claimedIssuer === DEMO_ISSUER && demo ? demo : configured;
      if (!verify) return err({ kind: "invalid", reason: "issuer_not_configured" });

      let payload: JWTPayload;
      try {
        payload = await verify(token);
      } catch (e) {
        return err(toAuthError(e));
      }
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
    },
  };
}
