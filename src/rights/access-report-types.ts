import type { PrivacyCheckRecord } from "../cases/index.ts";
import type { InformingMethod, RequestDecision, RequestKind } from "./rights-record.ts";

/**
 * What the gateway processed about one person (GDPR art. 15(1), (3)): per case the purpose and
 * phases, the sources consulted with the probes and fields released or refused, the categories of
 * recipients, the privacy checks that concern the person, informing and requests, and how long the
 * data are kept. Field names and probe results, never registry values: the gateway keeps none.
 * It says nothing of cases withheld under GDPR art. 23; those are recorded internally.
 */
export interface SubjectAccessReport {
  readonly id: string;
  readonly generatedAt: string;
  readonly bsn: string;
  readonly protocolId: string;
  readonly cases: readonly AccessCase[];
}

export interface AccessCase {
  readonly caseId: string;
  readonly reference: string;
  readonly theme: string | null;
  readonly status: "open" | "closed";
  readonly phase: string;
  readonly outcome: string | null;
  readonly openedAt: string;
  readonly closedAt: string | null;
  /** Every phase the case entered, in order (a Delft case may go back). */
  readonly phases: readonly { readonly phase: string; readonly enteredAt: string }[];
  /** closed_at + the outcome's retention (ISO 8601), `open` while the case is open, or `unknown`. */
  readonly retentionEnd: string;
  /** The processing activities (purposes) under which the person was processed. */
  readonly purposes: readonly string[];
  readonly sources: readonly string[];
  readonly processing: readonly AccessProcessing[];
  /** Who received data about the person: the case's analysts and the departments checks named. */
  readonly recipients: readonly string[];
  readonly privacyChecks: readonly AccessCheck[];
  readonly informed: readonly { readonly informedAt: string; readonly method: InformingMethod }[];
  readonly requests: readonly {
    readonly kind: RequestKind;
    readonly receivedAt: string;
    readonly decision: RequestDecision | null;
    readonly decidedAt: string | null;
    readonly liftedAt: string | null;
  }[];
}

/** One audited disclosure or refusal about the person. */
export interface AccessProcessing {
  readonly at: string;
  readonly phase: string | null;
  readonly purpose: string;
  readonly source: string | null;
  readonly operation: string;
  readonly mode: string | null;
  /** released: data or answers left the gateway; no_answer: the source failed; refused: nothing left. */
  readonly outcome: "released" | "no_answer" | "refused";
  readonly probes: readonly { readonly probe: string; readonly result: string | null }[];
  readonly fields: readonly string[];
  /** The category of recipient (role), never the employee. */
  readonly recipient: string;
}

export interface AccessCheck {
  readonly kind: PrivacyCheckRecord["kind"];
  readonly source: string;
  readonly status: PrivacyCheckRecord["status"];
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly approvedFields: readonly string[];
  readonly approvedProbes: readonly string[];
  readonly recipients: readonly string[];
  /** True: the check names the person; false: it concerns the case as a whole. */
  readonly namesSubject: boolean;
}
