import type { AuditEntry } from "../../src/audit/index.ts";
import type { Clock } from "../../src/shared/index.ts";

/** A valid test BSN (passes the 11-check). */
export const BSN = "999993653";
export const OTHER_BSN = "999990019";
export const HMAC_KEY = "test-hmac-key-0123456789abcdef0123456789";

export function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    kind: "disclosure",
    actor: "analyst-1",
    roles: ["analyst"],
    clientId: "poortwachter-ui",
    caseId: "case-1",
    phase: "bronnenonderzoek",
    processingActivity: "ondermijning.bronnenonderzoek",
    operation: "brp.hits",
    source: "brp",
    subject: BSN,
    subjectType: "bsn",
    probes: ["exists"],
    mode: "hit",
    decision: "allow",
    reason: "Analysts may ask hit/no-hit in bronnenonderzoek",
    policyHash: "policy-hash-1",
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    detail: { result: "HIT", nested: { b: 1, a: [1, "x"] } },
    ...overrides,
  };
}

/** A clock that advances one second per call, from a fixed start. */
export function steppingClock(start = Date.parse("2025-03-01T09:00:00.000Z")): Clock {
  let next = start;
  return {
    now: () => {
      const at = new Date(next);
      next += 1000;
      return at;
    },
  };
}

/** Sequential ids, so a test can provoke a duplicate. */
export function counterIds(prefix = "rec"): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
