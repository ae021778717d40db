import { z } from "zod";

/**
 * zod schemas for BRP Bewoning responses: strict where the gateway reads a value (the bewoner
 * lists, the period), loose elsewhere. Shapes follow brp-bewoning.openapi.yaml.
 */
export const bewonerSchema = z.looseObject({
  burgerservicenummer: z
    .string()
    .regex(/^[0-9]{9}$/)
    .optional(),
  geheimhoudingPersoonsgegevens: z.boolean().optional(),
  inOnderzoek: z.boolean().optional(),
  naam: z.looseObject({ volledigeNaam: z.string().optional() }).optional(),
  geboorte: z.looseObject({ datum: z.looseObject({ type: z.string() }).optional() }).optional(),
});

export const bewoningSchema = z.looseObject({
  adresseerbaarObjectIdentificatie: z
    .string()
    .regex(/^[0-9]{16}$/)
    .optional(),
  periode: z.looseObject({ datumVan: z.iso.date().optional(), datumTot: z.iso.date().optional() }).optional(),
  bewoners: z.array(bewonerSchema).max(100).default([]),
  mogelijkeBewoners: z.array(bewonerSchema).max(100).default([]),
  indicatieVeelBewoners: z.boolean().optional(),
});

export const bewoningenResponseSchema = z.looseObject({ bewoningen: z.array(bewoningSchema).default([]) });

/** Who lived at an address in one period of constant composition. */
export type Bewoning = z.infer<typeof bewoningSchema>;
export type Bewoner = z.infer<typeof bewonerSchema>;
