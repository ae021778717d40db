import { GraphQLError } from "graphql";

/**
 * The closed set of error codes a caller can see (`extensions.code`). Anything else is reported as
 * INTERNAL_SERVER_ERROR by the formatter, so no new code leaks without being added here.
 */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "PHASE_CONFLICT",
  "UPSTREAM_UNAVAILABLE",
  "POLICY_UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Fixed, value-free messages: a message never contains registry values or upstream bodies. */
const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: "A valid bearer token is required.",
  FORBIDDEN: "Not permitted for this case and phase.",
  NOT_FOUND: "Not found.",
  BAD_USER_INPUT: "The input is invalid.",
  PHASE_CONFLICT: "The case's protocol does not allow this in its current phase.",
  UPSTREAM_UNAVAILABLE: "The source did not answer; the result is unknown.",
  POLICY_UNAVAILABLE:
    "This replica cannot load the newest policy version and serves no data under an older one; try again later.",
  INTERNAL_SERVER_ERROR: "Internal error.",
};

/** The one error class the GraphQL layer throws. */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string, extra?: Record<string, unknown>) {
    super(message ?? DEFAULT_MESSAGES[code], { extensions: { ...extra, code } });
    this.code = code;
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
