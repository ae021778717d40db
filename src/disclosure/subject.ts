import {
  addressKey,
  err,
  ok,
  parseBagId,
  parsePostcode,
  type BagId,
  type Bsn,
  type KvkNummer,
  type Postcode,
  type Result,
} from "../shared/index.ts";
import type { AuditEntry } from "../audit/index.ts";
import type { DisclosureError } from "./disclosure-context.ts";

/** An address as a signal gives it. */
export interface AddressRef {
  readonly postcode: Postcode;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
}

/** An object (design.md contract `object(…)`): by address, or by the BAG id of the adresseerbaar object. */
export type ObjectRef = AddressRef | { readonly adresseerbaarObjectIdentificatie: BagId };

/** Whom or what a question is about: a person, a company or an object (protocols README "Subject"). */
export type Subject =
  | { readonly kind: "persoon"; readonly bsn: Bsn }
  | { readonly kind: "onderneming"; readonly kvkNummer: KvkNummer }
  | { readonly kind: "object"; readonly ref: ObjectRef };

export type SubjectKind = Subject["kind"];

/** The subject an object reference names. */
export const objectSubject = (ref: ObjectRef): Subject => ({ kind: "object", ref });

export const isObjectId = (ref: ObjectRef): ref is { readonly adresseerbaarObjectIdentificatie: BagId } =>
  "adresseerbaarObjectIdentificatie" in ref;

/** The subject as privacy checks name it (`persoon:<bsn>`, …; see `parseSubjectKey`). */
export function subjectKey(subject: Subject): string {
  switch (subject.kind) {
    case "persoon":
      return `persoon:${subject.bsn}`;
    case "onderneming":
      return `onderneming:${subject.kvkNummer}`;
    case "object":
      return isObjectId(subject.ref)
        ? `object:${subject.ref.adresseerbaarObjectIdentificatie}`
        : addressKey(subject.ref);
  }
}

/** How the audit log names the subject: the raw id, pseudonymised by the log before it is stored. */
export function auditSubject(subject: Subject): Pick<AuditEntry, "subject" | "subjectType"> {
  switch (subject.kind) {
    case "persoon":
      return { subject: subject.bsn, subjectType: "bsn" };
    case "onderneming":
      return { subject: subject.kvkNummer, subjectType: "kvkNummer" };
    case "object":
      return isObjectId(subject.ref)
        ? { subject: subject.ref.adresseerbaarObjectIdentificatie, subjectType: "bagId" }
        : {
            subject: [
              subject.ref.postcode,
              subject.ref.huisnummer,
              subject.ref.huisletter ?? "",
              subject.ref.huisnummertoevoeging ?? "",
            ]
              .join(" ")
              .trim()
              .toUpperCase(),
            subjectType: "adres",
          };
  }
}

export interface ObjectArgs {
  readonly postcode?: string | null | undefined;
  readonly huisnummer?: number | null | undefined;
  readonly huisletter?: string | null | undefined;
  readonly huisnummertoevoeging?: string | null | undefined;
  readonly adresseerbaarObjectIdentificatie?: string | null | undefined;
}

const bad = (message: string) => err<DisclosureError>({ kind: "bad_input", message });
const given = (v: unknown) => v !== null && v !== undefined && v !== "";

/**
 * The arguments of `object(…)`, checked before anything is asked upstream: either a BAG id, or a
 * postcode with a huisnummer (and optionally huisletter and toevoeging), never both.
 */
export function parseObjectRef(args: ObjectArgs): Result<ObjectRef, DisclosureError> {
  const byAddress = [args.postcode, args.huisnummer, args.huisletter, args.huisnummertoevoeging].some(given);
  if (given(args.adresseerbaarObjectIdentificatie)) {
    if (byAddress)
      return bad(
        "object: give either adresseerbaarObjectIdentificatie or an address (postcode, huisnummer), not both.",
      );
    const id = parseBagId(args.adresseerbaarObjectIdentificatie ?? "");
    if (!id.ok) return bad(`adresseerbaarObjectIdentificatie: ${id.error.reason}`);
    if (!/^[0-9]{4}0[123]/.test(id.value))
      return bad(
        "adresseerbaarObjectIdentificatie: not the id of a verblijfsobject (01), ligplaats (02) or standplaats (03): the fifth and sixth digits say which.",
      );
    return ok({ adresseerbaarObjectIdentificatie: id.value });
  }
  if (!given(args.postcode) || args.huisnummer === null || args.huisnummer === undefined)
    return bad("object: give postcode and huisnummer, or adresseerbaarObjectIdentificatie.");
  const postcode = parsePostcode(args.postcode ?? "");
  if (!postcode.ok) return bad(`postcode: ${postcode.error.reason}`);
  if (!Number.isInteger(args.huisnummer) || args.huisnummer < 1 || args.huisnummer > 99999)
    return bad("huisnummer: between 1 and 99999.");
  if (given(args.huisletter) && !/^[a-zA-Z]$/.test(args.huisletter ?? ""))
    return bad("huisletter: one letter.");
  if (given(args.huisnummertoevoeging) && !/^[0-9a-zA-Z]{1,4}$/.test(args.huisnummertoevoeging ?? ""))
    return bad("huisnummertoevoeging: one to four letters or digits.");
  return ok({
    postcode: postcode.value,
    huisnummer: args.huisnummer,
    ...(given(args.huisletter) ? { huisletter: args.huisletter ?? undefined } : {}),
    ...(given(args.huisnummertoevoeging)
      ? { huisnummertoevoeging: args.huisnummertoevoeging ?? undefined }
      : {}),
  });
}
