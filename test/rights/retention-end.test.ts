import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/cases/index.ts";
import { loadPolicySet } from "../../src/policy/index.ts";
import { retentionEnd } from "../../src/rights/index.ts";

/** The retention end the access report and the worklist show: the purge's own rule. */
describe("retentionEnd", async () => {
  const loaded = await loadPolicySet("policies");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const protocol = loaded.value.protocol;
  const closed = (
    outcome: string | null,
    closedAt = "2025-03-01T10:00:00Z",
    protocolId = protocol.id,
  ): CaseRecord => ({
    id: "c",
    reference: "R",
    theme: null,
    protocolId,
    phase: protocol.closedPhase,
    status: "closed",
    outcome,
    owner: "a",
    substitute: null,
    openedAt: new Date("2025-01-01T00:00:00Z"),
    closedAt: new Date(closedAt),
    version: 3,
  });

  it.each([
    ["ongegrond", "2025-03-01T10:00:00Z", "2025-03-01T10:00:00.000Z"],
    ["geen_casus", "2025-03-01T10:00:00Z", "2026-03-01T10:00:00.000Z"],
    ["afgerond", "2025-03-01T10:00:00Z", "2030-03-01T10:00:00.000Z"],
    ["geen_casus", "2024-02-29T12:00:00Z", "2025-02-28T12:00:00.000Z"],
  ])("a case closed %s at %s is kept until %s (Maastricht art. 10.2)", (outcome, at, end) => {
    expect((retentionEnd(protocol, closed(outcome, at)) as Date).toISOString()).toBe(end);
  });

  it("is open for an open case, unknown for another protocol or an outcome it does not know", () => {
    expect(retentionEnd(protocol, { ...closed("afgerond"), status: "open", closedAt: null })).toBe("open");
    expect(retentionEnd(protocol, closed("afgerond", undefined, "delft"))).toBe("unknown");
    expect(retentionEnd(protocol, closed("no-such-outcome"))).toBe("unknown");
    expect(retentionEnd(protocol, closed(null))).toBe("unknown");
  });
});
