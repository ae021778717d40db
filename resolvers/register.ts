import type { GraphQLResolveInfo } from "graphql";
import { subjectRegister, type Subject } from "../src/disclosure/index.ts";
import { guardedValue, requestedLeafPaths } from "../src/policy/guard/index.ts";
import { unwrapDisclosure } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";
import type { PersoonParent } from "./persoon.ts";
import type { ObjectParent, OndernemingParent } from "./views.ts";

/** `value(field:)` names the register field it asks for (issue 16). */
const VALUE_LEAF = { field: "value", argument: "field" } as const;

const registerOf =
  <P extends { readonly visible: PersoonParent["visible"] }>(subject: (p: P) => Subject) =>
  async (p: P, args: { name: string }, ctx: GatewayContext, info: GraphQLResolveInfo) =>
    unwrapDisclosure(
      await subjectRegister(ctx, p.visible, subject(p), args.name, requestedLeafPaths(info, VALUE_LEAF)),
    );

/** The `register(name:)` field of each view: the municipality's own registers (issue 16). */
export const PersoonRegister = {
  register: registerOf((p: PersoonParent) => ({ kind: "persoon", bsn: p.bsn })),
};
export const OndernemingRegister = {
  register: registerOf((o: OndernemingParent) => ({ kind: "onderneming", kvkNummer: o.kvkNummer })),
};
export const ObjectRegister = { register: registerOf((o: ObjectParent) => ({ kind: "object", ref: o.ref })) };

/** Each value decided by the policy like a registry leaf (src/policy/guard). */
export const RegisterRecord = {
  value: (record: unknown, args: { field: string }) => {
    const v = guardedValue(record, args.field);
    return v === null || v === undefined ? null : String(v);
  },
};
