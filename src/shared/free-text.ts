import { parseBsn } from "./identifiers.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * Free text of the workflow (a case reference, a motivation, an advice, a note) is shown to the
 * privacy officer, the coordinator, the FG and in the DPIA sample, kept for the case's retention
 * and copied into reports. A person is named in a privacy check's subjects (`persoon:<bsn>`),
 * where the check's scope, restrictions and destruction apply to them; in free text a BSN escapes
 * all of that (Maastricht art. 3, 8.2; GDPR art. 5(1)(c): data minimisation). So free text that
 * holds a number shaped like a BSN is refused.
 */
export interface InvalidFreeText {
  readonly kind: "invalid_free_text";
  /** The argument the text came from, as the caller named it (`motivation`, `reference`, …). */
  readonly argument: string;
  /** Names the argument and the rule; never repeats the text. */
  readonly message: string;
}

/** What may stand between the digit groups of a written-out BSN (`1234.56.782`, `924 - 691 - 347`). */
const SEPARATOR = /^[\s.\-/_]{1,3}$/;
/** Digits (after NFKC, so full-width digits count too) and the gaps between them. */
const DIGITS = /[0-9]+/g;

/**
 * Whether the text holds a BSN: nine digits that pass the 11-check, either in one run or as
 * consecutive digit groups joined by at most three separator characters (space, `.`, `-`, `/`,
 * `_`), as people write them (`123 456 782`, `1234.56.782`). A candidate starts and ends at group
 * boundaries, so a longer number (a 10-digit phone number, a 16-digit BAG id) is not read as one;
 * a run of digits inside letters (`AB123456782`) is.
 */
export function containsBsn(text: string): boolean {
  const normalised = text.normalize("NFKC");
  const groups: { digits: string; start: number; end: number }[] = [];
  for (const m of normalised.matchAll(DIGITS))
    groups.push({ digits: m[0], start: m.index, end: m.index + m[0].length });
  for (let i = 0; i < groups.length; i++) {
    let digits = "";
    for (let j = i; j < groups.length; j++) {
      const group = groups[j]!;
      if (j > i && !SEPARATOR.test(normalised.slice(groups[j - 1]!.end, group.start))) break;
      digits += group.digits;
      if (digits.length > 9) break;
      if (digits.length === 9 && parseBsn(digits).ok) return true;
    }
  }
  return false;
}

/**
 * Free text from the caller, refused when it holds a BSN-shaped number (see {@link containsBsn}).
 * The message names the argument and the rule, never the text or the number.
 */
export function freeText(value: string, argument: string): Result<string, InvalidFreeText> {
  if (!containsBsn(value)) return ok(value);
  return err({
    kind: "invalid_free_text",
    argument,
    message:
      `${argument}: must not contain a BSN (a 9-digit number that passes the 11-check); ` +
      "name a person as a privacy check's subject (persoon:<bsn>), not in free text.",
  });
}
