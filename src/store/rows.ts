/**
 * Readers for column values of either dialect: PGlite and `pg` both give timestamps as Date and
 * jsonb parsed, but a value may also arrive as text (e.g. through a cast), so both are accepted.
 */
export type Row = Record<string, unknown>;

export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const asDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));
export const asIso = (v: unknown): string => asDate(v).toISOString();
export const asStrOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const asJson = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));
export const asStrings = (v: unknown): string[] => {
  const parsed = asJson<unknown>(v);
  return Array.isArray(parsed) ? parsed.map(String) : [];
};
