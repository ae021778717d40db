import type { GraphQLResolveInfo } from "graphql";
import type { VisibleCase } from "../src/cases/index.ts";
import {
  personFields,
  personHits,
  personTerritory,
  personVerify,
  type VerifyInput,
} from "../src/disclosure/index.ts";
import { requestedLeafPaths } from "../src/policy/guard/index.ts";
import { unwrapDisclosure } from "../src/server/map-errors.ts";
import type { Bsn } from "../src/shared/index.ts";
import type { GatewayContext } from "./context.ts";

interface PersoonParent {
  readonly visible: VisibleCase;
  readonly bsn: Bsn;
}

export const PersoonView = {
  bsn: (p: PersoonParent) => p.bsn,

  hits: async (p: PersoonParent, args: { probes?: string[] | null }, ctx: GatewayContext) =>
    (await personHits(ctx, p.visible, p.bsn, args.probes ?? undefined).then(unwrapDisclosure)).map((h) => ({
      ...h,
      hit: h.result === "UNKNOWN" ? null : h.result === "HIT",
    })),

  verify: async (p: PersoonParent, args: { input: VerifyInput }, ctx: GatewayContext) =>
    unwrapDisclosure(await personVerify(ctx, p.visible, p.bsn, args.input)),

  binnenGemeente: async (p: PersoonParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await personTerritory(ctx, p.visible, p.bsn)),

  brp: async (p: PersoonParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await personFields(ctx, p.visible, p.bsn, requestedLeafPaths(info))),
};
