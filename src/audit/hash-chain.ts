import { createHash } from "node:crypto";
import type { AuditRecord } from "./types.ts";

/** `prevHash` of the first record. */
export const GENESIS_HASH = "0".repeat(64);

/** The part of a record the content hash covers: everything but its place in the chain. */
export type AuditContent = Omit<AuditRecord, "seq" | "contentHash" | "prevHash" | "hash" | "tombstone">;

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Deterministic JSON: object keys sorted by code unit, dates as ISO strings, `undefined` object
 * members left out (so an absent optional field and a stored NULL hash alike). Everything else
 * as `JSON.stringify` writes it.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const members = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(",")}}`;
  }
  if (typeof value === "bigint") throw new TypeError("BigInt is not allowed in audit content.");
  return JSON.stringify(value) ?? "null";
}

/** sha256 over the canonical JSON of the record's content. */
export const contentHashOf = (content: AuditContent): string => sha256Hex(canonicalJson(content));

/** The chain link: sha256(prevHash + contentHash), both as lowercase hex. */
export const linkHash = (prevHash: string, contentHash: string): string => sha256Hex(prevHash + contentHash);

/** The content of a stored record, for recomputing its content hash. */
export function contentOf(record: AuditRecord): AuditContent {
  const { seq: _seq, contentHash: _c, prevHash: _p, hash: _h, tombstone: _t, ...content } = record;
  return content;
}
