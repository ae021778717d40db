import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
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

/**
 * The only path an error takes to a caller: a closed set of codes, never a stack trace, an
 * upstream body or a registry value. Unknown errors become INTERNAL_SERVER_ERROR and are
 * reported to `onInternal` (the operational log) instead.
 */
export function createErrorFormatter(onInternal: (error: unknown) => void) {
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
      return { ...base, message: formatted.message, extensions: { code: "BAD_USER_INPUT" } };
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
