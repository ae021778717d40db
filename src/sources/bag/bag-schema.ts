import { z } from "zod";
import { GEBRUIKSDOELEN } from "./bag-records.ts";

/**
 * zod schemas for BAG Individuele Bevragingen v2 responses (bag-ib-v2-*.yaml): strict on what the
 * gateway reads (identifications, address parts, gebruiksdoelen, bouwjaar, status), loose
 * elsewhere so that a new upstream field does not break the gateway.
 */
export const NUMMERAANDUIDING_ID = /^[0-9]{4}20[0-9]{10}$/;
export const ADRESSEERBAAR_OBJECT_ID = /^[0-9]{4}(01|02|03)[0-9]{10}$/;
export const VERBLIJFSOBJECT_ID = /^[0-9]{4}01[0-9]{10}$/;
export const PAND_ID = /^[0-9]{4}10[0-9]{10}$/;

const nummeraanduidingId = z.string().regex(NUMMERAANDUIDING_ID);
const pandId = z.string().regex(PAND_ID);

export const bagAdresSchema = z.looseObject({
  openbareRuimteNaam: z.string(),
  korteNaam: z.string().optional(),
  huisnummer: z.number().int(),
  huisletter: z.string().optional(),
  huisnummertoevoeging: z.string().optional(),
  postcode: z.string().optional(),
  woonplaatsNaam: z.string(),
  nummeraanduidingIdentificatie: nummeraanduidingId,
  openbareRuimteIdentificatie: z.string().optional(),
  woonplaatsIdentificatie: z.string().optional(),
  adresseerbaarObjectIdentificatie: z.string().regex(ADRESSEERBAAR_OBJECT_ID).optional(),
  pandIdentificaties: z.array(pandId).optional(),
  indicatieNevenadres: z.boolean().optional(),
});
/** An address as `/adressen` returns it (HAL `_links` are passed through, not relied on). */
export type BagAdres = z.infer<typeof bagAdresSchema>;

export const adressenResponseSchema = z.looseObject({
  // The spec makes `_embedded` and `adressen` optional: a search without results may omit both.
  _embedded: z.looseObject({ adressen: z.array(bagAdresSchema).default([]) }).optional(),
});

const objectBase = {
  identificatie: z.string().regex(ADRESSEERBAAR_OBJECT_ID),
  heeftAlsHoofdAdres: nummeraanduidingId,
  heeftAlsNevenAdres: z.array(nummeraanduidingId).optional(),
  status: z.string(),
  geconstateerd: z.enum(["J", "N"]).optional(),
  documentdatum: z.string().optional(),
  documentnummer: z.string().optional(),
};

export const bagVerblijfsobjectSchema = z.looseObject({
  ...objectBase,
  type: z.literal("Verblijfsobject"),
  identificatie: z.string().regex(VERBLIJFSOBJECT_ID),
  gebruiksdoelen: z.array(z.enum(GEBRUIKSDOELEN)).min(1),
  oppervlakte: z.number().int(),
  maaktDeelUitVan: z.array(pandId).min(1),
  geometrie: z.looseObject({}).optional(),
});
export type BagVerblijfsobject = z.infer<typeof bagVerblijfsobjectSchema>;

const bagStandplaatsSchema = z.looseObject({ ...objectBase, type: z.literal("Standplaats") });
const bagLigplaatsSchema = z.looseObject({ ...objectBase, type: z.literal("Ligplaats") });

export const bagAdresseerbaarObjectSchema = z.discriminatedUnion("type", [
  bagVerblijfsobjectSchema,
  bagStandplaatsSchema,
  bagLigplaatsSchema,
]);
/** A verblijfsobject, standplaats or ligplaats (discriminated by `type`). */
export type BagAdresseerbaarObject = z.infer<typeof bagAdresseerbaarObjectSchema>;

export const verblijfsobjectResponseSchema = z.looseObject({ verblijfsobject: bagVerblijfsobjectSchema });

/** AdresseerbaarObjectIOHal: exactly one of the three is present. */
export const adresseerbaarObjectResponseSchema = z
  .looseObject({
    verblijfsobject: z.looseObject({ verblijfsobject: bagVerblijfsobjectSchema }).optional(),
    standplaats: z.looseObject({ standplaats: bagStandplaatsSchema }).optional(),
    ligplaats: z.looseObject({ ligplaats: bagLigplaatsSchema }).optional(),
  })
  .transform((r, ctx) => {
    const found = [
      r.verblijfsobject?.verblijfsobject,
      r.standplaats?.standplaats,
      r.ligplaats?.ligplaats,
    ].filter((o) => o !== undefined);
    if (found.length !== 1) {
      ctx.addIssue({ code: "custom", message: "exactly one adresseerbaar object expected" });
      return z.NEVER;
    }
    return found[0] as BagAdresseerbaarObject;
  });

export const bagPandSchema = z.looseObject({
  identificatie: pandId,
  oorspronkelijkBouwjaar: z.string().regex(/^[0-9]{4}$/),
  status: z.string(),
  geconstateerd: z.enum(["J", "N"]).optional(),
  geometrie: z.looseObject({}).optional(),
  documentdatum: z.string().optional(),
  documentnummer: z.string().optional(),
});
export type BagPand = z.infer<typeof bagPandSchema>;

export const pandResponseSchema = z.looseObject({ pand: bagPandSchema });
