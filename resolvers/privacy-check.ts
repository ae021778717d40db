import { caseRepository, checkPhases, type PrivacyCheckRecord } from "../src/cases/index.ts";
import type { GatewayContext } from "./context.ts";

/** GraphQL's PrivacyCheckKind and PrivacyCheckStatus values, for every resolver that returns checks. */
export const KIND = { "1": "CHECK_1", "2a": "CHECK_2A", "2b": "CHECK_2B" } as const;
export const STATUS = {
  requested: "REQUESTED",
  approved: "APPROVED",
  partially_approved: "PARTIALLY_APPROVED",
  rejected: "REJECTED",
  escalated: "ESCALATED",
  revoked: "REVOKED",
  lapsed: "LAPSED",
} as const;

export const PrivacyCheck = {
  kind: (c: PrivacyCheckRecord) => KIND[c.kind],
  status: (c: PrivacyCheckRecord) => STATUS[c.status],
  requestedAt: (c: PrivacyCheckRecord) => c.requestedAt.toISOString(),
  phases: (c: PrivacyCheckRecord, _: unknown, ctx: GatewayContext) => checkPhases(ctx.policy, c.kind),
  history: async (c: PrivacyCheckRecord, _: unknown, ctx: GatewayContext) =>
    (await caseRepository.steps(ctx.db, c.id)).map((s) => ({ ...s, at: s.at.toISOString() })),
};
