import type { VisibleCase } from "../cases/index.ts";
import {
  err,
  isIsoDate,
  ok,
  parsePostcode,
  type Bsn,
  type MatchResult,
  type Result,
} from "../shared/index.ts";
import { VERIFY_CHANGES_RULE } from "../policy/index.ts";
import { brpTerritory, verifyWithBrp } from "../sources/brp/index.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { subjectFields } from "./fields.ts";
import { denied, released, subjectAudit, upstreamFailed } from "./release.ts";
import { subjectKey, type Subject } from "./subject.ts";
import {
  admitVerifyValues,
  DEFAULT_VERIFY_MAX_CHANGES,
  hashedValues,
  signalValues,
  tooManyValuesReason,
  valueSetFingerprint,
} from "./verify-values.ts";

const SOURCE = "brp";
const persoon = (bsn: Bsn): Subject => ({ kind: "persoon", bsn });

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

/**
 * Checks the signal's input before anything is asked upstream: here (defence in depth) and at the
 * edge, before the operation runs (src/server/argument-rules.ts).
 */
export function validateVerify(input: VerifyInput): Result<VerifyInput, DisclosureError> {
  const bad = (message: string) => err<DisclosureError>({ kind: "bad_input", message });
  const given = Object.values(input).some((v) => v !== null && v !== undefined && v !== "");
  if (!given) return bad("input: give at least a name, a birth date or an address from the signal.");
  if (input.geboortedatum && !isIsoDate(input.geboortedatum))
    return bad("geboortedatum: use YYYY-MM-DD, a date that exists.");
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
 * signal's personal data): MATCH / NO_MATCH / UNKNOWN per element, never a BRP value. Each value
 * is recorded (as a keyed hash) before the BRP is asked; once an element of this person has had
 * 1 + VERIFY_MAX_CHANGES different values in this case, a further one refuses the whole call
 * with a denial record and nothing asked upstream (src/disclosure/verify-values.ts).
 */
export async function personVerify(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
  input: VerifyInput,
): Promise<Result<VerifyAnswer, DisclosureError>> {
  const valid = validateVerify(input);
  if (!valid.ok) return valid;
  const { mode, decision } = c.forSubject(subjectKey(persoon(bsn))).mode(SOURCE);
  if (mode !== "verify") return denied(ctx, c, persoon(bsn), SOURCE, "brp.verify", decision, { mode });
  const v = valid.value;
  const signal = Object.fromEntries(
    Object.entries(v).filter(([, value]) => value !== null && value !== undefined && value !== ""),
  );
  const maxChanges = ctx.verifyMaxChanges ?? DEFAULT_VERIFY_MAX_CHANGES;
  const values = signalValues(signal);
  const valueSet = valueSetFingerprint((s) => ctx.audit.pseudonymise(s), bsn, values);
  const admitted = await admitVerifyValues(ctx.db, {
    caseId: c.record.id,
    subject: ctx.audit.pseudonymise(bsn, "bsn"),
    values: hashedValues((s) => ctx.audit.pseudonymise(s), c.record.id, bsn, values),
    maxChanges,
    at: ctx.clock.now(),
  }).catch(() => undefined);
  // The database failed: fail closed, as when the audit record cannot be written.
  if (!admitted) return err({ kind: "audit_failed" });
  if (!admitted.ok)
    return denied(
      ctx,
      c,
      persoon(bsn),
      SOURCE,
      "brp.verify",
      {
        allowed: false,
        reason: tooManyValuesReason(admitted.error.elements, maxChanges),
        ruleId: VERIFY_CHANGES_RULE,
      },
      {
        mode,
        fields: admitted.error.elements,
        detail: { setting: "VERIFY_MAX_CHANGES", maxChanges, valueSet },
      },
    );
  const answer = await verifyWithBrp(ctx.sources.brp, bsn, signal);
  const audit = subjectAudit(ctx, c, persoon(bsn), SOURCE, "brp.verify");
  const compared = (["naam", "geboortedatum", "adres"] as const).filter((k) => answer[k] !== null);
  return released(
    ctx,
    {
      ...audit,
      kind: "disclosure",
      fields: compared,
      mode,
      decision: "allow",
      reason: decision.reason,
      detail: { ...audit.detail, overall: answer.overall, valueSet },
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
  const { mode, decision } = c.forSubject(subjectKey(persoon(bsn))).mode(SOURCE);
  if (mode !== "territory") return denied(ctx, c, persoon(bsn), SOURCE, "brp.territory", decision, { mode });
  const answer = await brpTerritory(ctx.sources.brp, bsn, { municipalityCode: ctx.municipalityCode });
  const base = {
    ...subjectAudit(ctx, c, persoon(bsn), SOURCE, "brp.territory"),
    kind: "disclosure" as const,
    mode,
    decision: "allow" as const,
    reason: decision.reason,
  };
  if (!answer.ok) return upstreamFailed(ctx, base, answer.error.reason);
  return released(ctx, { ...base, detail: { ...base.detail, binnenGemeente: answer.value } }, answer.value);
}

/**
 * BRP fields (Maastricht art. 18-20): `fields` sent upstream = permitted ∩ requested (plus the
 * BSN the loader matches answers on, which the guard releases only if approved).
 */
export function personFields(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
  requestedPaths: readonly string[],
): Promise<Result<unknown, DisclosureError>> {
  return subjectFields(ctx, c, persoon(bsn), SOURCE, requestedPaths, async (units) => {
    const loaded = await ctx.sources.brp.persoon.load({ bsn, fields: units });
    return loaded.ok ? ok(loaded.value as Readonly<Record<string, unknown>> | null) : loaded;
  });
}
