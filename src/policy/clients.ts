import { z } from "zod";
import { ROLES, type Actor, type Decision, type Role } from "../shared/index.ts";
import type { CaseFacts } from "./types.ts";

/**
 * Service accounts (`policies/clients.yaml`, issue 12): another application that calls the gateway
 * with a client-credentials token is known by its client id (`azp` / `client_id`). The file says
 * which roles it acts as, which trusted documents it may run, which cases it may touch and whether
 * it is exempt from the MFA requirement. A client id the file does not name acts as nobody: the
 * `application` role is granted only here (deny by default). Every change to this file is a change
 * of the authorisation matrix (Delft art. 6c) and goes into the policy hash.
 */

const text = z.string().trim().min(1, "must not be empty");
const themeId = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]*$/, "a theme is a lower-case word of letters, digits and _ (e.g. hennepteelt)");

/** As the identity provider spells it: letters, digits and `.`, `_`, `:`, `-`. */
export const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A trusted document's name: its file name without `.graphql`, which is also its operation name. */
export const DOCUMENT_ID = /^[A-Z][A-Za-z0-9]{0,79}$/;

export const clientSchema = z.strictObject({
  id: z.string().regex(CLIENT_ID, "a client id is letters, digits and . _ : - (at most 128)"),
  name: text,
  reason: text,
  article: text,
  /** The roles the client acts as; the token's own role claim is not consulted for it. */
  roles: z.array(z.enum(ROLES)).min(1, "name at least one role the client acts as"),
  /** The trusted documents (`trusted-documents/<id>.graphql`) the client may run; nothing else. */
  operations: z
    .array(z.string().regex(DOCUMENT_ID, "a document id is the operation name, e.g. RegisterSignal"))
    .min(1, "name at least one trusted document the client may run"),
  /** The cases the client may touch: of these themes, or with these references. */
  cases: z
    .strictObject({
      themes: z.array(themeId).optional().default([]),
      references: z.array(text).optional().default([]),
    })
    .refine((c) => c.themes.length + c.references.length > 0, "name at least one theme or case reference"),
  /**
   * Present only for a machine client that cannot show a second factor (client credentials carry
   * no `amr`): the reason it may do without (Maastricht art. 9 asks two factors of people).
   */
  mfaExempt: z.strictObject({ reason: text }).optional(),
});
export type ClientDef = z.infer<typeof clientSchema>;

export const clientsFileSchema = z.strictObject({ clients: z.array(clientSchema) });
export type ClientsFile = z.infer<typeof clientsFileSchema>;

/**
 * Roles no client may act as: advice, decisions, second opinions, supervision, data-subject
 * requests and assigning staff are weighings by people (Delft art. 16, 19-20; Maastricht art. 8,
 * 11, 18.1), never by another system.
 */
export const PERSON_ONLY_ROLES: readonly Role[] = [
  "privacy_officer",
  "coordinator",
  "dpo",
  "legal",
  "beheerder",
];

type Problem = { readonly path: string; readonly reason: string };

/** Cross-checks of the clients file: unique ids, no person-only roles, operations that exist. */
export function checkClients(file: ClientsFile, documentIds: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  file.clients.forEach((c, i) => {
    if (file.clients.findIndex((d) => d.id === c.id) !== i)
      problems.push({ path: `clients[${i}].id`, reason: `duplicate client ${c.id}` });
    c.roles.forEach((role, j) => {
      if (PERSON_ONLY_ROLES.includes(role))
        problems.push({
          path: `clients[${i}].roles[${j}]`,
          reason: `role ${role} is a person's: advice, decisions, supervision, data-subject requests and assignment are not made by an application (Delft art. 16, 19-20; Maastricht art. 8, 11)`,
        });
    });
    c.operations.forEach((op, j) => {
      if (!documentIds.has(op))
        problems.push({
          path: `clients[${i}].operations[${j}]`,
          reason: `no trusted document ${op} (trusted-documents/${op}.graphql)`,
        });
    });
  });
  return problems;
}

/** The client entry the actor's token names, if the clients file lists it. */
export function clientOf(
  clients: ReadonlyMap<string, ClientDef>,
  actor: Pick<Actor, "clientId">,
): ClientDef | undefined {
  return actor.clientId === undefined ? undefined : clients.get(actor.clientId);
}

/** Id of the decision that keeps a client out of cases its entry does not name. */
export const CLIENT_CASES_RULE = "clients.cases";

/**
 * Whether the actor's client may touch a case of this theme and reference. An actor that is not a
 * listed client is not bound by this rule (its roles alone decide).
 */
export function clientCaseDecision(
  clients: ReadonlyMap<string, ClientDef>,
  actor: Pick<Actor, "clientId">,
  facts: Pick<CaseFacts, "theme" | "reference">,
): Decision {
  const client = clientOf(clients, actor);
  if (!client) return { allowed: true, reason: "not a service account" };
  const { themes, references } = client.cases;
  if ((facts.theme != null && themes.includes(facts.theme)) || references.includes(facts.reference ?? ""))
    return {
      allowed: true,
      reason: `client ${client.id} may touch this case: ${client.reason}`,
      ruleId: CLIENT_CASES_RULE,
    };
  return {
    allowed: false,
    reason: `client ${client.id} may touch only cases of theme ${themes.join(", ") || "(none)"}${references.length ? ` or references ${references.join(", ")}` : ""} (clients.yaml)`,
    ruleId: CLIENT_CASES_RULE,
  };
}
