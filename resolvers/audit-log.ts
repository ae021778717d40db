import { auditRecordOut, searchAuditLog, type AuditSearchArgs } from "../src/audit-search/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";

/** The privacy officer's and FG's search of the processing log (src/audit-search). */
export const AuditLogQuery = {
  auditLog: async (_: unknown, args: AuditSearchArgs, ctx: GatewayContext) => {
    const page = unwrapCase(await searchAuditLog(ctx, args));
    return { ...page, records: page.records.map(auditRecordOut) };
  },
};
