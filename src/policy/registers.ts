import { z } from "zod";
import { ISO_DURATION } from "../shared/index.ts";
import type { CatalogueFile } from "./schemas.ts";
import type { ProbeDef } from "./types.ts";

/**
 * A municipality's own register (`policies/registers/<name>.yaml`, issue 16): benefits, subsidies,
 * BOA registrations, erfpacht … (Maastricht bijlage A, fase 3). Configured without code: where the
 * data live, which subject key finds a record, the fields with their catalogue classes, and the
 * probes as named yes/no questions over declared fields. Structured data only: the gateway builds
 * every query itself (src/sources/register); no SQL text ever comes from a file or a request.
 */

const text = z.string().trim().min(1, "must not be empty");
const sourceId = z
  .string()
  .regex(/^[a-z][a-z0-9]*$/, "a register name is lower-case letters and digits (e.g. uitkeringen)");
/** A column (or JSON property) name: validated here, then quoted by the gateway (quote_ident). */
const identifier = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_]{0,62}$/,
    "a column is lower-case letters, digits and _ (at most 63), e.g. start_datum",
  );
const fieldName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,62}$/, "a field name is a lower-camel-case word");
const envName = (suffix: string, example: string) =>
  z
    .string()
    .regex(
      new RegExp(`^[A-Z][A-Z0-9_]*${suffix}$`),
      `the name of an environment variable ending in ${suffix} (e.g. ${example})`,
    );

/** Classes a register field may have: the catalogue's, except `special` (GDPR art. 9, never held). */
export const REGISTER_FIELD_CLASSES = ["open", "personal", "identifier", "sensitive", "criminal"] as const;

/** The subject a record is found by, and the key(s) that name it. */
export const REGISTER_KEYS = {
  bsn: "persoon",
  kvkNummer: "onderneming",
  bagId: "object",
  adres: "object",
} as const;
export type RegisterKey = keyof typeof REGISTER_KEYS;

const keyKind = z.enum(Object.keys(REGISTER_KEYS) as [RegisterKey, ...RegisterKey[]], {
  error: "a key is bsn, kvkNummer, bagId or adres (postcode + huisnummer)",
});

const postgresBackend = z.strictObject({
  kind: z.literal("postgres"),
  /** Environment variable holding the connection string; in demo mode unset: the gateway's own database. */
  connection: envName("_DATABASE_URL", "UITKERINGEN_DATABASE_URL"),
  /** A table or view, schema-qualified: `<schema>.<table>`. */
  table: z
    .string()
    .regex(
      /^[a-z_][a-z0-9_]{0,62}\.[a-z_][a-z0-9_]{0,62}$/,
      "a schema-qualified table or view of lower-case letters, digits and _ (e.g. sociaal.uitkeringen)",
    ),
  /** The key column(s): `value` for bsn/kvkNummer/bagId, `postcode` and `huisnummer` for adres. */
  keyColumns: z.strictObject({
    value: identifier.optional(),
    postcode: identifier.optional(),
    huisnummer: identifier.optional(),
  }),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
});

const httpBackend = z.strictObject({
  kind: z.literal("http"),
  /**
   * The URL of a subject's records; the key is the only substitution, URL-encoded: `{value}`
   * (bsn, kvkNummer, bagId) or `{postcode}` and `{huisnummer}` (adres). Answers a JSON array.
   */
  url: z.string().regex(/^https?:\/\/[^\s]+$/, "an http(s) URL"),
  auth: z
    .strictObject({
      header: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, "an HTTP header name"),
      env: envName("_REGISTER_AUTH", "SUBSIDIES_REGISTER_AUTH"),
    })
    .optional(),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
});

const field = z.strictObject({
  name: fieldName,
  /** Column (postgres) or property (http) holding it; default the field name. */
  column: identifier.optional(),
  class: z.enum(REGISTER_FIELD_CLASSES, {
    error: (issue) =>
      issue.input === "special"
        ? "class special (GDPR art. 9) is never held in a register the gateway serves"
        : "unknown class: open, personal, identifier, sensitive or criminal",
  }),
  note: text,
});

/** One condition of a probe over a declared field; all of a probe's conditions hold for one record. */
const condition = z.union([
  z.strictObject({ field: fieldName, equals: z.union([z.string(), z.number(), z.boolean()]) }),
  z.strictObject({
    field: fieldName,
    in: z.array(z.union([z.string(), z.number()])).min(1, "name at least one value"),
  }),
  /** The field (a date) is on or after today minus the duration, e.g. P12M. */
  z.strictObject({
    field: fieldName,
    since: z.string().regex(ISO_DURATION, "an ISO-8601 duration such as P12M"),
  }),
  /** The field (a date) is empty or on or after today: a running benefit, a lease still in force. */
  z.strictObject({ field: fieldName, notBefore: z.literal("today") }),
  z.strictObject({ field: fieldName, isNull: z.boolean() }),
]);
export type RegisterCondition = z.infer<typeof condition>;

export const registerFileSchema = z.strictObject({
  source: sourceId,
  title: text,
  /** Why the protocol names this register (e.g. Maastricht bijlage A fase 3). */
  article: text,
  key: keyKind,
  backend: z.discriminatedUnion("kind", [postgresBackend, httpBackend]),
  fields: z.array(field).min(1, "a register has at least one field"),
  probes: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9]*\.[a-zA-Z][a-zA-Z0-9]*$/, "a probe id is <source>.<name>"),
        description: text,
        /** All must hold for one record; none: any record of the subject is a hit. */
        where: z.array(condition).optional().default([]),
      }),
    )
    .optional()
    .default([]),
  /** Most records released per subject (a benefit history, a list of registrations). */
  maxRecords: z.number().int().min(1).max(500).optional(),
});
export type RegisterFile = z.infer<typeof registerFileSchema>;

/** A checked register: the file's content, frozen, and where it came from. */
export type RegisterDef = Readonly<RegisterFile> & { readonly file: string };

/** Cross-checks inside one register file: names, key columns, fields named by conditions and URL. */
export function checkRegisterFile(name: string, file: RegisterFile): { path: string; reason: string }[] {
  const problems: { path: string; reason: string }[] = [];
  if (name !== `${file.source}.yaml`)
    problems.push({ path: "source", reason: `a register file is named <source>.yaml: ${file.source}.yaml` });
  const fields = new Map<string, number>();
  file.fields.forEach((f, i) => {
    if (fields.has(f.name)) problems.push({ path: `fields[${i}].name`, reason: `duplicate field ${f.name}` });
    fields.set(f.name, i);
  });
  const columns = file.fields.map((f) => f.column ?? f.name);
  columns.forEach((c, i) => {
    if (columns.indexOf(c) !== i)
      problems.push({ path: `fields[${i}].column`, reason: `column ${c} is already another field` });
  });
  const parts = file.key === "adres" ? ["postcode", "huisnummer"] : ["value"];
  const b = file.backend;
  if (b.kind === "postgres") {
    for (const p of parts)
      if (b.keyColumns[p as keyof typeof b.keyColumns] === undefined)
        problems.push({
          path: `backend.keyColumns.${p}`,
          reason: `key ${file.key} needs the column of ${p}`,
        });
    for (const p of Object.keys(b.keyColumns))
      if (!parts.includes(p))
        problems.push({ path: `backend.keyColumns.${p}`, reason: `key ${file.key} has no part ${p}` });
  } else {
    const named = [...b.url.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? "");
    for (const n of named)
      if (!parts.includes(n))
        problems.push({
          path: "backend.url",
          reason: `{${n}} is not a part of key ${file.key}: the URL substitutes only ${parts.map((p) => `{${p}}`).join(" and ")}`,
        });
    for (const p of parts)
      if (!named.includes(p)) problems.push({ path: "backend.url", reason: `the URL must contain {${p}}` });
  }
  const ids = new Set<string>();
  file.probes.forEach((p, i) => {
    if (!p.id.startsWith(`${file.source}.`))
      problems.push({
        path: `probes[${i}].id`,
        reason: `a probe of ${file.source} is named ${file.source}.<name>`,
      });
    if (ids.has(p.id)) problems.push({ path: `probes[${i}].id`, reason: `duplicate probe ${p.id}` });
    ids.add(p.id);
    p.where.forEach((c, j) => {
      if (!fields.has(c.field))
        problems.push({
          path: `probes[${i}].where[${j}].field`,
          reason: `unknown field ${c.field}: a condition names one of the register's fields (${[...fields.keys()].join(", ")})`,
        });
    });
  });
  return problems;
}

/** The register's fields as its source's catalogue (the same classes and lookups as any source). */
export const registerCatalogue = (r: RegisterFile): CatalogueFile => ({
  source: r.source,
  name: r.title,
  fields: r.fields.map((f) => ({ path: f.name, class: f.class, note: f.note })),
});

/** The register's probes, with the register as their source. */
export const registerProbes = (r: RegisterFile): ProbeDef[] =>
  r.probes.map((p) => Object.freeze({ id: p.id, source: r.source, description: p.description }));

/** The subject kind a register answers about. */
export const registerSubject = (r: Pick<RegisterFile, "key">) => REGISTER_KEYS[r.key];
