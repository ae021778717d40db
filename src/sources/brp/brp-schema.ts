import { z } from "zod";
import type { BrpZoekType } from "./brp-zoek.ts";

/**
 * zod schemas for BRP Personen v2 responses: strict where the gateway reads a value
 * (datum, naam, verblijfadres, gemeenteVanInschrijving), loose (passthrough) elsewhere so that
 * a new upstream field does not break the gateway. Shapes follow brp-personen-v2.openapi.yaml.
 */
export const waardetabelSchema = z.object({
  code: z.string().optional(),
  omschrijving: z.string().optional(),
});

const langFormaat = z.string();
export const datumSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Datum"), datum: z.iso.date(), langFormaat }),
  z.object({ type: z.literal("DatumOnbekend"), onbekend: z.boolean(), langFormaat }),
  z.object({ type: z.literal("JaarDatum"), jaar: z.number().int(), langFormaat }),
  z.object({
    type: z.literal("JaarMaandDatum"),
    jaar: z.number().int(),
    maand: z.number().int(),
    langFormaat,
  }),
]);

const naamSchema = z.looseObject({
  voornamen: z.string().optional(),
  voorvoegsel: z.string().optional(),
  geslachtsnaam: z.string().optional(),
  voorletters: z.string().optional(),
  volledigeNaam: z.string().optional(),
  aanduidingNaamgebruik: waardetabelSchema.optional(),
});

const verblijfadresSchema = z.looseObject({
  officieleStraatnaam: z.string().optional(),
  korteStraatnaam: z.string().optional(),
  huisnummer: z.number().int().optional(),
  huisletter: z.string().optional(),
  huisnummertoevoeging: z.string().optional(),
  postcode: z.string().optional(),
  woonplaats: z.string().optional(),
  land: waardetabelSchema.optional(),
});

const verblijfplaatsSchema = z.looseObject({
  type: z.string(),
  verblijfadres: verblijfadresSchema.optional(),
  adresseerbaarObjectIdentificatie: z.string().optional(),
  nummeraanduidingIdentificatie: z.string().optional(),
  functieAdres: waardetabelSchema.optional(),
  datumVan: datumSchema.optional(),
});

const geboorteSchema = z.looseObject({
  datum: datumSchema.optional(),
  plaats: waardetabelSchema.optional(),
  land: waardetabelSchema.optional(),
});

const gerelateerdeSchema = z.looseObject({
  burgerservicenummer: z.string().optional(),
  naam: naamSchema.optional(),
  geboorte: geboorteSchema.optional(),
  geslacht: waardetabelSchema.optional(),
});

export const brpPersoonSchema = z.looseObject({
  aNummer: z.string().optional(),
  burgerservicenummer: z
    .string()
    .regex(/^[0-9]{9}$/)
    .optional(),
  geslacht: waardetabelSchema.optional(),
  leeftijd: z.number().int().optional(),
  naam: naamSchema.optional(),
  geboorte: geboorteSchema.optional(),
  overlijden: z.looseObject({ datum: datumSchema.optional() }).optional(),
  gemeenteVanInschrijving: waardetabelSchema.optional(),
  datumInschrijvingInGemeente: datumSchema.optional(),
  verblijfplaats: verblijfplaatsSchema.optional(),
  nationaliteiten: z.array(z.looseObject({ type: z.string() })).optional(),
  partners: z.array(gerelateerdeSchema).optional(),
  ouders: z.array(gerelateerdeSchema).optional(),
  kinderen: z.array(gerelateerdeSchema).optional(),
  geheimhoudingPersoonsgegevens: z.boolean().optional(),
});

/** A person as BRP Personen v2 returns it for RaadpleegMetBurgerservicenummer (only the requested fields). */
export type BrpPersoon = z.infer<typeof brpPersoonSchema>;
export type BrpDatum = z.infer<typeof datumSchema>;

export const raadpleegResponseSchema = z.object({
  type: z.literal("RaadpleegMetBurgerservicenummer"),
  personen: z.array(brpPersoonSchema).default([]),
});

/**
 * A person as the search types return it (PersoonBeperkt: BSN, name, birth, sex, age,
 * adressering; only the requested fields). Loose, as {@link brpPersoonSchema}.
 */
export const brpPersoonBeperktSchema = brpPersoonSchema
  .pick({
    burgerservicenummer: true,
    geslacht: true,
    leeftijd: true,
    naam: true,
    geboorte: true,
    geheimhoudingPersoonsgegevens: true,
  })
  .extend({ adressering: z.looseObject({}).optional() });
export type BrpPersoonBeperkt = z.infer<typeof brpPersoonBeperktSchema>;

const zoekAnswer = <T extends BrpZoekType>(type: T) =>
  z.object({ type: z.literal(type), personen: z.array(brpPersoonBeperktSchema).default([]) });

/** Built once per search type at load, never per call (issue 15). */
const ZOEK_RESPONSE_SCHEMAS = {
  ZoekMetGeslachtsnaamEnGeboortedatum: zoekAnswer("ZoekMetGeslachtsnaamEnGeboortedatum"),
  ZoekMetPostcodeEnHuisnummer: zoekAnswer("ZoekMetPostcodeEnHuisnummer"),
} as const satisfies Record<BrpZoekType, unknown>;

/** The answer to a search of `type`: the same type back, and PersoonBeperkt. */
export const zoekResponseSchema = <T extends BrpZoekType>(type: T): (typeof ZOEK_RESPONSE_SCHEMAS)[T] =>
  ZOEK_RESPONSE_SCHEMAS[type];
