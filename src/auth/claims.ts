import type { JWTPayload } from "jose";
import type { OidcConfig } from "../config/index.ts";
import { isRole, type Actor, type Role } from "../shared/index.ts";
import type { ClientLookup, ServiceClient } from "./types.ts";

/** The part of {@link OidcConfig} that says how claims map onto an {@link Actor}. */
export type ClaimMapping = Pick<OidcConfig, "roleClaim" | "departmentClaim">;

/** The part of {@link OidcConfig} that says what counts as multi-factor authentication. */
export type MfaRequirement = Pick<OidcConfig, "requireMfa" | "mfaAmr" | "mfaAcr">;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads a claim by name or dotted path (`realm_access.roles`). A claim whose literal name contains
 * dots (`https://idp.example/roles`) wins over the path. Only own properties are followed, so a
 * path such as `__proto__.x` never reaches into the prototype chain.
 */
export function readClaim(payload: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let current: unknown = payload;
  for (const segment of name.split(".")) {
    if (!isPlainObject(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/**
 * Roles from a claim value: an array of strings or one space/comma-separated string. Values that
 * are not gateway roles are dropped; the result has no duplicates.
 */
export function parseRoles(value: unknown): Role[] {
  const raw =
    typeof value === "string"
      ? value.split(/[\s,]+/)
      : Array.isArray(value)
        ? value.filter((v): v is string => typeof v === "string")
        : [];
  return [...new Set(raw.map((v) => v.trim()).filter(isRole))];
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * Reduces a verified payload to an {@link Actor}. The caller has checked signature, `iss` and
 * `sub`; a token without a known role still yields an actor (with `roles: []`), so the policy,
 * not authentication, is what refuses it.
 */
export function toActor(payload: JWTPayload & { iss: string; sub: string }, mapping: ClaimMapping): Actor {
  return {
    subject: payload.sub,
    roles: parseRoles(readClaim(payload, mapping.roleClaim)),
    department: optionalString(readClaim(payload, mapping.departmentClaim)),
    clientId: optionalString(payload["azp"]) ?? optionalString(payload["client_id"]),
    amr: stringList(payload["amr"]),
    acr: optionalString(payload["acr"]),
    issuer: payload.iss,
  };
}

/**
 * Whether the actor meets the MFA requirement: one of the configured `amr` values, or an `acr`
 * that the configuration counts as multi-factor.
 */
export function meetsMfaRequirement(actor: Actor, requirement: MfaRequirement): boolean {
  // Maastricht art. 9: two-factor authentication on every workstation that reaches the data.
  if (!requirement.requireMfa) return true;
  if (actor.amr.some((method) => requirement.mfaAmr.includes(method))) return true;
  return actor.acr !== undefined && requirement.mfaAcr.includes(actor.acr);
}

/**
 * The roles a verified actor acts with (issue 12). A token whose `azp`/`client_id` names a service
 * account of the clients file acts as that client: exactly the file's roles, whatever its role
 * claim says. Any other token keeps its claimed roles except `application`, which only the
 * clients file grants, so an unknown client gets nothing (deny by default).
 */
export function actingAs(
  actor: Actor,
  clients: ClientLookup | undefined,
): { actor: Actor; client?: ServiceClient } {
  const client = actor.clientId === undefined ? undefined : clients?.(actor.clientId);
  if (client) return { actor: { ...actor, roles: [...new Set(client.roles)] }, client };
  return { actor: { ...actor, roles: actor.roles.filter((role) => role !== "application") } };
}
