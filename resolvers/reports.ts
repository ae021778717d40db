import { dpiaSampleFor, fgReportFor } from "../src/reports/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";
import { KIND, STATUS as CHECK_STATUS } from "./privacy-check.ts";

/** The FG's reports (Delft art. 9a, 9c); access, audit and input are decided by the use case. */
export const ReportQuery = {
  fgReport: async (_: unknown, args: { year: number }, ctx: GatewayContext) => {
    const r = unwrapCase(await fgReportFor(ctx, args.year));
    return {
      ...r,
      checks: {
        total: { ...r.checks.total, kind: null },
        byKind: r.checks.byKind.map((k) => ({ ...k, kind: KIND[k.kind] })),
      },
    };
  },

  dpiaSample: async (
    _: unknown,
    args: { year: number; seed: string; fraction?: number | null },
    ctx: GatewayContext,
  ) => {
    const d = unwrapCase(
      await dpiaSampleFor(ctx, { year: args.year, seed: args.seed, fraction: args.fraction ?? undefined }),
    );
    return {
      ...d,
      entries: d.entries.map(({ steps, ...e }) => ({
        ...e,
        kind: KIND[e.kind],
        status: CHECK_STATUS[e.status],
        history: steps,
      })),
    };
  },
};
