import { z } from "zod";

/**
 * zod schemas for BRK-Bevragen v2 responses (reference/brk-bevragen-v2.openapi.yaml): strict on
 * what the gateway reads (identifications, the persons that hold rights and their type, the
 * address parts), loose elsewhere so that a new upstream field does not break the gateway.
 * Names are the spec's.
 */

/** Identifications the gateway puts in a path: what the Kadaster issues (maxLength 60 in the spec). */
export const BRK_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,59}$/;

const waarde = z.looseObject({ code: z.string().min(1), waarde: z.string().optional() });
const bedrag = z.looseObject({ som: z.number().optional(), valuta: waarde.optional() });
const breuk = z.looseObject({ teller: z.number().int(), noemer: z.number().int() });
const ids = z.array(z.string()).optional();

/** A HAL collection: `_embedded.<key>` (a search without results may omit both). */
const collection = <K extends string, S extends z.ZodType>(key: K, item: S) =>
  z.looseObject({
    _embedded: z
      .looseObject({ [key]: z.array(item).default([]) } as Record<K, z.ZodDefault<z.ZodArray<S>>>)
      .optional(),
  });

/** PersoonBeperkt: for an ingeschreven natuurlijk persoon `identificatie` is the BSN. */
export const brkPersoonBeperktSchema = z.looseObject({
  identificatie: z.string().optional(),
  omschrijving: z.string().optional(),
  type: z
    .enum([
      "ingeschreven_natuurlijk_persoon",
      "kadaster_natuurlijk_persoon",
      "ingeschreven_niet_natuurlijk_persoon",
      "kadaster_niet_natuurlijk_persoon",
    ])
    .optional(),
});
export type BrkPersoonBeperkt = z.infer<typeof brkPersoonBeperktSchema>;

export const brkAdresSchema = z.looseObject({
  straat: z.string().optional(),
  huisnummer: z.number().int().optional(),
  huisletter: z.string().optional(),
  huisnummertoevoeging: z.string().optional(),
  postcode: z.string().optional(),
  woonplaats: z.string().optional(),
  nummeraanduidingIdentificatie: z.string().optional(),
  adresseerbaarObjectIdentificatie: z.string().optional(),
});

export const brkZaakSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  type: z.enum(["perceel", "appartementsrecht"]).optional(),
  kadastraleAanduiding: z.string().optional(),
  kadastraleGrootte: z
    .looseObject({ waarde: z.number().int().optional(), soortGrootte: waarde.optional() })
    .optional(),
  aardCultuurBebouwd: waarde.optional(),
  aardCultuurOnbebouwd: waarde.optional(),
  koopsom: z
    .looseObject({ koopsom: z.number().int().optional(), koopjaar: z.number().int().optional() })
    .optional(),
  adressen: z.array(brkAdresSchema).optional(),
  zakelijkGerechtigdeIdentificaties: ids,
  hypotheekIdentificaties: ids,
  beslagIdentificaties: ids,
  privaatrechtelijkeBeperkingIdentificaties: ids,
});
/** A kadastraal onroerende zaak as the gateway reads it (HAL `_links` passed through, not relied on). */
export type BrkZaak = z.infer<typeof brkZaakSchema>;

export const brkZakenResponseSchema = collection("kadastraalOnroerendeZaken", brkZaakSchema);

export const brkZakelijkGerechtigdeSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  type: z.string().optional(),
  aanvangsdatum: z.string().optional(),
  tenaamstelling: z.looseObject({ aandeel: breuk.optional(), stukIdentificaties: ids }).optional(),
  persoon: brkPersoonBeperktSchema.optional(),
});
export type BrkZakelijkGerechtigde = z.infer<typeof brkZakelijkGerechtigdeSchema>;
export const brkZakelijkGerechtigdenResponseSchema = collection(
  "zakelijkGerechtigden",
  brkZakelijkGerechtigdeSchema,
);

export const brkHypotheekSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  bedragZekerheidsstelling: bedrag.optional(),
  hypotheekhouders: z.array(brkPersoonBeperktSchema).optional(),
  stukIdentificaties: ids,
});
export type BrkHypotheek = z.infer<typeof brkHypotheekSchema>;
export const brkHypothekenResponseSchema = collection("hypotheken", brkHypotheekSchema);

export const brkBeslagSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  aard: waarde.optional(),
  bedragVordering: bedrag.optional(),
  beslagleggers: z.array(brkPersoonBeperktSchema).optional(),
  stukIdentificaties: ids,
});
export type BrkBeslag = z.infer<typeof brkBeslagSchema>;
export const brkBeslagenResponseSchema = collection("beslagen", brkBeslagSchema);

export const brkPrivaatrechtelijkeBeperkingSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  aard: waarde.optional(),
  omschrijving: z.string().optional(),
  stukIdentificaties: ids,
});
export type BrkPrivaatrechtelijkeBeperking = z.infer<typeof brkPrivaatrechtelijkeBeperkingSchema>;
export const brkPrivaatrechtelijkeBeperkingenResponseSchema = collection(
  "privaatrechtelijkeBeperkingen",
  brkPrivaatrechtelijkeBeperkingSchema,
);

export const brkPubliekrechtelijkeBeperkingSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  grondslag: waarde.optional(),
  datumInWerking: z.string().optional(),
  datumBeeindiging: z.string().optional(),
  bevoegdGezag: brkPersoonBeperktSchema.optional(),
  stukIdentificaties: ids,
});
export type BrkPubliekrechtelijkeBeperking = z.infer<typeof brkPubliekrechtelijkeBeperkingSchema>;
export const brkPubliekrechtelijkeBeperkingenResponseSchema = collection(
  "publiekrechtelijkeBeperkingen",
  brkPubliekrechtelijkeBeperkingSchema,
);

/** KadasterNietNatuurlijkPersoon: `kvkNummer` is the link to the Handelsregister. */
export const brkNietNatuurlijkPersoonSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  statutaireNaam: z.string().optional(),
  statutaireZetel: z.string().optional(),
  kvkNummer: z.string().optional(),
  rsin: z.string().optional(),
});
export type BrkNietNatuurlijkPersoon = z.infer<typeof brkNietNatuurlijkPersoonSchema>;

export const brkStukSchema = z.looseObject({
  identificatie: z.string().regex(BRK_ID),
  aard: waarde.optional(),
  deelEnNummer: z
    .looseObject({
      deel: z.string().optional(),
      nummer: z.string().optional(),
      soortRegister: waarde.optional(),
    })
    .optional(),
});
export type BrkStuk = z.infer<typeof brkStukSchema>;
