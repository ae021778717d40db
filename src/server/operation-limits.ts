import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { OperationLimitsConfig } from "../config/index.ts";
import { auditBase, type OperationContext } from "../context/index.ts";
import { GatewayError } from "../shared/index.ts";
import { createOperationMeasurer, type OperationMeasure } from "./operation-measure.ts";

/** The operation of the audit record of a refused operation. */
export const LIMITS_AUDIT_OPERATION = "graphql.limits";

/** One limit: what is measured, how the message says it, and the setting that bounds it. */
interface Limit {
  readonly measure: keyof OperationMeasure;
  readonly max: keyof OperationLimitsConfig;
  readonly setting: string;
  readonly says: (n: number) => string;
}

const plural = (n: number, one: string, more = `${one}s`) => (n === 1 ? one : more);

/** In the order the message names them: the ones about people first. */
const LIMITS: readonly Limit[] = [
  {
    measure: "subjects",
    max: "maxSubjects",
    setting: "LIMIT_MAX_SUBJECTS",
    says: (n) => `${n} distinct ${plural(n, "subject")}`,
  },
  {
    measure: "hops",
    max: "maxHops",
    setting: "LIMIT_MAX_HOPS",
    says: (n) => `${n} ${plural(n, "hop")} deep`,
  },
  {
    measure: "fanout",
    max: "maxFanout",
    setting: "LIMIT_MAX_FANOUT",
    says: (n) => `an estimated ${n} field ${plural(n, "resolution")}`,
  },
  {
    measure: "aliases",
    max: "maxAliases",
    setting: "LIMIT_MAX_ALIASES",
    says: (n) => `${n} ${plural(n, "alias", "aliases")}`,
  },
  {
    measure: "depth",
    max: "maxDepth",
    setting: "LIMIT_MAX_DEPTH",
    says: (n) => `${n} ${plural(n, "field")} deep`,
  },
];

/** What is over its limit, one clause per limit, e.g. `8 hops deep, at most 3 (LIMIT_MAX_HOPS)`. */
export function exceededLimits(measured: OperationMeasure, limits: OperationLimitsConfig): string[] {
  return LIMITS.filter((l) => measured[l.measure] > limits[l.max]).map(
    (l) => `${l.says(Math.round(measured[l.measure]))}, at most ${limits[l.max]} (${l.setting})`,
  );
}

/**
 * Refuses, before anything runs, an operation that asks more than one request should: too many
 * hops from the subjects the case names to subjects nobody named, too large an estimated answer,
 * too many aliases or subjects, too deep (data minimisation: only what the phase's purpose needs,
 * Maastricht art. 3, Delft art. 3), and every subscription (the gateway has none). The caller gets
 * BAD_USER_INPUT (HTTP 400) naming each limit and its setting, never their own text; the refusal
 * is one audit record, and no source is asked. Documents over LIMIT_MAX_TOKENS never get here:
 * the parser stops (Apollo's `parseOptions`, see gateway.ts).
 */
export function operationLimitsPlugin(
  schema: GraphQLSchema,
  limits: OperationLimitsConfig,
): ApolloServerPlugin<OperationContext> {
  const measure = createOperationMeasurer(schema, limits.listSize);

  async function refuse(
    ctx: OperationContext,
    reason: string,
    detail: Record<string, unknown>,
  ): Promise<never> {
    const logged = await ctx.audit.append([
      {
        ...auditBase(ctx),
        kind: "denial",
        operation: LIMITS_AUDIT_OPERATION,
        decision: "deny",
        reason,
        detail,
      },
    ]);
    // No log, no answer: not even a refusal goes out unrecorded.
    if (!logged.ok) throw new GatewayError("INTERNAL_SERVER_ERROR");
    throw new GatewayError("BAD_USER_INPUT", reason, { http: { status: 400 } });
  }

  return {
    requestDidStart: () =>
      Promise.resolve({
        async didResolveOperation({ operation, document, request, contextValue }) {
          // No operation by that name: execution answers BAD_USER_INPUT without running anything.
          if (!operation) return;
          if (operation.operation === "subscription")
            await refuse(contextValue, "Subscriptions are not supported.", { operationType: "subscription" });
          const measured = measure(document, operation, request.variables ?? {});
          const exceeded = exceededLimits(measured, limits);
          if (exceeded.length > 0)
            await refuse(contextValue, `The operation asks too much: ${exceeded.join("; ")}.`, {
              measured: { ...measured, fanout: Math.round(measured.fanout) },
            });
        },
      }),
  };
}
