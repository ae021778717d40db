import {
  visibleChecks,
  visibleExit,
  visibleReporter,
  visibleSignal,
  visibleSubjects,
  visibleHistory,
  visibleTransitions,
  type VisibleCase,
} from "../src/cases/index.ts";
import { parseObjectRef, type ObjectArgs } from "../src/disclosure/index.ts";
import { GatewayError, parseBsn, parseKvkNummer } from "../src/shared/index.ts";
import { unwrapCase } from "../src/server/map-errors.ts";
import type { GatewayContext } from "./context.ts";
import { objectParent, ondernemingParent } from "./views.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const Case = {
  id: (c: VisibleCase) => c.record.id,
  reference: (c: VisibleCase) => c.record.reference,
  theme: (c: VisibleCase) => c.record.theme,
  phase: (c: VisibleCase) => c.record.phase,
  status: (c: VisibleCase) => (c.record.status === "open" ? "OPEN" : "CLOSED"),
  outcome: (c: VisibleCase) => c.record.outcome,
  owner: (c: VisibleCase) => c.record.owner,
  substitute: (c: VisibleCase) => c.record.substitute,
  openedAt: (c: VisibleCase) => iso(c.record.openedAt),
  closedAt: (c: VisibleCase) => iso(c.record.closedAt),

  /** An invalid BSN is refused here, before any upstream call or audit write. */
  persoon: (c: VisibleCase, args: { bsn: string }) => {
    const bsn = parseBsn(args.bsn);
    if (!bsn.ok) throw new GatewayError("BAD_USER_INPUT", `bsn: ${bsn.error.reason}`);
    return { visible: c, bsn: bsn.value };
  },

  onderneming: (c: VisibleCase, args: { kvkNummer: string }) => {
    const kvkNummer = parseKvkNummer(args.kvkNummer);
    if (!kvkNummer.ok) throw new GatewayError("BAD_USER_INPUT", `kvkNummer: ${kvkNummer.error.reason}`);
    return ondernemingParent(c, kvkNummer.value);
  },

  /** Postcode, huisnummer or BAG id are checked here, before any upstream call or audit write. */
  object: (c: VisibleCase, args: ObjectArgs) => {
    const ref = parseObjectRef(args);
    if (!ref.ok) throw new GatewayError("BAD_USER_INPUT", ref.error.message);
    return objectParent(c, ref.value);
  },

  privacyChecks: (c: VisibleCase, _: unknown, ctx: GatewayContext) => visibleChecks(ctx, c),

  transitions: async (c: VisibleCase, _: unknown, ctx: GatewayContext) =>
    (await visibleHistory(ctx.db, c)).map((e) => ({
      kind: e.kind,
      from: e.fromPhase,
      to: e.toPhase,
      outcome: e.outcome,
      actor: e.actor,
      at: e.at.toISOString(),
      motivation: e.motivation,
      staff: e.staff ?? null,
    })),

  allowedTransitions: (c: VisibleCase, _: unknown, ctx: GatewayContext) => visibleTransitions(ctx.policy, c),

  subjects: async (c: VisibleCase, _: unknown, ctx: GatewayContext) =>
    (await visibleSubjects(ctx.db, c)).map((s) => ({
      ...s,
      origin: s.origin.toUpperCase(),
      addedAt: s.addedAt.toISOString(),
    })),

  signal: async (c: VisibleCase, _: unknown, ctx: GatewayContext) => {
    const s = await visibleSignal(ctx.db, c);
    return s ? { date: s.signalDate, channel: s.channel } : null;
  },

  reporter: async (c: VisibleCase, _: unknown, ctx: GatewayContext) => {
    const r = unwrapCase(await visibleReporter(ctx, c));
    return r
      ? {
          ...r,
          recordedAt: r.recordedAt.toISOString(),
          acknowledgedAt: iso(r.acknowledgedAt),
          destroyedAt: iso(r.destroyedAt),
        }
      : null;
  },

  exit: async (c: VisibleCase, _: unknown, ctx: GatewayContext) => {
    const exit = await visibleExit(ctx.db, c);
    return exit ? { ...exit, at: exit.at.toISOString() } : null;
  },
};
