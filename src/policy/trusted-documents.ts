import { createHash } from "node:crypto";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import type { Actor, Decision, Role } from "../shared/index.ts";
import { clientOf, type ClientDef } from "./clients.ts";

/**
 * Trusted documents (issue 12; Apollo calls them persisted query lists, the GraphQL-over-HTTP
 * working group trusted documents): the operations signed off in `policies/trusted-documents/`,
 * one per file, `<OperationName>.graphql`. A client sends the document's sha256 instead of its
 * text; which documents a caller may run, and whether it may send a document of its own, is
 * decided here (`documentDecision`), the gateway's plugin only asks.
 */
export interface TrustedDocument {
  /** The file name without `.graphql`, which is also the name of its one operation. */
  readonly id: string;
  readonly file: string;
  /** Hex sha256 of the file's text, exactly as stored: what `sha256Hash` / `documentId` name. */
  readonly hash: string;
  readonly text: string;
  readonly operation: "query" | "mutation";
}

export const TRUSTED_DOCUMENTS_FOLDER = "trusted-documents";

/**
 * `required`: every caller sends a listed document; `roles`: only the roles allowed ad-hoc
 * documents may send their own (analysts' tools), the others a listed one; `off`: anything.
 */
export const TRUSTED_DOCUMENTS_MODES = ["required", "roles", "off"] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

export interface TrustedDocumentSettings {
  readonly mode: TrustedDocumentsMode;
  /** In mode `roles`: the roles that may send documents of their own. */
  readonly adHocRoles: readonly Role[];
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

type Problem = { readonly path: string; readonly reason: string };

/** Parses one document file: exactly one named operation, named as the file, no subscription. */
export function checkTrustedDocument(
  file: string,
  id: string,
  text: string,
): { readonly document?: TrustedDocument; readonly problems: Problem[] } {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(text, { noLocation: false }).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { problems: [{ path: "", reason: `not valid GraphQL: ${message.split("\n")[0] ?? message}` }] };
  }
  const problems: Problem[] = [];
  const only = operations.length === 1 ? operations[0] : undefined;
  if (!only)
    problems.push({
      path: "",
      reason: `holds ${operations.length} operations; a trusted document holds one`,
    });
  else {
    if (only.name?.value !== id)
      problems.push({
        path: "",
        reason: `its operation is named ${only.name?.value ?? "(none)"}; name it ${id}, as the file`,
      });
    if (only.operation === "subscription")
      problems.push({ path: "", reason: "a subscription; the gateway has none" });
  }
  if (problems.length > 0 || !only || only.operation === "subscription") return { problems };
  return {
    document: Object.freeze({ id, file, hash: sha256Hex(text), text, operation: only.operation }),
    problems,
  };
}

/** What a request names: a listed document, a hash the list does not hold, or a document of its own. */
export type DocumentAsk =
  | { readonly kind: "listed"; readonly document: TrustedDocument }
  | { readonly kind: "unlisted"; readonly hash: string }
  | { readonly kind: "adHoc" };

/** Id of the decisions below, in the audit record of a refusal. */
export const TRUSTED_DOCUMENTS_RULE = "trusted-documents";

/**
 * Whether this actor may run what it sent. A listed client (clients.yaml) runs only its
 * `operations`, and never a document of its own while the setting is not `off`: an application's
 * operations are the ones signed off for it (issue 12). Anyone else may run any listed document,
 * and a document of their own in mode `off`, or in mode `roles` when every role it holds is
 * allowed ad-hoc documents. An unlisted hash is refused in every mode but `off`.
 */
export function documentDecision(
  clients: ReadonlyMap<string, ClientDef>,
  actor: Actor,
  ask: DocumentAsk,
  settings: TrustedDocumentSettings,
): Decision {
  const ruleId = TRUSTED_DOCUMENTS_RULE;
  if (settings.mode === "off") return { allowed: true, reason: "TRUSTED_DOCUMENTS is off", ruleId };
  const client = clientOf(clients, actor);
  switch (ask.kind) {
    case "unlisted":
      return { allowed: false, reason: `document sha256:${ask.hash} is not a trusted document`, ruleId };
    case "listed":
      if (client && !client.operations.includes(ask.document.id))
        return {
          allowed: false,
          reason: `client ${client.id} may run only ${client.operations.join(", ")} (clients.yaml), not ${ask.document.id}`,
          ruleId,
        };
      return { allowed: true, reason: `trusted document ${ask.document.id}`, ruleId };
    case "adHoc": {
      if (client)
        return {
          allowed: false,
          reason: `client ${client.id} may send only its trusted documents (${client.operations.join(", ")}), not a document of its own`,
          ruleId,
        };
      const allowed =
        settings.mode === "roles" &&
        actor.roles.length > 0 &&
        actor.roles.every((role) => settings.adHocRoles.includes(role));
      return allowed
        ? { allowed: true, reason: `role ${actor.roles.join(", ")} may send ad-hoc documents`, ruleId }
        : {
            allowed: false,
            reason:
              settings.mode === "required"
                ? "only trusted documents are accepted (TRUSTED_DOCUMENTS=required)"
                : `role ${actor.roles.join(", ") || "(none)"} may send only trusted documents (TRUSTED_DOCUMENTS_ADHOC_ROLES)`,
            ruleId,
          };
    }
  }
}
