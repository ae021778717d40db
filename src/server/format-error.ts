import { unwrapResolverError } from "@apollo/server/errors";
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from "graphql";
import { GatewayError, isErrorCode } from "../shared/index.ts";

/** Codes Apollo/graphql-js raise for malformed requests; their messages name the problem only. */
const REQUEST_ERRORS = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** Every type, field, argument and enum value name of the schema: what a message may repeat. */
export function schemaNames(schema: GraphQLSchema): ReadonlySet<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type))
      for (const f of Object.values(type.getFields())) {
        names.add(f.name);
        names.add(`${type.name}.${f.name}`);
        for (const a of f.args) names.add(a.name);
      }
    if (isInputObjectType(type))
      for (const f of Object.values(type.getFields())) {
        names.add(f.name);
        names.add(`${type.name}.${f.name}`);
      }
    if (isEnumType(type)) for (const v of type.getValues()) names.add(v.name);
  }
  return names;
}

/** graphql-js's own wording when `parseOptions.maxTokens` stops the parser. */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that (\d+) tokens\. Parsing aborted\.$/;

/**
 * A request error's message without the caller's own text (issue 10: name the rule, never echo
 * the value). graphql-js quotes names and values in double quotes: a quoted word that is a name
 * of the schema stays, anything else becomes `"…"`; "Did you mean …?" suggestions go, since they
 * let a caller recover the schema word by word; a syntax error keeps only its position.
 */
export function requestErrorMessage(message: string, schemaNames: ReadonlySet<string>): string {
  const tokens = TOO_MANY_TOKENS.exec(message);
  if (tokens) return `The document has more than ${tokens[1]} tokens (LIMIT_MAX_TOKENS).`;
  if (message.startsWith("Syntax Error:")) return "Syntax error: the document is not valid GraphQL.";
  return message
    .replace(/\s*Did you mean [^?]*\?/g, "")
    .replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, inner: string) =>
      schemaNames.has(inner.replace(/[[\]!]/g, "")) ? quoted : '"…"',
    );
}

/**
 * The only path an error takes to a caller: a closed set of codes, never a stack trace, an
 * upstream body or a registry value. Unknown errors become INTERNAL_SERVER_ERROR and are
 * reported to `onInternal` (the operational log) instead.
 */
export function createErrorFormatter(
  onInternal: (error: unknown) => void,
  schemaNames: ReadonlySet<string> = new Set(),
) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = {
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    if (original instanceof GatewayError) {
      return { ...base, message: original.message, extensions: { code: original.code } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && REQUEST_ERRORS.has(code)) {
      return {
        ...base,
        message: requestErrorMessage(formatted.message, schemaNames),
        extensions: { code: "BAD_USER_INPUT" },
      };
    }
    if (
      typeof code === "string" &&
      isErrorCode(code) &&
      code !== "INTERNAL_SERVER_ERROR" &&
      !formatted.path
    ) {
      return { ...base, message: formatted.message, extensions: { code } };
    }
    onInternal(original);
    return { ...base, message: "Internal error.", extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}
