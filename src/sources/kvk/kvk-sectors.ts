import type { Rng } from "../synthetic/index.ts";
import type { SbiActiviteit } from "./kvk-model.ts";

/** A line of business of generated companies: its SBI 2008 code and how such companies are named. */
export interface Sector {
  readonly id: string;
  readonly sbi: Omit<SbiActiviteit, "indHoofdactiviteit">;
  readonly commercieel: boolean;
  readonly name: (achternaam: string, r: Rng) => string;
}

const WORDS = ["De Maas", "Het Vrijthof", "De Kroon", "Sint Servaas", "De Jeker", "Mosae", "De Gouden Leeuw"];
const sector = (
  id: string,
  sbiCode: string,
  sbiOmschrijving: string,
  name: Sector["name"],
  commercieel = true,
): Sector => ({ id, sbi: { sbiCode, sbiOmschrijving }, commercieel, name });

/** Horeca (5610/5630) is over-represented on purpose: permit and probe scenarios need it. */
export const SECTORS: readonly Sector[] = [
  sector(
    "restaurant",
    "5610",
    "Restaurants",
    (n, r) => `${r.pick(["Restaurant", "Eetcafé", "Brasserie"])} ${n}`,
  ),
  sector("cafe", "5630", "Cafés", (_n, r) => `${r.pick(["Café", "Grand Café", "Bar"])} ${r.pick(WORDS)}`),
  sector("snackbar", "5610", "Restaurants", (n) => `Cafetaria ${n}`),
  sector("supermarkt", "4711", "Supermarkten en dergelijke winkels", (n) => `Buurtsuper ${n}`),
  sector("kleding", "4771", "Winkels in kleding", (n) => `Modehuis ${n}`),
  sector("telefoon", "4742", "Winkels in telecommunicatieapparatuur", (n) => `${n} Telecom`),
  sector("bouw", "4120", "Algemene burgerlijke en utiliteitsbouw", (n) => `Bouwbedrijf ${n}`),
  sector("schilder", "4334", "Schilderen en glaszetten", (n) => `Schildersbedrijf ${n}`),
  sector("kapper", "9602", "Haar- en schoonheidsverzorging", (n) => `Kapsalon ${n}`),
  sector("transport", "4941", "Goederenvervoer over de weg", (n) => `Transportbedrijf ${n}`),
  sector("vastgoed", "6820", "Verhuur van onroerend goed", (n) => `${n} Vastgoed`),
  sector("holding", "6420", "Financiële holdings", (n) => `${n} Holding`, false),
  sector("autohandel", "4511", "Handel in personenauto's", (n) => `Autobedrijf ${n}`),
  sector("advies", "7022", "Organisatie-adviesbureaus", (n) => `${n} Advies`),
];
