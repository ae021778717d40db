export {
  createObservability,
  denialReasonOf,
  type Observability,
  type ObservabilityOptions,
} from "./observability.ts";
export { CIRCUIT_VALUE, MAX_OPERATION_NAMES, type Metrics, type RequestOutcome } from "./metrics.ts";
export { outcomeOf, type RequestObserver } from "./request-observer.ts";
export { decisionSpans } from "./decision-spans.ts";
export { pathTemplate, startUpstreamSpan, withSource, type UpstreamSpanHandle } from "./upstream-span.ts";
