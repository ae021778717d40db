import { z } from "zod";

/**
 * zod schemas for WOZ Bevragen v1 answers (reference/woz-bevragen.openapi.yaml): strict on what the
 * gateway reads (identifications, the address, the values and their peildatum), loose elsewhere so
 * that a new upstream field does not break the gateway. Built once, when the module loads.
 */

/** `identificatie` of a WOZ object: the WOZ-objectnummer, 12 digits (path parameter pattern). */
export const WOZ_OBJECT_NUMMER = /^[0-9]{12}$/;
/** adresseerbaarObjectIdentificatie / nummeraanduidingIdentificatie query parameters. */
export const BAG_ID = /^[0-9]{16}$/;
export const POSTCODE = /^[1-9][0-9]{3}[A-Z]{2}$/;
export const HUISLETTER = /^[a-zA-Z]$/;
export const HUISNUMMERTOEVOEGING = /^[0-9a-zA-Z]{1,4}$/;

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);

/** StatusBeschikkingEnum of the spec. */
export const STATUS_BESCHIKKING = [
  "beschikking_genomen",
  "beschikking_vernietigd",
  "beschikking_herzien",
  "bezwaar_ingediend",
  "bezwaar_gehandhaafd",
  "bezwaar_veranderd",
  "waarde_ambtshalve_verminderd",
  "beroep_aangetekend",
  "beroep_gehandhaafd",
  "beroep_veranderd",
  "hoger_beroep_aangetekend",
  "hoger_beroep_gehandhaafd",
  "hoger_beroep_veranderd",
  "cassatie_ingesteld",
  "hoge_raad_gehandhaafd",
  "hoge_raad_veranderd",
  "hoge_raad_geding_verwezen",
  "voorlopige_aanslag",
] as const;
export type StatusBeschikking = (typeof STATUS_BESCHIKKING)[number];

export const wozWaardeSchema = z.looseObject({
  vastgesteldeWaarde: z.number().int().optional(),
  waardepeildatum: isoDate.optional(),
  ingangsdatum: isoDate.optional(),
  beschikkingsStatussen: z.array(z.enum(STATUS_BESCHIKKING)).optional(),
  indicatieBezwaarBeroep: z.boolean().optional(),
});
export type WozWaarde = z.infer<typeof wozWaardeSchema>;

export const wozAanduidingSchema = z.looseObject({
  straat: z.string().optional(),
  huisnummer: z.number().int().optional(),
  huisletter: z.string().optional(),
  huisnummertoevoeging: z.string().optional(),
  postcode: z.string().optional(),
  woonplaats: z.string().optional(),
  locatieomschrijving: z.string().optional(),
  nummeraanduidingIdentificatie: z.string().regex(BAG_ID).optional(),
});
export type WozAanduiding = z.infer<typeof wozAanduidingSchema>;

const kadastraalOnroerendeZaakSchema = z.looseObject({
  identificatie: z.string().optional(),
  aanduiding: z
    .looseObject({
      gemeentecode: z.string().optional(),
      sectie: z.string().optional(),
      perceelnummer: z.number().int().optional(),
      deelperceelnummer: z.string().optional(),
      appartementsindex: z.number().int().optional(),
    })
    .optional(),
  aanduidingMetGemeentenaam: z.string().optional(),
});

/**
 * A WOZ object as the gateway asks for it. The belanghebbenden (owner, occupant) are never asked
 * (see WOZ_FIELDS), so a schema for them would only invite their use.
 */
export const wozObjectSchema = z.looseObject({
  identificatie: z.string().regex(WOZ_OBJECT_NUMMER),
  aanduiding: wozAanduidingSchema.optional(),
  adresseerbaarObjectIdentificaties: z.array(z.string().regex(BAG_ID)).optional(),
  pandIdentificaties: z.array(z.string()).optional(),
  grondoppervlakte: z.number().int().optional(),
  kadastraalOnroerendeZaken: z.array(kadastraalOnroerendeZaakSchema).optional(),
  verantwoordelijkeGemeente: z
    .looseObject({ code: z.string().optional(), omschrijving: z.string().optional() })
    .optional(),
  waarden: z.array(wozWaardeSchema).optional(),
});
export type WozObject = z.infer<typeof wozObjectSchema>;

/** WozObjectHalCollectie: `_embedded` and `wozObjecten` may both be absent when nothing is found. */
export const wozObjectCollectieSchema = z.looseObject({
  _embedded: z.looseObject({ wozObjecten: z.array(wozObjectSchema).default([]) }).optional(),
});

/**
 * What the gateway asks of every WOZ object (the spec's `fields` parameter): everything it can
 * release, never `belanghebbendeEigenaar` / `belanghebbendeGebruiker` (owner and occupant are
 * personal data the intake may not see; the BRK answers for ownership under its own rules).
 * Data minimisation at the source, as for the BRP.
 */
export const WOZ_FIELDS = [
  "identificatie",
  "aanduiding",
  "adresseerbaarObjectIdentificaties",
  "pandIdentificaties",
  "grondoppervlakte",
  "kadastraalOnroerendeZaken",
  "verantwoordelijkeGemeente",
  "waarden",
] as const;
