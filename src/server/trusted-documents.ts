import type { ApolloServerPlugin, GraphQLRequest } from "@apollo/server";
import { parse, validate, type GraphQLSchema } from "graphql";
import { auditBase, type OperationContext } from "../context/index.ts";
import {
  documentDecision,
  type DocumentAsk,
  type LoadedPolicySet,
  type TrustedDocumentSettings,
} from "../policy/index.ts";
import { GatewayError, ROLES } from "../shared/index.ts";

/** The operation of the audit record of a refused document. */
export const TRUSTED_DOCUMENTS_AUDIT_OPERATION = "graphql.trusted-documents";

/** Without a setting: analysts' tools may send their own documents, applications may not. */
export const DEFAULT_TRUSTED_DOCUMENT_SETTINGS: TrustedDocumentSettings = Object.freeze({
  mode: "roles",
  adHocRoles: ROLES.filter((role) => role !== "application"),
});

/**
 * Stands in for a refused document so that nothing of it is parsed, validated or run; the refusal
 * is thrown where Apollo turns an error into a response (didResolveOperation).
 */
const PLACEHOLDER = "query TrustedDocumentRefused { __typename }";

const HEX64 = /^[0-9a-f]{64}$/;

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;

/**
 * The hash a request names: Apollo's `extensions.persistedQuery.sha256Hash`, or the GraphQL-over-HTTP
 * trusted documents' `documentId` (`sha256:<hex>` or bare hex) in the body or the query string.
 */
function requestedHash(request: GraphQLRequest): string | undefined {
  const persisted = field(request.extensions, "persistedQuery");
  const fromExtension = field(persisted, "sha256Hash");
  const fromBody = field(request.http?.body, "documentId");
  const fromSearch = request.http ? new URLSearchParams(request.http.search).get("documentId") : null;
  const raw = [fromExtension, fromBody, fromSearch].find((v) => typeof v === "string");
  return typeof raw === "string"
    ? raw
        .trim()
        .toLowerCase()
        .replace(/^sha256:/, "")
    : undefined;
}

function askOf(request: GraphQLRequest, policy: LoadedPolicySet): DocumentAsk | undefined {
  const hash = requestedHash(request);
  if (hash !== undefined) {
    const document = policy.trustedDocuments.get(hash);
    // A listed hash runs the listed text, whatever text came with it.
    if (document) return { kind: "listed", document };
    // Apollo's automatic registration (hash and text together) is a document of the caller's own.
    if (typeof request.query === "string" && request.query.length > 0) return { kind: "adHoc" };
    return { kind: "unlisted", hash: HEX64.test(hash) ? hash : "(not a sha256 hex digest)" };
  }
  return typeof request.query === "string" && request.query.length > 0 ? { kind: "adHoc" } : undefined;
}

function withoutPersistedQuery(request: GraphQLRequest): void {
  if (request.extensions && "persistedQuery" in request.extensions) {
    const { persistedQuery: _dropped, ...rest } = request.extensions;
    request.extensions = rest;
  }
}

/** Every trusted document must validate against the schema the gateway serves; else start-up stops. */
export function checkTrustedDocuments(schema: GraphQLSchema, policy: LoadedPolicySet): string[] {
  return [...policy.trustedDocuments.values()].flatMap((d) =>
    validate(schema, parse(d.text)).map((e) => `${d.file}: ${e.message}`),
  );
}

/**
 * Trusted documents (issue 12): a request that names a listed document's sha256 runs that document;
 * one whose caller may not send what it sent (an unlisted hash, a document of its own from a role
 * that may not, a listed document outside its client's `operations`) is refused before anything
 * is parsed or run, with one audit record (Delft art. 6b: every processing action is logged). The
 * decision is the policy layer's (`documentDecision`); this plugin only substitutes the listed text,
 * so the operation limits and the edge validation apply to trusted documents as to any other.
 * Apollo's automatic registration (APQ) never stores a document while the setting is not `off`.
 */
export function trustedDocumentsPlugin(
  schema: GraphQLSchema,
  policy: LoadedPolicySet,
  settings: TrustedDocumentSettings = DEFAULT_TRUSTED_DOCUMENT_SETTINGS,
): ApolloServerPlugin<OperationContext> {
  return {
    serverWillStart: () => {
      const problems = checkTrustedDocuments(schema, policy);
      if (problems.length > 0)
        throw new Error(`trusted documents do not fit the schema: ${problems.join("; ")}`);
      return Promise.resolve();
    },
    requestDidStart: ({ request, contextValue: ctx }) => {
      const ask = askOf(request, ctx.policy);
      if (!ask) return Promise.resolve();
      const decision = documentDecision(ctx.policy.clients, ctx.actor, ask, settings);
      if (decision.allowed) {
        if (ask.kind === "listed") {
          request.query = ask.document.text;
          withoutPersistedQuery(request);
        } else if (settings.mode !== "off") withoutPersistedQuery(request);
        return Promise.resolve();
      }
      request.query = PLACEHOLDER;
      delete request.operationName;
      request.variables = {};
      withoutPersistedQuery(request);
      return Promise.resolve({
        async didResolveOperation() {
          const logged = await ctx.audit.append([
            {
              ...auditBase(ctx),
              kind: "denial",
              operation: TRUSTED_DOCUMENTS_AUDIT_OPERATION,
              decision: "deny",
              reason: decision.reason,
              detail: {
                mode: settings.mode,
                ask: ask.kind,
                ...(ask.kind === "listed" ? { document: ask.document.id, hash: ask.document.hash } : {}),
                ...(ask.kind === "unlisted" ? { hash: ask.hash } : {}),
              },
            },
          ]);
          // No log, no answer: not even a refusal goes out unrecorded.
          if (!logged.ok) throw new GatewayError("INTERNAL_SERVER_ERROR");
          if (ask.kind === "listed")
            throw new GatewayError("FORBIDDEN", `Not permitted: ${decision.reason}.`, {
              http: { status: 403 },
            });
          throw new GatewayError(
            "BAD_USER_INPUT",
            ask.kind === "unlisted"
              ? `PERSISTED_QUERY_NOT_FOUND: ${decision.reason} (policies/trusted-documents/).`
              : `TRUSTED_DOCUMENT_REQUIRED: ${decision.reason}; send the sha256 of a trusted document as extensions.persistedQuery.sha256Hash or documentId.`,
            { http: { status: 400 } },
          );
        },
      });
    },
  };
}
