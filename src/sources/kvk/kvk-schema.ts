import { z } from "zod";

/**
 * zod schemas for KVK responses (kvk-zoeken-v2, kvk-basisprofiel-v1, kvk-vestigingsprofiel-v1):
 * strict where the gateway reads a value (numbers, totaal, type, address), loose (passthrough)
 * elsewhere so that a new upstream field does not break the gateway.
 */
const kvkNummer = z.string().regex(/^[0-9]{8}$/);
const vestigingsnummer = z.string().regex(/^[0-9]{12}$/);
const links = z.array(z.looseObject({ rel: z.string().optional(), href: z.string().optional() }));

const binnenlandsAdresSchema = z.looseObject({
  type: z.string().optional(),
  straatnaam: z.string().optional(),
  huisnummer: z.number().int().optional(),
  huisletter: z.string().optional(),
  postbusnummer: z.number().int().optional(),
  postcode: z.string().optional(),
  plaats: z.string().optional(),
});

export const resultaatItemSchema = z.looseObject({
  kvkNummer,
  rsin: z.string().optional(),
  vestigingsnummer: vestigingsnummer.optional(),
  naam: z.string().optional(),
  adres: z
    .looseObject({
      binnenlandsAdres: binnenlandsAdresSchema.optional(),
      buitenlandsAdres: z.looseObject({}).optional(),
    })
    .optional(),
  type: z.string().optional(),
  actief: z.string().optional(),
  vervallenNaam: z.string().optional(),
  links: links.optional(),
});

export const zoekResultaatSchema = z.looseObject({
  pagina: z.number().int().min(1),
  resultatenPerPagina: z.number().int().min(1),
  totaal: z.number().int().min(0),
  vorige: z.string().optional(),
  volgende: z.string().optional(),
  resultaten: z.array(resultaatItemSchema).default([]),
  links: links.optional(),
});

/** KVK's error body `{fout:[{code, omschrijving}]}`; a 404 with this body means "nothing found". */
export const foutSchema = z.object({
  fout: z.array(z.looseObject({ code: z.string().optional(), omschrijving: z.string().optional() })).min(1),
});

const sbiActiviteitSchema = z.looseObject({
  sbiCode: z.string(),
  sbiOmschrijving: z.string().optional(),
  indHoofdactiviteit: z.string().optional(),
});

const adresSchema = z.looseObject({
  type: z.string().optional(),
  indAfgeschermd: z.string().optional(),
  volledigAdres: z.string().optional(),
  straatnaam: z.string().optional(),
  huisnummer: z.number().int().optional(),
  huisletter: z.string().optional(),
  huisnummerToevoeging: z.string().optional(),
  postcode: z.string().optional(),
  plaats: z.string().optional(),
  land: z.string().optional(),
  geoData: z
    .looseObject({ addresseerbaarObjectId: z.string().optional(), nummerAanduidingId: z.string().optional() })
    .optional(),
});

const materieleRegistratieSchema = z.looseObject({
  datumAanvang: z.string().optional(),
  datumEinde: z.string().optional(),
});

export const vestigingSchema = z.looseObject({
  vestigingsnummer,
  kvkNummer,
  rsin: z.string().optional(),
  formeleRegistratiedatum: z.string().optional(),
  materieleRegistratie: materieleRegistratieSchema.optional(),
  statutaireNaam: z.string().optional(),
  eersteHandelsnaam: z.string().optional(),
  indHoofdvestiging: z.string().optional(),
  indCommercieleVestiging: z.string().optional(),
  voltijdWerkzamePersonen: z.number().int().optional(),
  deeltijdWerkzamePersonen: z.number().int().optional(),
  totaalWerkzamePersonen: z.number().int().optional(),
  handelsnamen: z
    .array(z.looseObject({ naam: z.string(), volgorde: z.number().int().optional() }))
    .optional(),
  adressen: z.array(adresSchema).optional(),
  websites: z.array(z.string()).optional(),
  sbiActiviteiten: z.array(sbiActiviteitSchema).optional(),
  links: z.array(z.looseObject({})).optional(),
});

export const eigenaarSchema = z.looseObject({
  rsin: z.string().optional(),
  rechtsvorm: z.string().optional(),
  uitgebreideRechtsvorm: z.string().optional(),
  datumUitschrijving: z.string().optional(),
  adressen: z.array(adresSchema).optional(),
});

export const basisprofielSchema = z.looseObject({
  kvkNummer,
  naam: z.string().optional(),
  statutaireNaam: z.string().optional(),
  formeleRegistratiedatum: z.string().optional(),
  materieleRegistratie: materieleRegistratieSchema.optional(),
  totaalWerkzamePersonen: z.number().int().optional(),
  handelsnamen: z
    .array(z.looseObject({ naam: z.string(), volgorde: z.number().int().optional() }))
    .optional(),
  sbiActiviteiten: z.array(sbiActiviteitSchema).optional(),
  _embedded: z
    .looseObject({ hoofdvestiging: vestigingSchema.optional(), eigenaar: eigenaarSchema.optional() })
    .optional(),
  links: links.optional(),
});

export const vestigingListSchema = z.looseObject({
  kvkNummer,
  aantalCommercieleVestigingen: z.number().int().optional(),
  aantalNietCommercieleVestigingen: z.number().int().optional(),
  totaalAantalVestigingen: z.number().int(),
  vestigingen: z
    .array(
      z.looseObject({
        vestigingsnummer,
        kvkNummer: kvkNummer.optional(),
        eersteHandelsnaam: z.string().optional(),
        indHoofdvestiging: z.string().optional(),
        indCommercieleVestiging: z.string().optional(),
        volledigAdres: z.string().optional(),
      }),
    )
    .default([]),
});

export type KvkResultaatItem = z.infer<typeof resultaatItemSchema>;
export type KvkBasisprofiel = z.infer<typeof basisprofielSchema>;
export type KvkVestigingsprofiel = z.infer<typeof vestigingSchema>;
export type KvkVestigingList = z.infer<typeof vestigingListSchema>;

/** One Zoeken v2 answer (all pages when the caller asked for them). No results is `totaal: 0`. */
export interface KvkZoekResultaat {
  readonly totaal: number;
  readonly pagina: number;
  readonly resultatenPerPagina: number;
  readonly resultaten: readonly KvkResultaatItem[];
}

export const ZOEK_TYPES = ["hoofdvestiging", "nevenvestiging", "rechtspersoon"] as const;

/**
 * The Zoeken v2 query parameters, validated as the spec says (patterns, ranges, and: postcode only
 * with huisnummer or postbusnummer, huisnummer and postbusnummer only with postcode, huisletter only
 * with huisnummer). Validated before sending, so the gateway never sends a request KVK must refuse.
 */
export const zoekParamsSchema = z
  .strictObject({
    kvkNummer: kvkNummer.optional(),
    rsin: z
      .string()
      .regex(/^[0-9]{9}$/)
      .optional(),
    vestigingsnummer: vestigingsnummer.optional(),
    naam: z.string().min(1).optional(),
    straatnaam: z.string().min(1).optional(),
    plaats: z.string().min(1).optional(),
    postcode: z
      .string()
      .transform((p) => p.replace(/\s+/g, "").toUpperCase())
      .pipe(z.string().regex(/^[0-9]{4}[A-Z]{2}$/))
      .optional(),
    huisnummer: z.number().int().min(0).max(99999).optional(),
    huisletter: z
      .string()
      .regex(/^[a-zA-Z]$/)
      .optional(),
    postbusnummer: z.number().int().min(0).max(99999).optional(),
    type: z.array(z.enum(ZOEK_TYPES)).min(1).optional(),
    inclusiefInactieveRegistraties: z.boolean().optional(),
    pagina: z.number().int().min(1).max(1000).optional(),
    resultatenPerPagina: z.number().int().min(1).max(100).optional(),
  })
  .refine((p) => p.postcode === undefined || p.huisnummer !== undefined || p.postbusnummer !== undefined, {
    path: ["postcode"],
  })
  .refine((p) => (p.huisnummer === undefined && p.postbusnummer === undefined) || p.postcode !== undefined, {
    path: ["huisnummer"],
  })
  .refine((p) => p.huisletter === undefined || p.huisnummer !== undefined, { path: ["huisletter"] });

export type KvkZoekParams = z.input<typeof zoekParamsSchema>;
