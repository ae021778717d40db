import { newSpanId } from "../shared/random-ids.ts";
import { currentSpan, currentUpstreamSpans } from "../context/trace-context.ts";
import type { AuditDecision, AuditEntry, ForeignOperation, LdvStatus } from "./types.ts";

/**
 * The Logboek Dataverwerkingen fields of one audit record (issue 13; reference/
 * logboek-dataverwerkingen-specificaties-index.md, "Gedrag van Applicatie"): every record is its
 * own action with a new `span_id`, under the request's span as `parent_span_id` ("Wanneer een enkele
 * Dataverwerking meerdere Betrokkenen heeft, MOET de Applicatie voor elke Betrokkene een nieuwe actie
 * met unieke span_id starten en deze onder de reeds bekende actie voegen"), a status, and the
 * registry calls that continued the trace, so a registry's own log can be joined with ours.
 */
export interface LdvFields {
  readonly spanId: string;
  readonly parentSpanId?: string | undefined;
  readonly status: LdvStatus;
  readonly foreignOperations?: readonly ForeignOperation[] | undefined;
}

/**
 * `status` by the standard's semantics: `Error` only for a fault inside the gateway; a refusal the
 * policy decided was handled correctly and has no result, which the standard gives `Unset` ("Een
 * dataverwerking die niet klopt op basis van de gegeven gebruikersinput, maar die zonder fouten is
 * afgehandeld, hoort dus status Unset te krijgen"); an allowed processing is marked `Ok`.
 */
export const statusOf = (decision: AuditDecision): LdvStatus =>
  decision === "allow" ? "Ok" : decision === "deny" ? "Unset" : "Error";

/**
 * Base URLs per audit `source` (brp, bag, hr, …): which upstream calls belong to a record. A
 * function for sources known only at run time (issue 16: registers come with the policy version).
 */
export type UpstreamUrls =
  Readonly<Record<string, readonly string[]>> | ((source: string) => readonly string[] | undefined);

/**
 * The upstream calls of the current request that belong to a record of `source`: those whose target
 * lies under one of the source's base URLs; every call of the request when the source's URLs are
 * not known (they cannot be told apart); none for a record without a source (case work calls no
 * registry).
 */
function foreignOperationsOf(source: string | undefined, urls: UpstreamUrls | undefined) {
  if (source === undefined) return undefined;
  const spans = currentUpstreamSpans();
  if (spans.length === 0) return undefined;
  const bases = typeof urls === "function" ? urls(source) : urls?.[source];
  const mine = bases ? spans.filter((s) => bases.some((b) => s.target.startsWith(b))) : spans;
  return mine.length === 0 ? undefined : mine.map((s) => ({ spanId: s.spanId, target: s.target }));
}

export function ldvFieldsOf(entry: AuditEntry, urls?: UpstreamUrls): LdvFields {
  return {
    spanId: entry.spanId ?? newSpanId(),
    parentSpanId: entry.parentSpanId ?? currentSpan()?.spanId,
    status: statusOf(entry.decision),
    foreignOperations: foreignOperationsOf(entry.source, urls),
  };
}
