import { createHmac } from "node:crypto";
import type { AuditEntry } from "./types.ts";

export type SubjectType = NonNullable<AuditEntry["subjectType"]>;

/** Every subject type, for searching a raw id whose type the searcher does not give. */
export const SUBJECT_TYPES: readonly SubjectType[] = ["bsn", "kvkNummer", "bagId"];

/** Prefix used when an entry names a subject without its type. */
export const UNTYPED_SUBJECT = "untyped";

/**
 * Keyed pseudonym of a subject id: hex HMAC-SHA256(key, "<type>:<id>"). Deterministic, so "who
 * looked up BSN X" is a lookup on the pseudonym; without the key it cannot be reversed by
 * enumerating the (small) BSN space. The type prefix keeps equal numbers of different registers
 * apart.
 */
export function pseudonymiseSubject(
  hmacKey: string | Uint8Array,
  subject: string,
  subjectType?: SubjectType,
): string {
  return createHmac("sha256", hmacKey)
    .update(`${subjectType ?? UNTYPED_SUBJECT}:${subject}`, "utf8")
    .digest("hex");
}
