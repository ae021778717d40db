import type { GraphQLResolveInfo } from "graphql";
import type { VisibleCase } from "../src/cases/index.ts";
import {
  objectBag,
  objectBewoners,
  objectOndernemingen,
  objectWoz,
  ondernemingHandelsregister,
  ondernemingVestigingen,
  subjectHits,
  subjectVergunningen,
  type HitAnswer,
  type ObjectRef,
} from "../src/disclosure/index.ts";
import { requestedLeafPaths } from "../src/policy/guard/index.ts";
import { unwrapDisclosure } from "../src/server/map-errors.ts";
import type { KvkNummer } from "../src/shared/index.ts";
import type { GatewayContext } from "./context.ts";

export interface ObjectParent {
  readonly visible: VisibleCase;
  readonly ref: ObjectRef;
}
export interface OndernemingParent {
  readonly visible: VisibleCase;
  readonly kvkNummer: KvkNummer;
}

export const objectParent = (visible: VisibleCase, ref: ObjectRef): ObjectParent => ({ visible, ref });
export const ondernemingParent = (visible: VisibleCase, kvkNummer: KvkNummer): OndernemingParent => ({
  visible,
  kvkNummer,
});

/** The contract's Hit: `hit` is true for HIT, false for NO_HIT and null for UNKNOWN. */
export const hitsOut = (answers: readonly HitAnswer[]) =>
  answers.map((h) => ({ ...h, hit: h.result === "UNKNOWN" ? null : h.result === "HIT" }));

type Probes = { probes?: string[] | null };

export const ObjectView = {
  hits: async (o: ObjectParent, args: Probes, ctx: GatewayContext) =>
    hitsOut(
      unwrapDisclosure(
        await subjectHits(ctx, o.visible, { kind: "object", ref: o.ref }, args.probes ?? undefined),
      ),
    ),

  bag: async (o: ObjectParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await objectBag(ctx, o.visible, o.ref, requestedLeafPaths(info))),

  woz: async (o: ObjectParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await objectWoz(ctx, o.visible, o.ref, requestedLeafPaths(info))),

  bewoners: async (o: ObjectParent, args: { peildatum?: string | null }, ctx: GatewayContext) =>
    unwrapDisclosure(await objectBewoners(ctx, o.visible, o.ref, args.peildatum ?? undefined)).map((bsn) => ({
      visible: o.visible,
      bsn,
    })),

  vergunningen: async (o: ObjectParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(
      await subjectVergunningen(ctx, o.visible, { kind: "object", ref: o.ref }, requestedLeafPaths(info)),
    ),

  ondernemingen: async (o: ObjectParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await objectOndernemingen(ctx, o.visible, o.ref)).map((k) =>
      ondernemingParent(o.visible, k),
    ),
};

export const OndernemingView = {
  kvkNummer: (o: OndernemingParent) => o.kvkNummer,

  hits: async (o: OndernemingParent, args: Probes, ctx: GatewayContext) =>
    hitsOut(
      unwrapDisclosure(
        await subjectHits(
          ctx,
          o.visible,
          { kind: "onderneming", kvkNummer: o.kvkNummer },
          args.probes ?? undefined,
        ),
      ),
    ),

  handelsregister: async (o: OndernemingParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(await ondernemingHandelsregister(ctx, o.visible, o.kvkNummer, requestedLeafPaths(info))),

  vergunningen: async (o: OndernemingParent, _: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(
      await subjectVergunningen(
        ctx,
        o.visible,
        { kind: "onderneming", kvkNummer: o.kvkNummer },
        requestedLeafPaths(info),
      ),
    ),

  vestigingen: async (o: OndernemingParent, _: unknown, ctx: GatewayContext) =>
    unwrapDisclosure(await ondernemingVestigingen(ctx, o.visible, o.kvkNummer)).map((ref) =>
      objectParent(o.visible, ref),
    ),
};
