import type { Bsn, KvkNummer } from "../../shared/index.ts";
import type { Company, KvkRegister } from "../kvk/index.ts";
import {
  createRng,
  hash32,
  type Address,
  type AddressQuery,
  type Municipality,
  type Person,
} from "../synthetic/index.ts";
import type {
  BrkPersoonRecord,
  BrkStukRecord,
  BrkWaarde,
  BrkZaakRecord,
  BrkZakelijkGerechtigdeRecord,
} from "./brk-records.ts";

/** Ids a test, the demo or another simulator can rely on for a given municipality. */
export interface BrkWellKnown {
  /** The municipality's well-known resident: owns (with a mortgage) the address they live at. */
  readonly ownerBsn: Bsn;
  readonly ownedAddress: Address;
  /** A parcel with an attachment (beslag), a private and a public-law restriction and a mortgage. */
  readonly encumberedAddress: Address;
  /** A parcel with an owner and nothing else: no mortgage, attachment or restriction. */
  readonly unencumberedAddress: Address;
  /** A company of the Handelsregister (the café BV) that owns the parcel of its head office. */
  readonly companyKvkNummer: KvkNummer;
  readonly companyAddress: Address;
  /** A person in the BRP (registered elsewhere) who owns nothing in this municipality. */
  readonly nonOwnerBsn: Bsn;
}

/** The Kadaster (BRK) of a synthetic municipality: one perceel per address of the municipality. */
export interface BrkRegister {
  readonly wellKnown: BrkWellKnown;
  zaak(identificatie: string): BrkZaakRecord | undefined;
  /** The zaken at the addresses matching the query (huisletter / toevoeging compared when given). */
  zakenOpAdres(query: AddressQuery): BrkZaakRecord[];
  zaakOpNummeraanduiding(nummeraanduidingIdentificatie: string): BrkZaakRecord | undefined;
  /** The zaken on which this BSN holds a right (an ingeschreven natuurlijk persoon). */
  zakenVanPersoon(bsn: string): BrkZaakRecord[];
  /** The zaken on which this Kadaster (niet-natuurlijk) persoon holds a right. */
  zakenVanKadasterPersoon(identificatie: string): BrkZaakRecord[];
  /** A company that holds a right somewhere, by the Kadaster's identification of it. */
  kadasterNietNatuurlijkPersoon(
    identificatie: string,
  ): Extract<BrkPersoonRecord, { kind: "onderneming" }> | undefined;
  stuk(identificatie: string): BrkStukRecord | undefined;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const SECTIES = ["A", "B", "C", "D", "E", "F", "G", "H", "K", "L", "M", "N"];
const CULTUUR: readonly BrkWaarde[] = [
  { code: "11", waarde: "Wonen" },
  { code: "14", waarde: "Wonen (appartement)" },
  { code: "21", waarde: "Bedrijvigheid (Handel)" },
];
const AKTE_VAN_LEVERING: BrkWaarde = { code: "2", waarde: "Akte van Levering" };
const HYPOTHEEKAKTE: BrkWaarde = { code: "1", waarde: "Hypotheekakte" };
const AKTE_BESLAG: BrkWaarde = { code: "5", waarde: "Proces-verbaal van beslag" };
const BANK = { identificatie: "NL.IMKAD.Persoon.500000001", omschrijving: "Synthetische Hypotheekbank N.V." };
const DEURWAARDER = {
  identificatie: "NL.IMKAD.Persoon.500000002",
  omschrijving: "Synthetisch Incassobureau B.V.",
};

const kadasterIdOf = (c: Company) =>
  `NL.IMKAD.Persoon.${pad(172_000_000 + (hash32(Number(c.kvkNummer)) % 9_000_000), 9)}`;
const isRechtspersoon = (c: Company) => c.rsin !== undefined && c.datumEinde === undefined;
const adult = (p: Person) => !p.overlijdensdatum && Number(p.geboortedatum.slice(0, 4)) <= 2003;
const naamVan = (p: Person) => [p.voornamen, p.voorvoegsel, p.geslachtsnaam].filter(Boolean).join(" ");

/**
 * Creates the Kadaster over a municipality and its Handelsregister, deterministically from the
 * seed: every address of the municipality is one perceel. A legal person owns the perceel of its
 * head office; otherwise the adult residents own their home (partners half each), except that
 * about 30% of homes, and every vacant one, belong to one landlord company of the Handelsregister.
 * Mortgages, attachments and restrictions are drawn per perceel; the well-known ones are forced.
 */
export function createBrkRegister(municipality: Municipality, kvk: KvkRegister): BrkRegister {
  const { seed, code, name } = municipality;
  const headOffice = new Map<string, Company>();
  const byKadasterId = new Map<string, Company>();
  for (const c of kvk.companies) {
    if (!isRechtspersoon(c) || c.kvkTestCompany) continue;
    byKadasterId.set(kadasterIdOf(c), c);
    const hoofd = c.vestigingen.find((v) => v.hoofdvestiging);
    const id = hoofd?.adres.nummeraanduidingIdentificatie;
    if (id && !headOffice.has(id)) headOffice.set(id, c);
  }
  const landlord = [...byKadasterId.values()].find((c) => c.kvkNummer !== kvk.wellKnown.horecaKvkNummer);
  const residentAddress = municipality.wellKnown.residentAddress;
  const serialOf = (a: Address) => Number(a.nummeraanduidingIdentificatie.slice(6));
  const residentSerial = serialOf(residentAddress);
  const at = (serial: number) => municipality.addressAt((serial - 1) % municipality.addressCount);
  const encumberedSerial = (residentSerial % municipality.addressCount) + 1;
  const unencumberedSerial = ((residentSerial + 1) % municipality.addressCount) + 1;

  const onderneming = (c: Company): BrkPersoonRecord => ({
    kind: "onderneming",
    identificatie: kadasterIdOf(c),
    kvkNummer: c.kvkNummer,
    rsin: c.rsin,
    statutaireNaam: c.statutaireNaam ?? c.naam,
    statutaireZetel: name,
  });

  function owners(a: Address, rented: boolean): BrkPersoonRecord[] {
    // The well-known resident's home is theirs, whichever company is registered there.
    const company = a.id === residentAddress.id ? undefined : headOffice.get(a.nummeraanduidingIdentificatie);
    if (company) return [onderneming(company)];
    const residents = municipality.residentsOf(a).filter(adult);
    const first = residents[0];
    if (first && !rented) {
      const partner = residents.find((p) => first.partners.some((l) => l.bsn === p.bsn));
      return [first, ...(partner ? [partner] : [])].map((p) => ({
        kind: "persoon",
        bsn: p.bsn,
        omschrijving: naamVan(p),
      }));
    }
    return landlord ? [onderneming(landlord)] : [];
  }

  const zaken = new Map<string, BrkZaakRecord>();
  const stukken = new Map<string, BrkStukRecord>();
  function zaakOf(a: Address): BrkZaakRecord {
    const serial = serialOf(a);
    const identificatie = `${code}${pad(serial, 7)}000`;
    const cached = zaken.get(identificatie);
    if (cached) return cached;
    const r = createRng(hash32(seed, serial, 0x42524b));
    const jaar = r.int(1975, 2024);
    const stuk = (k: number, aard: BrkWaarde, hyp: boolean): BrkStukRecord => {
      const s: BrkStukRecord = {
        identificatie: `NL.IMKAD.TIAStuk.${jaar}${pad(serial, 7)}${k}`,
        aard,
        deel: String(r.int(10_000, 80_000)),
        nummer: String(r.int(1, 199)),
        soortRegister: hyp ? { code: "4", waarde: "Hypotheken 4" } : { code: "3", waarde: "Hypotheken 3" },
      };
      stukken.set(s.identificatie, s);
      return s;
    };
    const wellKnownOwned = serial === residentSerial;
    const encumbered = serial === encumberedSerial;
    const clean = serial === unencumberedSerial;
    const rented = !wellKnownOwned && r.chance(0.3);
    const levering = stuk(0, AKTE_VAN_LEVERING, false);
    const persons = owners(a, rented);
    const gerechtigden: BrkZakelijkGerechtigdeRecord[] = persons.map((persoon, k) => ({
      identificatie: `NL.IMKAD.Tenaamstelling.${identificatie}${k}`,
      type: "eigenaar",
      aanvangsdatum: `${jaar}-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)}`,
      aandeel: { teller: 1, noemer: persons.length },
      persoon,
      stuk: levering,
    }));
    const mortgaged =
      !clean && (wellKnownOwned || encumbered || r.chance(persons[0]?.kind === "persoon" ? 0.6 : 0.3));
    const seized = !clean && (encumbered || r.chance(0.04));
    const privaat = !clean && (encumbered || r.chance(0.06));
    const publiek = !clean && (encumbered || r.chance(0.05));
    const zaak: BrkZaakRecord = {
      identificatie,
      type: "perceel",
      kadastraleAanduiding: `${name} ${r.pick(SECTIES)} ${r.int(1, 9999)}`,
      kadastraleGrootte: r.int(60, 900),
      aardCultuurBebouwd: r.pick(CULTUUR),
      ...(r.chance(0.8) ? { koopsom: { koopsom: r.int(90, 900) * 1000, koopjaar: jaar } } : {}),
      adres: a,
      zakelijkGerechtigden: gerechtigden,
      hypotheken: mortgaged
        ? [
            {
              identificatie: `NL.IMKAD.Hypotheek.${identificatie}1`,
              bedragZekerheidsstelling: r.int(50, 600) * 1000,
              hypotheekhouder: BANK,
              stuk: stuk(1, HYPOTHEEKAKTE, true),
            },
          ]
        : [],
      beslagen: seized
        ? [
            {
              identificatie: `NL.IMKAD.Beslag.${identificatie}1`,
              aard: { code: "1", waarde: "Executoriaal beslag" },
              bedragVordering: r.int(2, 90) * 1000,
              beslaglegger: DEURWAARDER,
              stuk: stuk(2, AKTE_BESLAG, true),
            },
          ]
        : [],
      privaatrechtelijkeBeperkingen: privaat
        ? [
            {
              identificatie: `NL.IMKAD.Aantekening.${identificatie}1`,
              aard: { code: "8", waarde: "Kettingbeding" },
              omschrijving: "Kettingbeding ten behoeve van de gemeente",
              stuk: stuk(3, { code: "3", waarde: "Akte van vestiging" }, false),
            },
          ]
        : [],
      publiekrechtelijkeBeperkingen: publiek
        ? [
            {
              identificatie: `NL.IMKAD.PubliekrechtelijkeBeperking.${identificatie}1`,
              grondslag: { code: "WVG", waarde: "Wet voorkeursrecht gemeenten" },
              datumInWerking: `${Math.max(jaar, 2005)}-01-01`,
              bevoegdGezag: {
                identificatie: `NL.IMKAD.Persoon.${code}00000`,
                omschrijving: `Gemeente ${name}`,
              },
              stuk: stuk(4, { code: "6", waarde: "Beschikking" }, false),
            },
          ]
        : [],
    };
    zaken.set(identificatie, zaak);
    return zaak;
  }

  const inMunicipality = (a: Address | undefined): a is Address => a !== undefined && a.gemeenteCode === code;
  let byHolder: Map<string, string[]> | undefined;
  // Only a full pass finds every perceel of a landlord; it runs once, on the first such question.
  const holders = () => {
    if (byHolder) return byHolder;
    const index = new Map<string, string[]>();
    for (let i = 0; i < municipality.addressCount; i++) {
      const a = municipality.addressAt(i);
      if (!inMunicipality(a)) continue;
      const z = zaakOf(a);
      for (const g of z.zakelijkGerechtigden)
        if (g.persoon.kind === "onderneming")
          index.set(g.persoon.identificatie, [
            ...(index.get(g.persoon.identificatie) ?? []),
            z.identificatie,
          ]);
    }
    return (byHolder = index);
  };

  const horeca = kvk.byKvkNummer(kvk.wellKnown.horecaKvkNummer);
  const companyAddressId = horeca?.vestigingen.find((v) => v.hoofdvestiging)?.adres
    .nummeraanduidingIdentificatie;
  const must = (a: Address | undefined, what: string): Address => {
    if (!a) throw new Error(`brk-synthetic: no ${what}`);
    return a;
  };
  const wellKnown: BrkWellKnown = {
    ownerBsn: municipality.wellKnown.residentBsn,
    ownedAddress: residentAddress,
    encumberedAddress: must(at(encumberedSerial), "encumbered address"),
    unencumberedAddress: must(at(unencumberedSerial), "unencumbered address"),
    companyKvkNummer: kvk.wellKnown.horecaKvkNummer,
    companyAddress: must(
      companyAddressId ? municipality.addressByNummeraanduidingId(companyAddressId) : undefined,
      "company address",
    ),
    nonOwnerBsn: municipality.wellKnown.elsewhereBsn,
  };

  return {
    wellKnown,
    zaak(identificatie) {
      if (!/^[0-9]{14}$/.test(identificatie) || !identificatie.startsWith(code)) return undefined;
      const a = at(Number(identificatie.slice(4, 11)));
      return inMunicipality(a) && serialOf(a) === Number(identificatie.slice(4, 11)) ? zaakOf(a) : undefined;
    },
    zakenOpAdres: (query) => municipality.findAddresses(query).filter(inMunicipality).map(zaakOf),
    zaakOpNummeraanduiding(id) {
      const a = municipality.addressByNummeraanduidingId(id);
      return inMunicipality(a) ? zaakOf(a) : undefined;
    },
    zakenVanPersoon(bsn) {
      const home = municipality.personByBsn(bsn)?.verblijfplaats;
      if (home?.kind !== "adres" || !inMunicipality(home.address)) return [];
      const z = zaakOf(home.address);
      return z.zakelijkGerechtigden.some((g) => g.persoon.kind === "persoon" && g.persoon.bsn === bsn)
        ? [z]
        : [];
    },
    zakenVanKadasterPersoon: (identificatie) =>
      (holders().get(identificatie) ?? []).flatMap((id) => {
        const z = zaken.get(id);
        return z ? [z] : [];
      }),
    kadasterNietNatuurlijkPersoon(identificatie) {
      const c = byKadasterId.get(identificatie);
      const p = c && onderneming(c);
      return p?.kind === "onderneming" ? p : undefined;
    },
    stuk(identificatie) {
      const known = stukken.get(identificatie);
      if (known) return known;
      // A stuk is made with its zaak: make the zaak it belongs to, then look again.
      const m = /^NL\.IMKAD\.TIAStuk\.[0-9]{4}([0-9]{7})[0-9]$/.exec(identificatie);
      const a = m ? at(Number(m[1])) : undefined;
      if (inMunicipality(a)) zaakOf(a);
      return stukken.get(identificatie);
    },
  };
}
