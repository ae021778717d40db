import {
  policyEvaluationsDueFor,
  policyVersionsFor,
  recordPolicyEvaluationFor,
  type RecordEvaluationArgs,
} from "../src/policy/versions/service.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** The stored policy versions and their evaluations (schema/policy-versions.graphql; src/policy/versions). */
export const PolicyVersionsQuery = {
  policyVersions: async (_: unknown, __: unknown, ctx: GatewayContext) =>
    unwrapCase(await policyVersionsFor(ctx)),
  policyEvaluationsDue: async (_: unknown, __: unknown, ctx: GatewayContext) =>
    unwrapCase(await policyEvaluationsDueFor(ctx)),
};

export const PolicyVersionsMutation = {
  recordPolicyEvaluation: async (_: unknown, args: RecordEvaluationArgs, ctx: GatewayContext) =>
    unwrapCase(await recordPolicyEvaluationFor(ctx, args)),
};
