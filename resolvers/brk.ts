import type { GraphQLResolveInfo } from "graphql";
import {
  objectBrk,
  objectEigenaarOndernemingen,
  objectEigenaren,
  objectKadaster,
  personBrk,
  personEigendommen,
} from "../src/disclosure/index.ts";
import { requestedLeafPaths } from "../src/policy/guard/index.ts";
import { unwrapDisclosure } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";
import type { PersoonParent } from "./persoon.ts";
import { objectParent, ondernemingParent, type ObjectParent } from "./views.ts";

/** The Kadaster's fields and hops on ObjectView (schema/brk.graphql). */
export const BrkObjectView = {
  kadaster: async (o: ObjectParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await objectKadaster(ctx, o.visible, o.ref, requestedLeafPaths(info))),

  brk: async (o: ObjectParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await objectBrk(ctx, o.visible, o.ref, requestedLeafPaths(info))),

  eigenaren: async (o: ObjectParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await objectEigenaren(ctx, o.visible, o.ref)).map((bsn) => ({
      visible: o.visible,
      bsn,
    })),

  eigenaarOndernemingen: async (o: ObjectParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await objectEigenaarOndernemingen(ctx, o.visible, o.ref)).map((k) =>
      ondernemingParent(o.visible, k),
    ),
};

/** The Kadaster's fields and hops on PersoonView (schema/brk.graphql). */
export const BrkPersoonView = {
  brk: async (p: PersoonParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await personBrk(ctx, p.visible, p.bsn, requestedLeafPaths(info))),

  eigendommen: async (p: PersoonParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await personEigendommen(ctx, p.visible, p.bsn)).map((ref) =>
      objectParent(p.visible, ref),
    ),
};
