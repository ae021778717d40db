import { auditBase } from "../context/index.ts";
import type { VisibleCase } from "../cases/index.ts";
import type { AuditEntry } from "../audit/index.ts";
import { guardedRoot } from "../policy/guard/index.ts";
import {
  err,
  ok,
  parsePostcode,
  type Bsn,
  type HitResult,
  type MatchResult,
  type Result,
} from "../shared/index.ts";
import {
  BRP_PROBES,
  brpTerritory,
  runBrpProbe,
  verifyWithBrp,
  type BrpProbeId,
} from "../sources/brp/index.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";

const SOURCE = "brp";
const isBrpProbe = (id: string): id is BrpProbeId => BRP_PROBES.some((p) => p.id === id);

export interface HitAnswer {
  readonly source: string;
  readonly probe: string;
  readonly result: HitResult;
}

/** What every record about this subject in this case shares. */
function subjectAudit(ctx: DisclosureContext, c: VisibleCase, bsn: Bsn, operation: string) {
  return {
    ...auditBase(ctx, c.record),
    operation,
    source: SOURCE,
    subject: bsn,
    subjectType: "bsn" as const,
  };
}

/** Commits the record, then lets the value go: no log, no data. */
async function released<T>(
  ctx: DisclosureContext,
  entry: AuditEntry,
  value: T,
): Promise<Result<T, DisclosureError>> {
  const logged = await ctx.record(entry);
  return logged.ok ? ok(value) : err({ kind: "audit_failed" });
}

async function denied(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
  operation: string,
  reason: string,
  extra: Partial<AuditEntry> = {},
): Promise<Result<never, DisclosureError>> {
  const logged = await ctx.record({
    ...subjectAudit(ctx, c, bsn, operation),
    kind: "denial",
    decision: "deny",
    reason,
    ...extra,
  });
  return logged.ok ? err({ kind: "forbidden" }) : err({ kind: "audit_failed" });
}

/**
 * Hit/no-hit (Maastricht art. 1k, 16-17): per permitted probe HIT, NO_HIT or UNKNOWN, nothing
 * else. An upstream failure is UNKNOWN, never NO_HIT.
 */
export async function personHits(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
  requested: readonly string[] | undefined,
): Promise<Result<HitAnswer[], DisclosureError>> {
  const { mode, decision } = c.ability.mode(SOURCE);
  const sourceProbes = ctx.policy.probes.filter((p) => p.source === SOURCE).map((p) => p.id);
  const unknown = (requested ?? []).filter((p) => !sourceProbes.includes(p));
  if (unknown.length > 0)
    return err({ kind: "bad_input", message: `probes: unknown probe ${unknown.join(", ")}.` });
  if (mode !== "hit") return denied(ctx, c, bsn, "brp.hits", decision.reason, { mode, probes: requested });
  const allowed = sourceProbes.filter((p) => c.ability.probe(p).allowed);
  const wanted = requested ?? allowed;
  const refused = wanted.filter((p) => !allowed.includes(p));
  if (refused.length > 0 || wanted.length === 0)
    return denied(
      ctx,
      c,
      bsn,
      "brp.hits",
      refused.length ? c.ability.probe(refused[0] ?? "").reason : decision.reason,
      {
        mode,
        probes: wanted,
      },
    );
  const answers = await Promise.all(
    wanted.map(async (probe) => {
      // A probe the policy names but this source cannot answer is UNKNOWN, never NO_HIT.
      const outcome = isBrpProbe(probe)
        ? await runBrpProbe(ctx.brp, bsn, probe, { municipalityCode: ctx.municipalityCode })
        : { result: "UNKNOWN" as const, reason: "no_probe_runner" };
      return { source: SOURCE, probe, result: outcome.result, reason: outcome.reason };
    }),
  );
  return released(
    ctx,
    {
      ...subjectAudit(ctx, c, bsn, "brp.hits"),
      kind: "disclosure",
      probes: wanted,
      mode,
      decision: "allow",
      reason: decision.reason,
      detail: { results: Object.fromEntries(answers.map((a) => [a.probe, a.result])) },
    },
    answers.map(({ source, probe, result }) => ({ source, probe, result })),
  );
}

export interface VerifyInput {
  readonly geslachtsnaam?: string | null | undefined;
  readonly voorvoegsel?: string | null | undefined;
  readonly voornamen?: string | null | undefined;
  readonly geboortedatum?: string | null | undefined;
  readonly postcode?: string | null | undefined;
  readonly huisnummer?: number | null | undefined;
  readonly huisletter?: string | null | undefined;
  readonly huisnummertoevoeging?: string | null | undefined;
}

export interface VerifyAnswer {
  readonly overall: MatchResult;
  readonly naam: MatchResult | null;
  readonly geboortedatum: MatchResult | null;
  readonly adres: MatchResult | null;
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Checks the signal's input before anything is asked upstream. */
function validateVerify(input: VerifyInput): Result<VerifyInput, DisclosureError> {
  const bad = (message: string) => err<DisclosureError>({ kind: "bad_input", message });
  const given = Object.values(input).some((v) => v !== null && v !== undefined && v !== "");
  if (!given) return bad("input: give at least a name, a birth date or an address from the signal.");
  if (input.geboortedatum && !validDate(input.geboortedatum)) return bad("geboortedatum: use YYYY-MM-DD.");
  let postcode = input.postcode ?? undefined;
  if (postcode) {
    const parsed = parsePostcode(postcode);
    if (!parsed.ok) return bad(`postcode: ${parsed.error.reason}`);
    postcode = parsed.value;
  }
  if ((postcode && input.huisnummer == null) || (!postcode && input.huisnummer != null))
    return bad("adres: give postcode and huisnummer together.");
  if (input.huisnummer != null && (input.huisnummer < 1 || input.huisnummer > 99999))
    return bad("huisnummer: between 1 and 99999.");
  for (const [name, value] of Object.entries(input))
    if (typeof value === "string" && value.length > 200) return bad(`${name}: at most 200 characters.`);
  return ok({ ...input, postcode });
}

/**
 * Verification (Maastricht art. 14 and appendix A: in intake the BRP may only verify the
 * signal's personal data): MATCH / NO_MATCH / UNKNOWN per element, never a BRP value.
 */
export async function personVerify(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
  input: VerifyInput,
): Promise<Result<VerifyAnswer, DisclosureError>> {
  const valid = validateVerify(input);
  if (!valid.ok) return valid;
  const { mode, decision } = c.ability.mode(SOURCE);
  if (mode !== "verify") return denied(ctx, c, bsn, "brp.verify", decision.reason, { mode });
  const v = valid.value;
  const signal = Object.fromEntries(
    Object.entries(v).filter(([, value]) => value !== null && value !== undefined && value !== ""),
  );
  const answer = await verifyWithBrp(ctx.brp, bsn, signal);
  const compared = (["naam", "geboortedatum", "adres"] as const).filter((k) => answer[k] !== null);
  return released(
    ctx,
    {
      ...subjectAudit(ctx, c, bsn, "brp.verify"),
      kind: "disclosure",
      fields: compared,
      mode,
      decision: "allow",
      reason: decision.reason,
      detail: { overall: answer.overall },
    },
    { overall: answer.overall, naam: answer.naam, geboortedatum: answer.geboortedatum, adres: answer.adres },
  );
}

/** Territory (Maastricht art. 14: is the subject within the municipality?). */
export async function personTerritory(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
): Promise<Result<boolean, DisclosureError>> {
  const { mode, decision } = c.ability.mode(SOURCE);
  if (mode !== "territory") return denied(ctx, c, bsn, "brp.territory", decision.reason, { mode });
  const answer = await brpTerritory(ctx.brp, bsn, { municipalityCode: ctx.municipalityCode });
  const base = {
    ...subjectAudit(ctx, c, bsn, "brp.territory"),
    kind: "disclosure" as const,
    mode,
    reason: decision.reason,
  };
  if (!answer.ok) {
    const logged = await ctx.record({
      ...base,
      decision: "error",
      detail: { upstream: answer.error.reason },
    });
    return logged.ok ? err({ kind: "upstream" }) : err({ kind: "audit_failed" });
  }
  return released(
    ctx,
    { ...base, decision: "allow", detail: { binnenGemeente: answer.value } },
    answer.value,
  );
}

/**
 * Fields (Maastricht art. 18-20): only units inside the rule's maximum and approved by a
 * privacy check are asked upstream (`fields` = permitted ∩ requested) and released; every leaf
 * is decided again by the registry guard.
 */
export async function personFields(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
  requestedPaths: readonly string[],
): Promise<Result<unknown, DisclosureError>> {
  const { mode, decision } = c.ability.mode(SOURCE);
  if (mode !== "fields")
    return denied(ctx, c, bsn, "brp.fields", decision.reason, { mode, fields: requestedPaths });
  const units = new Set<string>();
  const refused = new Set<string>();
  for (const path of requestedPaths) {
    const unit = ctx.policy.catalogue.unitFor(SOURCE, path);
    if (unit && c.ability.field(SOURCE, unit).allowed) units.add(unit);
    else refused.add(unit ?? path);
  }
  const permitted = [...units].sort();
  const grant = { source: SOURCE, decide: (p: string) => c.ability.field(SOURCE, p) };
  const base = {
    ...subjectAudit(ctx, c, bsn, "brp.fields"),
    mode,
  };
  if (refused.size > 0) {
    const firstRefused = [...refused][0] ?? "";
    const logged = await ctx.record({
      ...base,
      kind: "denial",
      fields: [...refused].sort(),
      decision: "deny",
      reason: c.ability.field(SOURCE, firstRefused).reason,
    });
    if (!logged.ok) return err({ kind: "audit_failed" });
  }
  if (permitted.length === 0) return ok(guardedRoot({}, grant));
  const loaded = await ctx.brp.persoon.load({ bsn, fields: permitted });
  if (!loaded.ok) {
    const logged = await ctx.record({
      ...base,
      kind: "disclosure",
      fields: permitted,
      decision: "error",
      reason: decision.reason,
      detail: { upstream: loaded.error.reason },
    });
    return logged.ok ? err({ kind: "upstream" }) : err({ kind: "audit_failed" });
  }
  return released(
    ctx,
    {
      ...base,
      kind: "disclosure",
      fields: loaded.value ? permitted : [],
      decision: "allow",
      reason: decision.reason,
      detail: { found: loaded.value !== null },
    },
    loaded.value ? guardedRoot(loaded.value as Record<string, unknown>, grant) : null,
  );
}
