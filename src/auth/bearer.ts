import type { AuthError } from "./types.ts";

/** The realm every challenge names (RFC 6750 §3). */
export const BEARER_REALM = "poortwachter";

const BEARER = /^Bearer +(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

/**
 * The `WWW-Authenticate` value of a 401 (RFC 6750 §3). Without a bearer token (no header,
 * another scheme) it carries no error, as §3.1 asks; a bearer token that was refused gets
 * `invalid_token`, or `insufficient_user_authentication` (RFC 9470) when only the multi-factor
 * requirement failed (Maastricht art. 9), so a client knows to authenticate again more strongly.
 * Never an `error_description`: why a token failed stays in the operational log.
 */
export function bearerChallenge(authorization: string | undefined, error?: AuthError): string {
  const realm = `Bearer realm="${BEARER_REALM}"`;
  if (bearerToken(authorization) === undefined) return realm;
  const code = error?.kind === "mfa_required" ? "insufficient_user_authentication" : "invalid_token";
  return `${realm}, error="${code}"`;
}
