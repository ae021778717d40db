export { createAuthenticator, safeAlgorithms } from "./authenticator.ts";
export type { Authenticator, AuthenticatorOptions } from "./authenticator.ts";
export { bearerChallenge } from "./bearer.ts";
export { actingAs, meetsMfaRequirement, parseRoles, readClaim, toActor } from "./claims.ts";
export type { ClaimMapping, MfaRequirement } from "./claims.ts";
export {
  DEMO_ALGORITHM,
  DEMO_AUDIENCE,
  DEMO_KEY_FILE,
  DEMO_TOKEN_TTL_S,
  loadOrCreateDemoIssuer,
} from "./demo-issuer.ts";
export type { DemoIssuer, DemoIssuerDeps } from "./demo-issuer.ts";
export type { AuthError, ClientLookup, DemoTokenClaims, ServiceClient } from "./types.ts";
export { createDemoOidc, DEMO_CODE_TTL_MS, DEMO_OIDC_PATH } from "./demo-oidc.ts";
export type { DemoOidcHandler, DemoOidcOptions } from "./demo-oidc.ts";
