import type { OidcConfig } from "../../../src/config/index.ts";
import { AUDIENCE, ISSUER } from "./jwks-server.ts";

/** An OIDC configuration as `loadConfig` would produce it, pointed at a test identity provider. */
export const oidcConfig = (jwksUrl: string, overrides: Partial<OidcConfig> = {}): OidcConfig => ({
  issuer: ISSUER,
  jwksUrl,
  audience: AUDIENCE,
  algorithms: ["RS256", "PS256", "ES256"],
  roleClaim: "roles",
  departmentClaim: "department",
  requireMfa: false,
  mfaAmr: ["mfa", "otp", "hwk", "swk", "sms"],
  mfaAcr: [],
  clockToleranceS: 30,
  maxTokenLifetimeS: 7200,
  tokenCacheSize: 1000,
  ...overrides,
});
