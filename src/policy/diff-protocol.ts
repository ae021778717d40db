import {
  added,
  byId,
  eachKeyed,
  list,
  plural,
  propertyChanges,
  removed,
  same,
  type Push,
} from "./diff-words.ts";
import type { LoadedPolicySet } from "./policy-set.ts";

/** The sentences of a diff about theme datasets, clients, retention, processing activities and the protocol. */

export function themeAndClientChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
  eachKeyed(
    byId(from.themes, (t) => t.theme),
    byId(to.themes, (t) => t.theme),
    {
      added: (id, t) => push("theme", "added", id, `Theme dataset ${id}@${t.version} is new.`),
      removed: (id) => push("theme", "removed", id, `Theme dataset ${id} is removed.`),
      both: (id, a, b) => {
        const s = (sentence: string) => push("theme", "changed", id, sentence);
        if (a.version !== b.version) s(`Theme dataset ${id} is now version ${b.version} (was ${a.version}).`);
        const probes = (t: typeof a) => t.check1.flatMap((e) => e.probes);
        for (const p of added(probes(a), probes(b)))
          s(`Theme dataset ${id} now approves probe ${p} for check 1 without advice.`);
        for (const p of removed(probes(a), probes(b)))
          s(`Theme dataset ${id} no longer approves probe ${p} for check 1.`);
        const fields = (t: typeof a) =>
          t.check2a.flatMap((e) => e.fields.map((f) => `${e.source}.${f} for ${e.recipient}`));
        for (const f of added(fields(a), fields(b)))
          s(`Theme dataset ${id} now shares ${f} in check 2a without advice.`);
        for (const f of removed(fields(a), fields(b)))
          s(`Theme dataset ${id} no longer shares ${f} in check 2a.`);
        if (a.reason !== b.reason || a.article !== b.article)
          s(`Theme dataset ${id} has a new reason or article.`);
      },
    },
  );
  eachKeyed(from.clients, to.clients, {
    added: (id, c) => push("client", "added", id, `Client ${id} is new: acts as ${list(c.roles)}.`),
    removed: (id) => push("client", "removed", id, `Client ${id} is removed: its tokens act as nobody.`),
    both: (id, a, b) => push("client", "changed", id, `Client ${id}: ${propertyChanges(a, b).join("; ")}.`),
  });
}

export function protocolChanges(from: LoadedPolicySet, to: LoadedPolicySet, push: Push): void {
  const a = from.protocol;
  const b = to.protocol;
  eachKeyed(
    byId(a.outcomes, (o) => o.id),
    byId(b.outcomes, (o) => o.id),
    {
      added: (id, o) =>
        push(
          "retention",
          "added",
          id,
          `Outcome ${id} is new: personal data are kept ${o.retention} after closing.`,
        ),
      removed: (id) => push("retention", "removed", id, `Outcome ${id} is removed.`),
      both: (id, x, y) => {
        if (x.retention !== y.retention)
          push(
            "retention",
            "changed",
            id,
            `Outcome ${id}: personal data are now kept ${y.retention} after closing (was ${x.retention}).`,
          );
        if (x.legalBasis !== y.legalBasis)
          push(
            "retention",
            "changed",
            id,
            `Outcome ${id} has a new legal basis for destruction: "${y.legalBasis}".`,
          );
        const rest = propertyChanges(
          { ...x, retention: 0, legalBasis: 0 },
          { ...y, retention: 0, legalBasis: 0 },
        );
        if (rest.length > 0)
          push("protocol", "changed", `outcome.${id}`, `Outcome ${id}: ${rest.join("; ")}.`);
      },
    },
  );
  if (!same(a.auditRetention, b.auditRetention))
    push(
      "retention",
      "changed",
      "auditRetention",
      `Audit records are now kept at most ${b.auditRetention.retention} (was ${a.auditRetention.retention}); ${b.auditRetention.article}.`,
    );
  if (!same(a.reporter, b.reporter))
    push(
      "retention",
      "changed",
      "reporter",
      `The reporter's data are now kept at most ${b.reporter?.retention ?? "until acknowledgement or the case ends"} (was ${a.reporter?.retention ?? "until acknowledgement or the case ends"}).`,
    );
  eachKeyed(
    byId(from.processingActivities.all, (x) => x.id),
    byId(to.processingActivities.all, (x) => x.id),
    {
      added: (id, x) => push("activity", "added", id, `Processing activity ${id} (${x.name}) is new.`),
      removed: (id) =>
        push("activity", "removed", id, `Processing activity ${id} is removed from the register.`),
      both: (id, x, y) =>
        push("activity", "changed", id, `Processing activity ${id}: ${propertyChanges(x, y).join("; ")}.`),
    },
  );
  if (a.id !== b.id) push("protocol", "changed", "protocol", `The protocol is now ${b.id} (was ${a.id}).`);
  const phases = (p: typeof a) => p.phases.map((x) => x.id);
  for (const p of added(phases(a), phases(b))) push("protocol", "added", `phase.${p}`, `Phase ${p} is new.`);
  for (const p of removed(phases(a), phases(b)))
    push("protocol", "removed", `phase.${p}`, `Phase ${p} is removed.`);
  const moves = (p: typeof a) => p.transitions.map((t) => `${t.from} → ${t.to}`);
  for (const t of added(moves(a), moves(b)))
    push("protocol", "added", `transition.${t}`, `A case may now move ${t}.`);
  for (const t of removed(moves(a), moves(b)))
    push("protocol", "removed", `transition.${t}`, `A case may no longer move ${t}.`);
  eachKeyed(
    byId(a.checks, (c) => c.kind),
    byId(b.checks, (c) => c.kind),
    {
      added: (id, c) =>
        push(
          "protocol",
          "added",
          `check.${id}`,
          `Privacy check ${id} is now possible, in ${plural("phase", c.phases)}.`,
        ),
      removed: (id) =>
        push("protocol", "removed", `check.${id}`, `Privacy check ${id} can no longer be requested.`),
      both: (id, x, y) =>
        push(
          "protocol",
          "changed",
          `check.${id}`,
          `Approvals of privacy check ${id} now take effect in ${plural("phase", y.phases)} (was ${list(x.phases)}).`,
        ),
    },
  );
}
