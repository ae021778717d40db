import { addDays } from "../http/index.ts";
import type { Company, KvkRegister, Vestiging } from "../kvk/index.ts";
import { createRng, hash32, type Address, type Municipality, type Person } from "../synthetic/index.ts";
import { ZAAKTYPEN, zaaktypeOn } from "./permits-catalogue.ts";
import type {
  PermitBetrokkene,
  PermitRegister,
  PermitRolRecord,
  PermitZaakRecord,
} from "./permits-records.ts";
import { isAdult, isHoreca, wellKnownOf } from "./permits-well-known.ts";

const FROM_ADDRESS = 0x01;
const FROM_COMPANY = 0x02;
const ADDRESS_SLOTS = [
  ["OMGEVINGSVERGUNNING", 60],
  ["PARKEERVERGUNNING", 120],
  ["MELDING-OPENBARE-RUIMTE", 80],
] as const;
const COMPANY_SLOTS = [
  ["HORECAVERGUNNING", 950],
  ["EXPLOITATIEVERGUNNING", 800],
  ["BOETE-ALCOHOLWET", 100],
  ["EVENEMENTENVERGUNNING", 150],
] as const;
const PER_VESTIGING = 4;
const PER_COMPANY = 64;
const VESTIGINGEN_PER_COMPANY = PER_COMPANY / PER_VESTIGING;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const UUID_PARTS = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89a][0-9a-f]{3}-([0-9a-f]{2})([0-9a-f]{10})$/;

const OMSCHRIJVINGEN: Readonly<Record<string, readonly string[]>> = {
  OMGEVINGSVERGUNNING: ["Plaatsen dakkapel", "Verbouwen woning", "Plaatsen aanbouw", "Kappen boom"],
  PARKEERVERGUNNING: ["Parkeervergunning bewoners"],
  "MELDING-OPENBARE-RUIMTE": ["Losliggende stoeptegel", "Zwerfvuil", "Kapotte straatverlichting"],
  HORECAVERGUNNING: ["Horecavergunning"],
  EXPLOITATIEVERGUNNING: ["Exploitatievergunning"],
  "BOETE-ALCOHOLWET": ["Boete: schenken aan minderjarige", "Boete: geen leidinggevende aanwezig"],
  EVENEMENTENVERGUNNING: ["Terrasfeest", "Buurtbarbecue", "Live muziek op terras"],
};

const straat = (a: Address) =>
  `${a.officieleStraatnaam} ${a.huisnummer}${a.huisletter ?? ""}${a.huisnummertoevoeging ? `-${a.huisnummertoevoeging}` : ""}`;

/** An RSIN (eight digits + 11-check digit) for the municipality, from its CBS code. */
function municipalityRsin(code: string): string {
  for (let n = 0; n < 100; n++) {
    const base = `00${code}${String(n).padStart(2, "0")}`;
    let sum = 0;
    for (let d = 0; d < 8; d++) sum += Number(base[d]) * (9 - d);
    if (sum % 11 < 10) return base + String(sum % 11);
  }
  throw new Error("permits-synthetic: no RSIN check digit");
}

/**
 * The permit system of a synthetic municipality, deterministic from its seed and consistent with
 * its persons, addresses (BAG ids) and Handelsregister:
 * - per horeca vestiging (SBI 56xx) of a generated company: a horecavergunning, mostly an
 *   exploitatievergunning, sometimes a bestuurlijke boete Alcoholwet or an evenementenvergunning;
 *   rollen: the vestiging, the rechtspersoon (RSIN) if any, the eigenaar of an eenmanszaak; the
 *   zaakobject is the vestiging's BAG object. Built eagerly: at most 20 000 companies.
 * - per address, lazily from its index: an omgevingsvergunning, a parkeervergunning or a melding
 *   openbare ruimte, each with the address's first adult resident as initiator and the address
 *   as zaakobject. Nothing is stored per address, so a million persons cost nothing until asked.
 * Uuids encode where a zaak comes from (source, index, slot), so any zaak, rol or zaakobject is
 * found from its uuid without an index.
 */
export function createPermitRegister(municipality: Municipality, kvk: KvkRegister): PermitRegister {
  const seed = municipality.seed;
  const uuid = (source: number, key: number, group4: string) => {
    const a = hash32(seed, source, key, 0x1d);
    const b = hash32(seed, source, key, 0x2e);
    return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${group4}-${hex(source, 2)}${hex(key, 10)}`;
  };
  const forcedCompanies: ReadonlyMap<string, readonly number[]> = new Map([
    [kvk.wellKnown.eenmanszaakKvkNummer, [0, 1]],
    [kvk.wellKnown.horecaKvkNummer, [0, 1, 2]],
  ]);

  const addressIndex = (aoid: string): number | undefined => {
    if (!/^[0-9]{16}$/.test(aoid) || !aoid.startsWith(`${municipality.code}01`)) return undefined;
    const index = Number(aoid.slice(6)) - 1;
    return municipality.addressAt(index)?.adresseerbaarObjectIdentificatie === aoid ? index : undefined;
  };
  const holderOf = (address: Address) => municipality.residentsOf(address).find(isAdult);
  // Generating a person costs a household; the eigenaar of a company is asked for every slot.
  const eigenaren = new Map<string, Person | undefined>();
  const eigenaarOf = (c: Company): Person | undefined => {
    if (!c.eigenaarBsn) return undefined;
    if (!eigenaren.has(c.eigenaarBsn)) eigenaren.set(c.eigenaarBsn, municipality.personByBsn(c.eigenaarBsn));
    return eigenaren.get(c.eigenaarBsn);
  };

  function build(
    source: number,
    key: number,
    identificatie: string,
    startYearFrom: number,
    subject: string,
    rollen: readonly Omit<PermitRolRecord, "uuid">[],
    objecten: readonly Address[],
  ): PermitZaakRecord {
    const r = createRng(hash32(seed, source, key, 0x2a));
    const year = r.int(Math.max(2014, startYearFrom), 2025);
    const startdatum = `${year}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`;
    const zaaktype = zaaktypeOn(identificatie, startdatum);
    const weeks = zaaktype.doorlooptijdWeken;
    const open = year >= 2025 && r.chance(0.5);
    const einddatum = open ? undefined : addDays(startdatum, r.int(3, weeks * 7));
    const blijvend = zaaktype.kind === "omgevingsvergunning";
    return {
      uuid: uuid(source, key, "8000"),
      identificatie: `ZAAK-${year}-${hex(source, 2)}${String(key).padStart(8, "0")}`,
      zaaktype,
      omschrijving: `${r.pick(OMSCHRIJVINGEN[identificatie] ?? [zaaktype.omschrijving])} ${subject}`.slice(
        0,
        80,
      ),
      toelichting: `${zaaktype.omschrijving}, aangevraagd op ${startdatum}.`,
      registratiedatum: startdatum,
      startdatum,
      einddatumGepland: addDays(startdatum, weeks * 7),
      uiterlijkeEinddatumAfdoening: addDays(startdatum, weeks * 7 + 42),
      ...(einddatum === undefined ? {} : { einddatum }),
      archiefnominatie: blijvend ? "blijvend_bewaren" : "vernietigen",
      ...(einddatum === undefined || blijvend ? {} : { archiefactiedatum: addDays(einddatum, 365 * 7) }),
      rollen: rollen.map((rol, i) => ({ ...rol, uuid: uuid(source, key, `9${hex(i, 3)}`) })),
      objecten: objecten.map((address, i) => ({ address, uuid: uuid(source, key, `a${hex(i, 3)}`) })),
    };
  }

  /** Zaak `slot` of address `index`, if the address has one (and an adult resident to ask for it). */
  function addressZaak(index: number, slot: number): PermitZaakRecord | undefined {
    const spec = ADDRESS_SLOTS[slot];
    const address = municipality.addressAt(index);
    if (!spec || !address) return undefined;
    const forced = (slot === 0 && index === 0) || (slot === 1 && index === parkeerIndex);
    if (!forced && hash32(seed, index, slot, 0xadd) % 1000 >= spec[1]) return undefined;
    const holder = holderOf(address);
    if (!holder) return undefined;
    return build(
      FROM_ADDRESS,
      index * ADDRESS_SLOTS.length + slot,
      spec[0],
      2014,
      straat(address),
      [{ omschrijvingGeneriek: "initiator", betrokkene: { type: "natuurlijk_persoon", person: holder } }],
      [address],
    );
  }
  const addressZaken = (index: number) => ADDRESS_SLOTS.flatMap((_, slot) => addressZaak(index, slot) ?? []);

  function companyZaak(ci: number, k: number, slot: number): PermitZaakRecord | undefined {
    const company = kvk.companies[ci];
    const vestiging: Vestiging | undefined = company?.vestigingen[k];
    const spec = COMPANY_SLOTS[slot];
    const aoid = vestiging?.adres.adresseerbaarObjectIdentificatie;
    const address = aoid === undefined ? undefined : municipality.addressByAdresseerbaarObjectId(aoid);
    if (!company || !vestiging || !spec || !address || company.kvkTestCompany || !isHoreca(company))
      return undefined;
    const forced = k === 0 && (forcedCompanies.get(company.kvkNummer) ?? []).includes(slot);
    if (!forced && hash32(seed, ci, k, slot, 0xc0) % 1000 >= spec[1]) return undefined;
    const eigenaar = eigenaarOf(company);
    const betrokkenen: PermitBetrokkene[] = [
      { type: "vestiging", company, vestiging },
      ...(company.rsin ? [{ type: "niet_natuurlijk_persoon" as const, company }] : []),
      ...(eigenaar ? [{ type: "natuurlijk_persoon" as const, person: eigenaar }] : []),
    ];
    return build(
      FROM_COMPANY,
      ci * PER_COMPANY + k * PER_VESTIGING + slot,
      spec[0],
      Number(company.datumAanvang.slice(0, 4)),
      vestiging.eersteHandelsnaam,
      betrokkenen.map((betrokkene, i) => ({
        omschrijvingGeneriek: i === 0 ? "initiator" : "belanghebbende",
        betrokkene,
      })),
      [address],
    );
  }

  // The first address after the resident's with an adult resident: its parkeervergunning is forced.
  let parkeerIndex = 1;
  while (parkeerIndex < municipality.addressCount) {
    const a = municipality.addressAt(parkeerIndex);
    if (a && holderOf(a)) break;
    parkeerIndex++;
  }

  const companyZaken: PermitZaakRecord[] = [];
  kvk.companies.forEach((c, ci) => {
    if (c.kvkTestCompany || !isHoreca(c)) return;
    c.vestigingen.slice(0, VESTIGINGEN_PER_COMPANY).forEach((_, k) =>
      COMPANY_SLOTS.forEach((__, slot) => {
        const zaak = companyZaak(ci, k, slot);
        if (zaak) companyZaken.push(zaak);
      }),
    );
  });
  const index = <K>(keys: (z: PermitZaakRecord) => K[]) => {
    const map = new Map<K, PermitZaakRecord[]>();
    for (const z of companyZaken)
      for (const key of new Set(keys(z))) map.set(key, [...(map.get(key) ?? []), z]);
    return map;
  };
  const ofType = <T extends PermitBetrokkene["type"]>(z: PermitZaakRecord, type: T) =>
    z.rollen
      .map((r) => r.betrokkene)
      .filter((b): b is Extract<PermitBetrokkene, { type: T }> => b.type === type);
  const byBsn = index((z) => ofType(z, "natuurlijk_persoon").map((b) => b.person.bsn as string));
  const byRsin = index((z) => ofType(z, "niet_natuurlijk_persoon").flatMap((b) => b.company.rsin ?? []));
  const byVestiging = index((z) => ofType(z, "vestiging").map((b) => b.vestiging.vestigingsnummer));
  const byObject = index((z) => z.objecten.map((o) => o.address.adresseerbaarObjectIdentificatie));

  function zaakVan(resourceUuid: string): PermitZaakRecord | undefined {
    const [, source, key] = UUID_PARTS.exec(resourceUuid.toLowerCase()) ?? [];
    const k = parseInt(key ?? "", 16);
    if (source === hex(FROM_ADDRESS, 2))
      return addressZaak(Math.floor(k / ADDRESS_SLOTS.length), k % ADDRESS_SLOTS.length);
    if (source === hex(FROM_COMPANY, 2)) {
      const ci = Math.floor(k / PER_COMPANY);
      const slot = k % PER_VESTIGING;
      return companyZaak(ci, Math.floor((k % PER_COMPANY) / PER_VESTIGING), slot);
    }
    return undefined;
  }

  const zakenVanBsn = (bsn: string): PermitZaakRecord[] => {
    const person = municipality.personByBsn(bsn);
    const home = person?.verblijfplaats?.kind === "adres" ? person.verblijfplaats.address : undefined;
    const i = home ? addressIndex(home.adresseerbaarObjectIdentificatie) : undefined;
    const atHome = i === undefined ? [] : addressZaken(i);
    return [
      ...(byBsn.get(bsn) ?? []),
      ...atHome.filter((z) => ofType(z, "natuurlijk_persoon").some((b) => b.person.bsn === bsn)),
    ];
  };
  const zakenBijObject = (aoid: string): PermitZaakRecord[] => {
    const i = addressIndex(aoid);
    return [...(byObject.get(aoid) ?? []), ...(i === undefined ? [] : addressZaken(i))];
  };

  const register: Omit<PermitRegister, "wellKnown"> = {
    rsin: municipalityRsin(municipality.code),
    zaaktypen: ZAAKTYPEN,
    zaak: (u) => {
      const z = zaakVan(u);
      return z?.uuid === u.toLowerCase() ? z : undefined;
    },
    zaakVan,
    zakenVanBsn,
    zakenVanRsin: (rsin) => byRsin.get(rsin) ?? [],
    zakenVanVestiging: (nummer) => byVestiging.get(nummer) ?? [],
    zakenBijObject,
    *zaken() {
      yield* companyZaken;
      for (let i = 0; i < municipality.addressCount; i++) yield* addressZaken(i);
    },
  };
  return Object.freeze({ ...register, wellKnown: wellKnownOf(municipality, kvk, register) });
}
