import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** The circuit as a number, so an alert can say `> 0`: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_VALUE: Readonly<Record<string, number>> = Object.freeze({
  closed: 0,
  halfOpen: 1,
  open: 2,
});

type CircuitStates = () => readonly { readonly source: string; readonly circuit: string }[];

export type RequestOutcome = "ok" | "error" | "denied";

/** A label value from a set that may not grow without end: the first `max` values, then `other`. */
export function boundedLabel(max: number, pattern: RegExp): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!pattern.test(value)) return "other";
    if (seen.has(value)) return value;
    if (seen.size >= max) return "other";
    seen.add(value);
    return value;
  };
}

/** Distinct operation names counted by name; after these, `other` (names come from callers). */
export const MAX_OPERATION_NAMES = 50;
/** Distinct denial reasons (rule ids and refused operations come from the policy and the code). */
export const MAX_DENIAL_REASONS = 100;

/** A GraphQL name (spec §2.1.9), not too long for a label. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** A rule id or an audit operation (`binding.caseSubjects`, `brp.fields`). */
const REASON = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/**
 * The gateway's Prometheus metrics, in a registry of its own (never prom-client's global one,
 * so two gateways in one process, as in the tests, do not share counters). Every label has a
 * bounded set of values and none is ever a subject, a registry value or a free text.
 */
export function createMetrics(options: { readonly processMetrics?: boolean | undefined } = {}) {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const operationName = boundedLabel(MAX_OPERATION_NAMES, GRAPHQL_NAME);
  const denialReason = boundedLabel(MAX_DENIAL_REASONS, REASON);

  const requests = new Counter({
    name: "poortwachter_requests_total",
    help: "GraphQL requests by operation name (`anonymous` without one, `other` beyond the first 50) and outcome (ok, error, denied).",
    labelNames: ["operation", "outcome"] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: "poortwachter_request_duration_seconds",
    help: "Time to answer a GraphQL request over HTTP, from its body read to its response written.",
    labelNames: ["outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: "poortwachter_upstream_duration_seconds",
    help: "Time of one call to a source through its resilience (queueing, attempts, backoff), by source and outcome (ok, error).",
    labelNames: ["source", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: "poortwachter_upstream_errors_total",
    help: "Failed calls to a source by kind (timeout, unavailable, malformed, rejected, unauthorized).",
    labelNames: ["source", "kind"] as const,
    registers: [registry],
  });
  let circuits: CircuitStates | undefined;
  new Gauge({
    name: "poortwachter_circuit_state",
    help: "Circuit of each source: 0 closed, 1 half-open, 2 open.",
    labelNames: ["source"] as const,
    registers: [registry],
    // Read at each scrape: the breakers are the truth, not a copy of them.
    collect() {
      this.reset();
      for (const s of circuits?.() ?? []) this.set({ source: s.source }, CIRCUIT_VALUE[s.circuit] ?? 2);
    },
  });
  const auditCommitDuration = new Histogram({
    name: "poortwachter_audit_commit_duration_seconds",
    help: "Time to commit one batch of audit records (its transaction), by outcome (ok, error).",
    labelNames: ["outcome"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const auditQueue = new Gauge({
    name: "poortwachter_audit_queue_depth",
    help: "Audit records recorded by requests and not yet committed (buffered or being written); the data they cover wait for them.",
    registers: [registry],
  });
  const policyInfo = new Gauge({
    name: "poortwachter_policy_info",
    help: "The policy in force: 1 for its hash and protocol.",
    labelNames: ["hash", "protocol"] as const,
    registers: [registry],
  });
  const denials = new Counter({
    name: "poortwachter_denials_total",
    help: "Committed refusals by reason: the rule that decided when the record names one, else the refused operation.",
    labelNames: ["reason"] as const,
    registers: [registry],
  });

  return {
    registry,
    request(operation: string | undefined, outcome: RequestOutcome, seconds: number) {
      requests.inc({ operation: operation ? operationName(operation) : "anonymous", outcome });
      requestDuration.observe({ outcome }, seconds);
    },
    upstream(source: string, errorKind: string | undefined, seconds: number) {
      upstreamDuration.observe({ source, outcome: errorKind ? "error" : "ok" }, seconds);
      if (errorKind) upstreamErrors.inc({ source, kind: errorKind });
    },
    /** The sources' circuits, as /ready reads them (SourceStates). */
    watchCircuits(states: CircuitStates) {
      circuits = states;
    },
    auditCommit(ok: boolean, seconds: number) {
      auditCommitDuration.observe({ outcome: ok ? "ok" : "error" }, seconds);
    },
    auditQueued(delta: number) {
      auditQueue.inc(delta);
    },
    policy(hash: string, protocol: string) {
      policyInfo.reset();
      policyInfo.set({ hash, protocol }, 1);
    },
    denial(reason: string) {
      denials.inc({ reason: denialReason(reason) });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
