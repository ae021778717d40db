import type { VisibleCase } from "../cases/index.ts";
import { guardedRoot, requestFieldGrant } from "../policy/guard/index.ts";
import { err, ok, type Result, type SourceError } from "../shared/index.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { embeddedGroups, screenEmbedded } from "./embedded-persons.ts";
import { denied, released, subjectAudit, upstreamFailed } from "./release.ts";
import { subjectKey, type Subject } from "./subject.ts";

type Row = Readonly<Record<string, unknown>>;
/** What a source answers for a subject: one record, a list of records, or nothing (null). */
export type Loaded = Row | readonly Row[] | null;

/**
 * Fields (Maastricht art. 18-20, and open data per appendix A): only catalogue units inside the
 * rule's maximum and approved for the case (or open data) are asked upstream and released; every
 * leaf is decided again by the registry guard. `load` gets the permitted units asked for.
 */
export async function subjectFields(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  source: string,
  requestedPaths: readonly string[],
  load: (units: readonly string[]) => Promise<Result<Loaded, SourceError>>,
  shape: "one" | "many" = "one",
): Promise<Result<unknown, DisclosureError>> {
  const operation = `${source}.fields`;
  const key = subjectKey(subject);
  const ability = c.forSubject(key);
  const { mode, decision } = ability.mode(source);
  if (mode !== "fields")
    return denied(ctx, c, subject, source, operation, decision, { mode, fields: requestedPaths });
  // Each path decided once per request, case view, subject and source: here and at every leaf.
  const grant = requestFieldGrant(ctx, c, key, source, ability);
  const units = new Set<string>();
  const refused = new Set<string>();
  for (const path of requestedPaths) {
    const unit = ctx.policy.catalogue.unitFor(source, path);
    if (unit && grant.decide(unit).allowed) units.add(unit);
    else refused.add(unit ?? path);
  }
  const permitted = [...units].sort();
  const base = { ...subjectAudit(ctx, c, subject, source, operation), mode };
  if (refused.size > 0) {
    const firstRefused = [...refused][0] ?? "";
    const logged = await ctx.record({
      ...base,
      kind: "denial",
      fields: [...refused].sort(),
      decision: "deny",
      reason: grant.decide(firstRefused).reason,
    });
    if (!logged.ok) return err({ kind: "audit_failed" });
  }
  if (permitted.length === 0)
    // One record: each refused leaf answers FORBIDDEN at its own path. A list: refused as a whole,
    // since even an empty list of records would tell how many there are.
    return shape === "one" ? ok(guardedRoot({}, grant)) : err({ kind: "forbidden" });
  // Persons inside the record (a BRP person's partners, parents, children) are subjects in their
  // own right: their identifying unit is asked with the group so they can be recognised.
  const embedded = embeddedGroups(ctx.policy.catalogue.embeddedPersons(source), permitted);
  const loaded = await load([...new Set([...permitted, ...embedded.keyUnits])].sort());
  const entry = {
    ...base,
    kind: "disclosure" as const,
    fields: permitted,
    decision: "allow" as const,
    reason: decision.reason,
  };
  if (!loaded.ok) return upstreamFailed(ctx, entry, loaded.error.reason);
  let value = loaded.value;
  if (value !== null && embedded.groups.length > 0) {
    const screened = screenEmbedded(c, source, embedded.groups, permitted, value);
    value = screened.value;
    // Audited under each embedded person's own pseudonym before anything leaves: no log, no data.
    const logged = await Promise.all(
      screened.outcomes.map((o) =>
        ctx.record({
          ...subjectAudit(ctx, c, o.subject, source, operation),
          mode,
          fields: o.fields,
          detail: { embeddedIn: o.embeddedIn },
          ...(o.refused
            ? { kind: "denial" as const, decision: "deny" as const, reason: o.refused }
            : {
                kind: "disclosure" as const,
                decision: "allow" as const,
                reason: `in the ${o.embeddedIn} of a released record: ${decision.reason}`,
              }),
        }),
      ),
    );
    if (logged.some((l) => !l.ok)) return err({ kind: "audit_failed" });
  }
  const found = value !== null && (!Array.isArray(value) || value.length > 0);
  const wrapped =
    value === null
      ? null
      : Array.isArray(value)
        ? (value as readonly Row[]).map((row) => guardedRoot(row, grant))
        : guardedRoot(value as Row, grant);
  return released(
    ctx,
    { ...entry, fields: found ? permitted : [], detail: { ...entry.detail, found } },
    wrapped,
  );
}

/**
 * A hop to another subject where the registries link (person → address, address → residents,
 * company → addresses, …). The link itself is a field of the source that holds it (`unit`), so a
 * hop is allowed exactly when a direct query for that field would be; the subjects reached are
 * then decided by their own sources' rules. Nothing is reachable by a detour. The subjects reached
 * count as the case's for the rest of this operation only, recorded as reached via this hop
 * (`reachedVia` in their audit records): a later operation asks them through the hop again, or
 * adds them to the case (addCaseSubject).
 */
export async function subjectLinks<T>(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  source: string,
  unit: string,
  operation: string,
  load: () => Promise<Result<readonly T[], SourceError>>,
  reachedOf: (link: T) => Subject,
): Promise<Result<readonly T[], DisclosureError>> {
  const ability = c.forSubject(subjectKey(subject));
  const { mode, decision: modeDecision } = ability.mode(source);
  const decision = ability.field(source, unit);
  if (!decision.allowed)
    return denied(ctx, c, subject, source, operation, decision, { mode, fields: [unit] });
  const entry = {
    ...subjectAudit(ctx, c, subject, source, operation),
    kind: "disclosure" as const,
    mode,
    fields: [unit],
    decision: "allow" as const,
    reason: decision.reason || modeDecision.reason,
  };
  const loaded = await load();
  if (!loaded.ok) return upstreamFailed(ctx, entry, loaded.error.reason);
  const out = await released(
    ctx,
    { ...entry, detail: { ...entry.detail, links: loaded.value.length } },
    loaded.value,
  );
  // The subjects the hop reached are the case's for the rest of this operation (issue 11).
  if (out.ok) for (const link of out.value) c.reach(subjectKey(reachedOf(link)), operation);
  return out;
}
