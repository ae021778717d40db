import { z } from "zod";

/**
 * zod schemas for BRP Verblijfplaatshistorie responses: strict where the gateway reads a value
 * (type, datumVan/datumTot, gemeenteVanInschrijving), loose elsewhere so that a new upstream
 * field does not break the gateway. Shapes follow brp-verblijfplaatshistorie.openapi.yaml.
 */
const waardetabelSchema = z.looseObject({ code: z.string().optional(), omschrijving: z.string().optional() });

const langFormaat = z.string();
export const historieDatumSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("Datum"), datum: z.iso.date(), langFormaat }),
  z.looseObject({ type: z.literal("DatumOnbekend"), onbekend: z.boolean(), langFormaat }),
  z.looseObject({ type: z.literal("JaarDatum"), jaar: z.number().int(), langFormaat }),
  z.looseObject({
    type: z.literal("JaarMaandDatum"),
    jaar: z.number().int(),
    maand: z.number().int(),
    langFormaat,
  }),
]);

export const historieVerblijfplaatsSchema = z.looseObject({
  type: z.enum(["Adres", "VerblijfplaatsBuitenland", "VerblijfplaatsOnbekend", "Locatie"]),
  datumVan: historieDatumSchema.optional(),
  datumTot: historieDatumSchema.optional(),
  gemeenteVanInschrijving: waardetabelSchema.optional(),
  adresseerbaarObjectIdentificatie: z
    .string()
    .regex(/^[0-9]{16}$/)
    .optional(),
  nummeraanduidingIdentificatie: z
    .string()
    .regex(/^[0-9]{16}$/)
    .optional(),
  verblijfadres: z.looseObject({}).optional(),
});

export const verblijfplaatshistorieResponseSchema = z.looseObject({
  verblijfplaatsen: z.array(historieVerblijfplaatsSchema).default([]),
  geheimhoudingPersoonsgegevens: z.boolean().optional(),
});

/** One verblijfplaats voorkomen as Verblijfplaatshistorie returns it (most recent first). */
export type HistorieVerblijfplaats = z.infer<typeof historieVerblijfplaatsSchema>;
export type HistorieDatum = z.infer<typeof historieDatumSchema>;
