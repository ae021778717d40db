import { destructionRecordsFor, recordOut, type RecordsArgs } from "../src/retention/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** The records manager's view of the destruction records (schema/retention.graphql; src/retention). */
export const RetentionQuery = {
  destructionRecords: async (_: unknown, args: RecordsArgs, ctx: GatewayContext) => {
    const page = unwrapCase(await destructionRecordsFor(ctx, args));
    return {
      ...page,
      records: page.records.map((r) => {
        const out = recordOut(r);
        return { ...out, counts: Object.entries(out.counts).map(([table, rows]) => ({ table, rows })) };
      }),
    };
  },
};
