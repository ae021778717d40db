import type { GraphQLResolveInfo } from "graphql";
import type { VisibleCase } from "../src/cases/index.ts";
import {
  personAdres,
  personEerdereAdressen,
  personFields,
  personTerritory,
  personVerblijfplaatshistorie,
  personVerify,
  subjectHits,
  subjectVergunningen,
  type VerifyInput,
} from "../src/disclosure/index.ts";
import { requestedLeafPaths } from "../src/policy/guard/index.ts";
import { unwrapDisclosure } from "../src/server/map-errors.ts";
import type { Bsn } from "../src/shared/index.ts";
import type { GatewayContext } from "./context.ts";
import { hitsOut, objectParent } from "./views.ts";

export interface PersoonParent {
  readonly visible: VisibleCase;
  readonly bsn: Bsn;
}

export const PersoonView = {
  bsn: (p: PersoonParent) => p.bsn,

  hits: async (p: PersoonParent, args: { probes?: string[] | null }, ctx: GatewayContext) =>
    hitsOut(
      unwrapDisclosure(
        await subjectHits(ctx, p.visible, { kind: "persoon", bsn: p.bsn }, args.probes ?? undefined),
      ),
    ),

  verify: async (p: PersoonParent, args: { input: VerifyInput }, ctx: GatewayContext) =>
    unwrapDisclosure(await personVerify(ctx, p.visible, p.bsn, args.input)),

  binnenGemeente: async (p: PersoonParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await personTerritory(ctx, p.visible, p.bsn)),

  brp: async (p: PersoonParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await personFields(ctx, p.visible, p.bsn, requestedLeafPaths(info))),

  adres: async (p: PersoonParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await personAdres(ctx, p.visible, p.bsn)).map((ref) =>
      objectParent(p.visible, ref),
    )[0] ?? null,

  eerdereAdressen: async (p: PersoonParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await personEerdereAdressen(ctx, p.visible, p.bsn)).map((ref) =>
      objectParent(p.visible, ref),
    ),

  verblijfplaatshistorie: async (
    p: PersoonParent,
    _: unknown,
    ctx: GatewayContext,
    info: GraphQLResolveInfo,
  ) => unwrapDisclosure(await personVerblijfplaatshistorie(ctx, p.visible, p.bsn, requestedLeafPaths(info))),

  vergunningen: async (p: PersoonParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(
      await subjectVergunningen(ctx, p.visible, { kind: "persoon", bsn: p.bsn }, requestedLeafPaths(info)),
    ),
};
