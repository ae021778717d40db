import { parseBagId, parseBsn, parseKvkNummer, parsePostcode } from "./identifiers.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * How a privacy check names the subjects it is about, and how a question names its subject, so
 * the two can be compared: `persoon:<bsn>`, `onderneming:<kvkNummer>`, `object:<adresseerbaar
 * object id>` or `adres:<postcode>-<huisnummer><huisletter>[-<toevoeging>]` (e.g. `adres:6211AB-12A-2`).
 * An object asked by address matches a check that names the same address; one asked by BAG id
 * matches a check that names that id.
 */
export const SUBJECT_KEY_FORMS =
  "persoon:<bsn>, onderneming:<kvkNummer>, object:<adresseerbaarObjectIdentificatie> or adres:<postcode>-<huisnummer><huisletter>[-<toevoeging>]";

const ADRES = /^([0-9]{4}[A-Z]{2})-([1-9][0-9]{0,4})([A-Z]?)(?:-([0-9A-Z]{1,4}))?$/;

/** The address form of a subject key; huisletter and toevoeging upper-cased. */
export function addressKey(a: {
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
}): string {
  const letter = (a.huisletter ?? "").toUpperCase();
  const toevoeging = a.huisnummertoevoeging ? `-${a.huisnummertoevoeging.toUpperCase()}` : "";
  return `adres:${a.postcode}-${a.huisnummer}${letter}${toevoeging}`;
}

/** Checks and normalises a subject key; the error names the key and what is wrong with it. */
export function parseSubjectKey(input: string): Result<string, string> {
  const key = checkSubjectKey(input);
  return key.ok ? key : err(`${input}: ${key.error}`);
}

/**
 * Checks and normalises a subject key; the error names only the rule it breaks, never the key, so
 * a message built from it repeats nothing the caller sent.
 */
export function checkSubjectKey(input: string): Result<string, string> {
  const colon = input.indexOf(":");
  const kind = colon < 0 ? "" : input.slice(0, colon);
  const value = colon < 0 ? "" : input.slice(colon + 1).trim();
  switch (kind) {
    case "persoon": {
      const bsn = parseBsn(value);
      return bsn.ok ? ok(`persoon:${bsn.value}`) : err(bsn.error.reason);
    }
    case "onderneming": {
      const kvk = parseKvkNummer(value);
      return kvk.ok ? ok(`onderneming:${kvk.value}`) : err(kvk.error.reason);
    }
    case "object": {
      const id = parseBagId(value);
      return id.ok ? ok(`object:${id.value}`) : err(id.error.reason);
    }
    case "adres": {
      const m = ADRES.exec(value.toUpperCase().replace(/\s+/g, ""));
      if (!m) return err("an address is written <postcode>-<huisnummer><huisletter>[-<toevoeging>].");
      const postcode = parsePostcode(m[1] ?? "");
      if (!postcode.ok) return err(postcode.error.reason);
      return ok(
        addressKey({
          postcode: postcode.value,
          huisnummer: Number(m[2]),
          huisletter: m[3] || undefined,
          huisnummertoevoeging: m[4] || undefined,
        }),
      );
    }
    default:
      return err(`a subject is written ${SUBJECT_KEY_FORMS}.`);
  }
}

/**
 * How the audit log names the subject of a (normalised) key: the raw id and its register, exactly
 * as a question about the same subject names it (src/disclosure/subject.ts `auditSubject`), so
 * the subject's pseudonym, and so their access report, is the same either way.
 */
export function auditIdOfKey(key: string): {
  readonly subject: string;
  readonly subjectType: "bsn" | "kvkNummer" | "bagId" | "adres";
} {
  const colon = key.indexOf(":");
  const kind = key.slice(0, colon);
  const value = key.slice(colon + 1);
  if (kind === "persoon") return { subject: value, subjectType: "bsn" };
  if (kind === "onderneming") return { subject: value, subjectType: "kvkNummer" };
  if (kind === "object") return { subject: value, subjectType: "bagId" };
  const m = ADRES.exec(value);
  return {
    subject: [m?.[1] ?? value, m?.[2] ?? "", m?.[3] ?? "", m?.[4] ?? ""].join(" ").trim().toUpperCase(),
    subjectType: "adres",
  };
}

/** The kind of subject a (normalised) key names. */
export const kindOfKey = (key: string): "persoon" | "onderneming" | "object" =>
  key.startsWith("persoon:") ? "persoon" : key.startsWith("onderneming:") ? "onderneming" : "object";
