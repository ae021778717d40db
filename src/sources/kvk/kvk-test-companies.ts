import type { KvkNummer } from "../../shared/index.ts";
import type { Company, KvkAdres, SbiActiviteit, Vestiging } from "./kvk-model.ts";

/**
 * KVK's published test companies (the fictitious registrations of KVK's test environment,
 * api.kvk.nl/test) and the registration the Zoeken v2 spec uses in its parameter examples
 * (59581883 "Kamer van Koophandel", RSIN 823807071, vestiging 000015063097, St.-Jacobsstraat 300,
 * 3511BT Utrecht). Numbers, names, places and the vestigingsnummers 000037178598, 000038509504
 * and 000038509520 are KVK's; street addresses other than those KVK documents, RSINs of the test
 * companies, SBI codes and dates are illustrative. They lie outside the municipality (no BAG ids),
 * except that a search by their documented address finds them.
 */
const kvk = (n: string) => n as KvkNummer;
const sbi = (sbiCode: string, sbiOmschrijving: string, indHoofdactiviteit = true): SbiActiviteit => ({
  sbiCode,
  sbiOmschrijving,
  indHoofdactiviteit,
});

function vestiging(
  kvkNummer: KvkNummer,
  vestigingsnummer: string,
  naam: string,
  adres: KvkAdres,
  activiteiten: readonly SbiActiviteit[],
  hoofdvestiging = true,
): Vestiging {
  return {
    vestigingsnummer,
    kvkNummer,
    eersteHandelsnaam: naam,
    handelsnamen: [naam],
    hoofdvestiging,
    commercieel: true,
    adres,
    sbiActiviteiten: activiteiten,
    voltijdWerkzamePersonen: 1,
    deeltijdWerkzamePersonen: 0,
  };
}

function company(
  fields: Pick<Company, "kvkNummer" | "naam" | "rechtsvorm" | "uitgebreideRechtsvorm"> & {
    readonly rsin?: string;
    readonly vestigingen: readonly Vestiging[];
  },
): Company {
  const hoofd = fields.vestigingen[0];
  return {
    ...fields,
    ...(fields.rsin === undefined ? {} : { statutaireNaam: fields.naam }),
    handelsnamen: [fields.naam],
    sbiActiviteiten: hoofd?.sbiActiviteiten ?? [],
    formeleRegistratiedatum: "20170918",
    datumAanvang: "20170918",
    kvkTestCompany: true,
  };
}

const DONALD = kvk("68750110");
const DAGOBERT = kvk("69599084");
const BOLDERBAST = kvk("69599068");
const KATRIEN = kvk("68727720");
const KVK = kvk("59581883");

export const KVK_TEST_COMPANIES: readonly Company[] = [
  company({
    kvkNummer: DONALD,
    rsin: "855781002",
    naam: "Test BV Donald",
    rechtsvorm: "BeslotenVennootschap",
    uitgebreideRechtsvorm: "Besloten Vennootschap",
    vestigingen: [
      vestiging(
        DONALD,
        "000037178598",
        "Test BV Donald",
        { straatnaam: "Hizzaarderlaan", huisnummer: 3, postcode: "8752KE", plaats: "Lollum" },
        [sbi("6420", "Financiële holdings")],
      ),
    ],
  }),
  company({
    kvkNummer: DAGOBERT,
    naam: "Test EMZ Dagobert",
    rechtsvorm: "Eenmanszaak",
    uitgebreideRechtsvorm: "Eenmanszaak",
    vestigingen: [
      vestiging(
        DAGOBERT,
        "000038509504",
        "Test EMZ Dagobert",
        { straatnaam: "Abebe Bikilalaan", huisnummer: 17, postcode: "1034WL", plaats: "Amsterdam" },
        [sbi("7820", "Uitzendbureaus")],
      ),
      vestiging(
        DAGOBERT,
        "000038509520",
        "Test EMZ Nevenvestiging Govert",
        { straatnaam: "Wycker Brugstraat", huisnummer: 1, postcode: "6223GT", plaats: "Maastricht" },
        [sbi("7820", "Uitzendbureaus")],
        false,
      ),
    ],
  }),
  company({
    kvkNummer: BOLDERBAST,
    rsin: "855781014",
    naam: "Test Stichting Bolderbast",
    rechtsvorm: "Stichting",
    uitgebreideRechtsvorm: "Stichting",
    vestigingen: [
      vestiging(
        BOLDERBAST,
        "000037178601",
        "Test Stichting Bolderbast",
        { straatnaam: "Oosterwal", huisnummer: 1, postcode: "7241AR", plaats: "Lochem" },
        [sbi("9499", "Overige ideële organisaties")],
      ),
    ],
  }),
  company({
    kvkNummer: KATRIEN,
    rsin: "855781026",
    naam: "Test NV Katrien",
    rechtsvorm: "NaamlozeVennootschap",
    uitgebreideRechtsvorm: "Naamloze Vennootschap",
    vestigingen: [
      vestiging(
        KATRIEN,
        "000037143557",
        "Test NV Katrien",
        { straatnaam: "Molenweg", huisnummer: 2, postcode: "7241AS", plaats: "Lochem" },
        [sbi("4719", "Warenhuizen")],
      ),
    ],
  }),
  company({
    kvkNummer: KVK,
    rsin: "823807071",
    naam: "Kamer van Koophandel",
    rechtsvorm: "PubliekrechtelijkeRechtspersoon",
    uitgebreideRechtsvorm: "Publiekrechtelijke Rechtspersoon",
    vestigingen: [
      vestiging(
        KVK,
        "000015063097",
        "Kamer van Koophandel",
        { straatnaam: "St.-Jacobsstraat", huisnummer: 300, postcode: "3511BT", plaats: "Utrecht" },
        [sbi("8411", "Algemeen overheidsbestuur")],
      ),
    ],
  }),
];
