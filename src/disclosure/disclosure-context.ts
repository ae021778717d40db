import type { AuditEntry, AuditError } from "../audit/index.ts";
import type { OperationContext } from "../context/index.ts";
import type { Result } from "../shared/index.ts";
import type { SourceLoaders } from "../sources/source-loaders.ts";

/**
 * Per-request context for disclosures: the operation context plus the request's DataLoaders and
 * its audit batcher. `record` resolves only after the record is committed.
 */
export interface DisclosureContext extends OperationContext {
  readonly record: (entry: AuditEntry) => Promise<Result<void, AuditError>>;
  /** This request's DataLoaders of every configured source. */
  readonly sources: SourceLoaders;
  readonly municipalityCode: string;
  /** VERIFY_MAX_CHANGES (src/disclosure/verify-values.ts); default 1. */
  readonly verifyMaxChanges?: number | undefined;
}

/** Why a disclosure gave no data; the GraphQL layer maps it to a code. */
export interface DisclosureError {
  readonly kind: "forbidden" | "bad_input" | "upstream" | "audit_failed";
  readonly message?: string | undefined;
}
