import type { CaseError } from "../cases/index.ts";
import type { DisclosureError } from "../disclosure/index.ts";
import { GatewayError, UnreachableCaseError, type Result } from "../shared/index.ts";

/** Turns a use case's error value into the one error class the GraphQL layer throws. */
export function caseErrorToGateway(e: CaseError): GatewayError {
  switch (e.kind) {
    case "not_found":
      return new GatewayError("NOT_FOUND");
    case "forbidden":
      return new GatewayError("FORBIDDEN");
    case "phase_conflict":
      return new GatewayError("PHASE_CONFLICT", e.message);
    case "bad_input":
      return new GatewayError("BAD_USER_INPUT", e.message);
    case "audit_failed":
      return new GatewayError("INTERNAL_SERVER_ERROR");
    default:
      throw new UnreachableCaseError(e.kind);
  }
}

export function disclosureErrorToGateway(e: DisclosureError): GatewayError {
  switch (e.kind) {
    case "forbidden":
      return new GatewayError("FORBIDDEN");
    case "bad_input":
      return new GatewayError("BAD_USER_INPUT", e.message);
    case "upstream":
      return new GatewayError("UPSTREAM_UNAVAILABLE");
    case "audit_failed":
      return new GatewayError("INTERNAL_SERVER_ERROR");
    default:
      throw new UnreachableCaseError(e.kind);
  }
}

/** Unwraps a use-case result for a resolver: the value, or the mapped GatewayError thrown. */
export function unwrapCase<T>(r: Result<T, CaseError>): T {
  if (!r.ok) throw caseErrorToGateway(r.error);
  return r.value;
}

export function unwrapDisclosure<T>(r: Result<T, DisclosureError>): T {
  if (!r.ok) throw disclosureErrorToGateway(r.error);
  return r.value;
}
