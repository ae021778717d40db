import type { Bsn, KvkNummer } from "../../shared/index.ts";
import {
  createRng,
  hash32,
  type Address,
  type Municipality,
  type Person,
  type Rng,
} from "../synthetic/index.ts";
import { isActive, type Company, type KvkAdres, type Rechtsvorm, type Vestiging } from "./kvk-model.ts";
import { KVK_TEST_COMPANIES } from "./kvk-test-companies.ts";
import { SECTORS, type Sector } from "./kvk-sectors.ts";

/** Ids a test, the demo or another simulator can rely on for a given municipality. */
export interface KvkWellKnown {
  /** Eenmanszaak with a restaurant (SBI 5610), owned by the municipality's well-known resident. */
  readonly eenmanszaakKvkNummer: KvkNummer;
  readonly eigenaarBsn: Bsn;
  /** A BV running a café (SBI 5630) with a hoofdvestiging and a nevenvestiging. */
  readonly horecaKvkNummer: KvkNummer;
  /** A registration that ended (only found with inclusiefInactieveRegistraties). */
  readonly inactiveKvkNummer: KvkNummer;
  /** Eight digits, but no company has it. */
  readonly unknownKvkNummer: KvkNummer;
  /** The address of the eenmanszaak's hoofdvestiging (an address of the municipality). */
  readonly vestigingAddress: KvkAdres;
  /** An address of the municipality where no company has a vestiging. */
  readonly addressWithoutVestiging: Address;
}

/** The Handelsregister of a synthetic municipality: its companies plus KVK's test companies. */
export interface KvkRegister {
  /** Generated companies in index order, then KVK's test companies. */
  readonly companies: readonly Company[];
  readonly wellKnown: KvkWellKnown;
  byKvkNummer(kvkNummer: string): Company | undefined;
  byVestigingsnummer(vestigingsnummer: string): { company: Company; vestiging: Vestiging } | undefined;
  /** Vestigingen at postcode + huisnummer (huisletter compared when given), active or not. */
  vestigingenAt(postcode: string, huisnummer: number, huisletter?: string): Vestiging[];
  /** Companies whose eigenaar (eenmanszaak) is this person. */
  ownedBy(bsn: string): Company[];
}

export interface KvkRegisterOptions {
  /** Generated companies; default one per 20 addresses, at least 40, at most 20 000. */
  readonly companyCount?: number;
}

const KVK_SPACE = 9_000_000;
const KVK_A = 7_654_321; // coprime with 2, 3 and 5: i ↦ (A·i + B) mod SPACE is a bijection
const KVK_B = 1_234_567;
const UNKNOWN_KVK = "10000001";
const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** 80 000 000 – 88 999 999: disjoint from KVK's test numbers (5…, 6…, 9…). */
const kvkNummerFor = (i: number) => String(80_000_000 + ((KVK_A * i + KVK_B) % KVK_SPACE)) as KvkNummer;
const vestigingsnummerFor = (i: number, k: number) => pad(100_000_000 + i * 10 + k, 12);

/** RSIN = eight digits + 11-check digit; of 80·2i and 80·(2i+1) one always has a check digit. */
function rsinFor(i: number): string {
  for (const base of [80_000_000 + 2 * i, 80_000_001 + 2 * i]) {
    const s = String(base);
    let sum = 0;
    for (let d = 0; d < 8; d++) sum += Number(s[d]) * (9 - d);
    if (sum % 11 < 10) return s + String(sum % 11);
  }
  throw new Error("kvk-synthetic: no RSIN check digit");
}

const kvkAdres = (a: Address): KvkAdres => ({
  straatnaam: a.officieleStraatnaam,
  huisnummer: a.huisnummer,
  ...(a.huisletter === undefined ? {} : { huisletter: a.huisletter }),
  ...(a.huisnummertoevoeging === undefined ? {} : { huisnummertoevoeging: a.huisnummertoevoeging }),
  postcode: a.postcode,
  plaats: a.woonplaats,
  adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie,
  nummeraanduidingIdentificatie: a.nummeraanduidingIdentificatie,
});

const achternaam = (p: Pick<Person, "voorvoegsel" | "geslachtsnaam">) =>
  p.voorvoegsel
    ? `${p.voorvoegsel[0]?.toUpperCase()}${p.voorvoegsel.slice(1)} ${p.geslachtsnaam}`
    : p.geslachtsnaam;

const RECHTSVORMEN: readonly (readonly [Rechtsvorm, string, number])[] = [
  ["Eenmanszaak", "Eenmanszaak", 0.45],
  ["BeslotenVennootschap", "Besloten Vennootschap", 0.3],
  ["VennootschapOnderFirma", "Vennootschap onder firma", 0.1],
  ["Maatschap", "Maatschap", 0.04],
  ["Stichting", "Stichting", 0.05],
  ["Vereniging", "Vereniging met volledige rechtsbevoegdheid", 0.04],
  ["NaamlozeVennootschap", "Naamloze Vennootschap", 0.02],
];

function pickRechtsvorm(r: Rng): readonly [Rechtsvorm, string] {
  let roll = r.next();
  for (const [vorm, uitgebreid, p] of RECHTSVORMEN) {
    if (roll < p) return [vorm, uitgebreid];
    roll -= p;
  }
  return ["Eenmanszaak", "Eenmanszaak"];
}

const SUFFIX: Partial<Record<Rechtsvorm, string>> = {
  BeslotenVennootschap: " B.V.",
  NaamlozeVennootschap: " N.V.",
  VennootschapOnderFirma: " V.O.F.",
};

/**
 * Creates the Handelsregister over a municipality, deterministically from its seed: company i
 * depends only on (seed, i), its vestigingen lie at municipality addresses (with their BAG ids),
 * the eigenaar of an eenmanszaak is a living, adult resident. Company 0 is a restaurant owned by
 * the well-known resident, company 1 a café BV with a nevenvestiging, company 3 is inactive.
 */
export function createKvkRegister(municipality: Municipality, options: KvkRegisterOptions = {}): KvkRegister {
  const count =
    options.companyCount ?? Math.min(20_000, Math.max(40, Math.floor(municipality.addressCount / 20)));
  const addressOf = (h: number): Address => {
    const a = municipality.addressAt(h % municipality.addressCount);
    if (!a) throw new Error("kvk-synthetic: address slot missing");
    return a;
  };
  const adultResident = (start: number): Person | undefined => {
    for (let k = 0; k < Math.min(municipality.size, 64); k++) {
      const p = municipality.personAt((start + k) % municipality.size);
      const home = p?.verblijfplaats;
      if (
        p &&
        !p.overlijdensdatum &&
        Number(p.geboortedatum.slice(0, 4)) <= 2003 &&
        home?.kind === "adres" &&
        home.address.gemeenteCode === municipality.code
      )
        return p;
    }
    return undefined;
  };

  function generate(i: number): Company {
    const r = createRng(hash32(municipality.seed, i, 0x4b564b));
    const forced: Record<number, [Rechtsvorm, string, Sector["id"]]> = {
      0: ["Eenmanszaak", "Eenmanszaak", "restaurant"],
      1: ["BeslotenVennootschap", "Besloten Vennootschap", "cafe"],
      2: ["VennootschapOnderFirma", "Vennootschap onder firma", "bouw"],
    };
    const [rechtsvorm, uitgebreideRechtsvorm] = forced[i] ?? pickRechtsvorm(r);
    const sector = SECTORS.find((s) => s.id === forced[i]?.[2]) ?? r.pick(SECTORS);
    const kvkNummer = kvkNummerFor(i);
    const eigenaar =
      rechtsvorm === "Eenmanszaak"
        ? i === 0
          ? municipality.personByBsn(municipality.wellKnown.residentBsn)
          : adultResident(r.int(0, municipality.size - 1))
        : undefined;
    const name = achternaam(
      eigenaar ?? adultResident(r.int(0, municipality.size - 1)) ?? { geslachtsnaam: "Maas" },
    );
    const naam = sector.name(name, r) + (SUFFIX[rechtsvorm] ?? "");
    const second = r.chance(0.3) ? r.pick(SECTORS.filter((s) => s.id !== sector.id)) : undefined;
    const sbiActiviteiten = [
      { ...sector.sbi, indHoofdactiviteit: true },
      ...(second ? [{ ...second.sbi, indHoofdactiviteit: false }] : []),
    ];
    const home = eigenaar?.verblijfplaats?.kind === "adres" ? eigenaar.verblijfplaats.address : undefined;
    const hoofdAdres =
      home && i !== 0 && r.chance(0.4) ? home : addressOf(hash32(municipality.seed, i, 0xad));
    const groot = rechtsvorm !== "Eenmanszaak";
    const vestiging = (k: number, adres: Address, handelsnaam: string): Vestiging => ({
      vestigingsnummer: vestigingsnummerFor(i, k),
      kvkNummer,
      eersteHandelsnaam: handelsnaam,
      handelsnamen: [handelsnaam],
      hoofdvestiging: k === 0,
      commercieel: sector.commercieel,
      adres: kvkAdres(adres),
      sbiActiviteiten,
      voltijdWerkzamePersonen: groot ? r.int(1, 25) : 1,
      deeltijdWerkzamePersonen: groot ? r.int(0, 15) : r.int(0, 1),
    });
    const vestigingen = [vestiging(0, hoofdAdres, naam)];
    if (i === 1 || (i > 3 && r.chance(groot ? 0.15 : 0.05)))
      vestigingen.push(vestiging(1, addressOf(hash32(municipality.seed, i, 0xae)), `${naam} (filiaal)`));
    const year = r.int(1995, 2023);
    const datum = `${year}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}`;
    const inactive = i === 3 || (i > 3 && r.chance(0.04));
    return {
      kvkNummer,
      ...(rechtsvorm === "Eenmanszaak" ? {} : { rsin: rsinFor(i), statutaireNaam: naam }),
      naam,
      rechtsvorm,
      uitgebreideRechtsvorm,
      ...(eigenaar ? { eigenaarBsn: eigenaar.bsn } : {}),
      handelsnamen: [naam],
      sbiActiviteiten,
      vestigingen,
      formeleRegistratiedatum: datum,
      datumAanvang: datum,
      ...(inactive ? { datumEinde: `${Math.min(2024, year + r.int(1, 10))}0101` } : {}),
      kvkTestCompany: false,
    };
  }

  const companies = [...Array.from({ length: count }, (_, i) => generate(i)), ...KVK_TEST_COMPANIES];
  const byKvk = new Map(companies.map((c) => [c.kvkNummer as string, c]));
  const byVestiging = new Map(
    companies.flatMap((company) =>
      company.vestigingen.map((v) => [v.vestigingsnummer, { company, vestiging: v }] as const),
    ),
  );
  const atAddress = new Map<string, Vestiging[]>();
  const byOwner = new Map<string, Company[]>();
  for (const c of companies) {
    for (const v of c.vestigingen) {
      const key = `${v.adres.postcode}|${v.adres.huisnummer}`;
      atAddress.set(key, [...(atAddress.get(key) ?? []), v]);
    }
    if (c.eigenaarBsn) byOwner.set(c.eigenaarBsn, [...(byOwner.get(c.eigenaarBsn) ?? []), c]);
  }
  const vestigingenAt = (postcode: string, huisnummer: number, huisletter?: string) =>
    (atAddress.get(`${postcode.replace(/\s+/g, "").toUpperCase()}|${huisnummer}`) ?? []).filter(
      (v) =>
        huisletter === undefined || (v.adres.huisletter ?? "").toLowerCase() === huisletter.toLowerCase(),
    );

  const first = companies[0];
  const cafe = companies[1];
  const inactive = companies.find((c) => !isActive(c));
  const vestigingAddress = first?.vestigingen[0]?.adres;
  let free: Address | undefined;
  for (let k = 0; k < municipality.addressCount && !free; k++) {
    const a = municipality.addressAt(k);
    if (a && !atAddress.has(`${a.postcode}|${a.huisnummer}`)) free = a;
  }
  if (!first?.eigenaarBsn || !cafe || !inactive || !vestigingAddress || !free)
    throw new Error("kvk-synthetic: well-known companies missing");
  const wellKnown: KvkWellKnown = Object.freeze({
    eenmanszaakKvkNummer: first.kvkNummer,
    eigenaarBsn: first.eigenaarBsn,
    horecaKvkNummer: cafe.kvkNummer,
    inactiveKvkNummer: inactive.kvkNummer,
    unknownKvkNummer: UNKNOWN_KVK as KvkNummer,
    vestigingAddress,
    addressWithoutVestiging: free,
  });

  return Object.freeze({
    companies,
    wellKnown,
    byKvkNummer: (n: string) => byKvk.get(n),
    byVestigingsnummer: (n: string) => byVestiging.get(n),
    vestigingenAt,
    ownedBy: (bsn: string) => byOwner.get(bsn) ?? [],
  });
}
