import { z } from "zod";

/**
 * zod schemas for the answers of the Zaken API 1.5 and the Catalogi API 1.3
 * (zgw-zaken-api.openapi.yaml, zgw-catalogi-api.openapi.yaml): strict on what the gateway reads,
 * loose elsewhere so that a new upstream field does not break the gateway.
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const date = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);

/**
 * `PaginatedZaakList` and its siblings: DRF page-number pagination with absolute `next` links.
 * Built once per item schema at load (the page schemas below), never per call: building a zod
 * schema costs more than checking a page with it (issue 15).
 */
const pageSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    count: z.number().int().min(0),
    next: z.string().nullable(),
    previous: z.string().nullable().optional(),
    results: z.array(item),
  });

export const zaakSchema = z.looseObject({
  url: z.string().min(1),
  uuid: z.string().regex(UUID),
  // Not `required` in the schema (the ZRC generates it), but always there in practice.
  identificatie: z.string().optional(),
  omschrijving: z.string().optional(),
  zaaktype: z.string().min(1),
  registratiedatum: date.optional(),
  startdatum: date,
  einddatum: date.nullable().optional(),
  einddatumGepland: date.nullable().optional(),
  status: z.string().nullable().optional(),
  vertrouwelijkheidaanduiding: z.string().optional(),
  archiefnominatie: z.enum(["blijvend_bewaren", "vernietigen", ""]).nullable().optional(),
});
/** A ZAAK as the Zaken API returns it (only the fields the gateway reads are typed). */
export type Zaak = z.infer<typeof zaakSchema>;

export const zaakObjectSchema = z.looseObject({
  url: z.string().min(1),
  zaak: z.string().min(1),
  object: z.string().optional(),
  objectType: z.string(),
});
export type ZaakObject = z.infer<typeof zaakObjectSchema>;

export const zaakTypeSchema = z.looseObject({
  url: z.string().min(1),
  identificatie: z.string(),
  omschrijving: z.string(),
  concept: z.boolean().optional(),
  beginGeldigheid: date.optional(),
  eindeGeldigheid: date.nullable().optional(),
});
/** A ZAAKTYPE of the Catalogi API (`GET /zaaktypen` documents its items only as objects). */
export type ZaakType = z.infer<typeof zaakTypeSchema>;

/** What a list call checks each page against: a page of some item. */
export type PageSchema = z.ZodType<{ next: string | null; results: unknown[] }>;

/** The pages of the lists the client reads, each built once. */
export const zaakPageSchema = pageSchema(zaakSchema);
export const zaakObjectPageSchema = pageSchema(zaakObjectSchema);
export const zaakTypePageSchema = pageSchema(zaakTypeSchema);
