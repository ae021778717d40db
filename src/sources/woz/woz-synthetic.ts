import { createBagRegistry } from "../bag/index.ts";
import type { KvkRegister } from "../kvk/index.ts";
import { hash32, type Address, type Municipality } from "../synthetic/index.ts";
import type {
  WozBelanghebbendeRecord,
  WozObjectRecord,
  WozRegistry,
  WozWaardeRecord,
} from "./woz-records.ts";

/**
 * The WOZ administration of a synthetic municipality: every verblijfsobject of its BAG is one WOZ
 * object (WOZ-objectnummer = gemeentecode + 8 digits of the address index), with the BAG's panden,
 * a parcel, and values for the newest three tijdvakken derived from the object's floor area. About
 * one object in twenty has no value for the newest tijdvak yet (a new building). The owner is the
 * company (with an RSIN) whose hoofdvestiging is at the address, else an adult resident of the BRP,
 * so the same BSNs and KvK numbers as the other simulators. Derived from the index alone: no memory,
 * the same on every run.
 */
export interface WozRegistryOptions {
  /** The calendar year of the newest tijdvak (default: this year, read once). */
  readonly year?: number;
  /** The Handelsregister of the same municipality, for companies as owners. */
  readonly kvkRegister?: KvkRegister;
}

const TIJDVAKKEN = 3;
const SECTIES = "ABCDEFGHKLMN";
const pad = (n: number, width: number) => String(n).padStart(width, "0");

export function createWozRegistry(municipality: Municipality, options: WozRegistryOptions = {}): WozRegistry {
  const year = options.year ?? new Date().getUTCFullYear();
  const bag = createBagRegistry(municipality);
  const code = municipality.code;
  const codeNum = Number(code);
  const register = options.kvkRegister;
  const nummerOf = (index: number) => `${code}${pad(index + 1, 8)}`;

  function eigenaarOf(address: Address): WozBelanghebbendeRecord | undefined {
    const company = register
      ?.vestigingenAt(address.postcode, address.huisnummer, address.huisletter)
      .filter(
        (v) =>
          v.hoofdvestiging &&
          v.adres.adresseerbaarObjectIdentificatie === address.adresseerbaarObjectIdentificatie,
      )
      .map((v) => register.byKvkNummer(v.kvkNummer))
      .find((c) => c?.rsin !== undefined && c.datumEinde === undefined);
    if (company?.rsin)
      return {
        type: "niet_natuurlijk_persoon",
        naam: company.naam,
        kvkNummer: company.kvkNummer,
        rsin: company.rsin,
      };
    const adult = municipality
      .residentsOf(address)
      .find((p) => !p.overlijdensdatum && Number(p.geboortedatum.slice(0, 4)) <= year - 18);
    if (!adult) return undefined;
    const initialen = adult.voornamen
      .split(" ")
      .map((v) => `${v.slice(0, 1)}.`)
      .join("");
    const achternaam = [adult.voorvoegsel, adult.geslachtsnaam].filter(Boolean).join(" ");
    return { type: "natuurlijk_persoon", naam: `${initialen} ${achternaam}`, burgerservicenummer: adult.bsn };
  }

  function waardenOf(index: number, oppervlakte: number, wonen: boolean): WozWaardeRecord[] {
    const h = hash32(index, 0x0a2, codeNum);
    const perM2 = wonen ? 2800 + (h % 1700) : 1400 + (h % 1100);
    const newBuilding = h % 20 === 7;
    const objection = h % 25 === 1;
    const out: WozWaardeRecord[] = [];
    for (let k = newBuilding ? 1 : 0; k < TIJDVAKKEN; k++) {
      const tijdvak = year - k;
      const growth = Math.pow(1 + (3 + ((h >>> 8) % 5)) / 100, TIJDVAKKEN - 1 - k);
      const current = k === 0 || (newBuilding && k === 1);
      out.push({
        vastgesteldeWaarde: Math.round((oppervlakte * perM2 * growth) / 1000) * 1000,
        waardepeildatum: `${tijdvak - 1}-01-01`,
        ingangsdatum: `${tijdvak}-01-01`,
        beschikkingsStatussen:
          objection && current ? ["beschikking_genomen", "bezwaar_ingediend"] : ["beschikking_genomen"],
        indicatieBezwaarBeroep: objection && current,
      });
    }
    return out;
  }

  function objectAt(index: number): WozObjectRecord | undefined {
    const address = municipality.addressAt(index);
    if (!address) return undefined;
    const vbo = bag.object(address.adresseerbaarObjectIdentificatie);
    if (vbo?.type !== "Verblijfsobject") return undefined;
    const wonen = vbo.gebruiksdoelen.includes("woonfunctie");
    const h = hash32(index, 0x90f, codeNum);
    const sectie = SECTIES[h % SECTIES.length] ?? "A";
    const perceelnummer = 1000 + index;
    const eigenaar = eigenaarOf(address);
    const gebruiker = municipality.residentsOf(address)[0];
    return {
      identificatie: nummerOf(index),
      aanduiding: {
        straat: address.officieleStraatnaam,
        huisnummer: address.huisnummer,
        ...(address.huisletter === undefined ? {} : { huisletter: address.huisletter }),
        ...(address.huisnummertoevoeging === undefined
          ? {}
          : { huisnummertoevoeging: address.huisnummertoevoeging }),
        postcode: address.postcode,
        woonplaats: address.woonplaats,
        nummeraanduidingIdentificatie: address.nummeraanduidingIdentificatie,
      },
      adresseerbaarObjectIdentificaties: [address.adresseerbaarObjectIdentificatie],
      pandIdentificaties: vbo.maaktDeelUitVan,
      grondoppervlakte: Math.round(vbo.oppervlakte * (1.2 + ((h >>> 4) % 20) / 10)),
      kadastraalOnroerendeZaken: [
        {
          identificatie: `${code}${pad(h % 100, 2)}${pad(index + 1, 9)}`,
          aanduiding: { gemeentecode: code, sectie, perceelnummer },
          aanduidingMetGemeentenaam: `${municipality.name} ${sectie} ${perceelnummer}`,
        },
      ],
      verantwoordelijkeGemeente: { code, omschrijving: municipality.name },
      waarden: waardenOf(index, vbo.oppervlakte, wonen),
      ...(eigenaar ? { belanghebbendeEigenaar: eigenaar } : {}),
      ...(gebruiker
        ? {
            belanghebbendeGebruiker: {
              type: "natuurlijk_persoon" as const,
              naam: gebruiker.geslachtsnaam,
              burgerservicenummer: gebruiker.bsn,
            },
          }
        : {}),
    };
  }

  // An address's BAG ids end in its index + 1 (synthetic/addresses.ts), so the lookup gives the index.
  const indexOf = (address: Address | undefined) =>
    address && Number(address.adresseerbaarObjectIdentificatie.slice(6)) - 1;
  const at = (index: number | undefined) =>
    index === undefined ? [] : [objectAt(index)].filter((o) => o !== undefined);

  const find = (test: (o: WozObjectRecord) => boolean): WozObjectRecord => {
    for (let i = 0; i < municipality.addressCount; i++) {
      const o = objectAt(i);
      if (o && test(o)) return o;
    }
    throw new Error("woz-synthetic: municipality too small for its well-known objects");
  };
  const current = `${year - 1}-01-01`;
  const wellKnown = {
    withCurrentValue: find((o) => o.waarden[0]?.waardepeildatum === current),
    withoutCurrentValue: find((o) => o.waarden[0]?.waardepeildatum !== current),
  };

  const ownedBy = (kvkNummer: string | undefined) => {
    const company = kvkNummer === undefined ? undefined : register?.byKvkNummer(kvkNummer);
    if (!company) return [];
    return company.vestigingen
      .flatMap((v) => byAdresseerbaarObject(v.adres.adresseerbaarObjectIdentificatie ?? ""))
      .filter((o) => o.belanghebbendeEigenaar?.kvkNummer === company.kvkNummer);
  };
  function byAdresseerbaarObject(id: string): WozObjectRecord[] {
    return at(indexOf(municipality.addressByAdresseerbaarObjectId(id)));
  }

  return {
    year,
    wellKnown,
    byIdentificatie(identificatie) {
      if (!/^[0-9]{12}$/.test(identificatie) || !identificatie.startsWith(code)) return undefined;
      const index = Number(identificatie.slice(4)) - 1;
      return objectAt(index);
    },
    byAdresseerbaarObject,
    byNummeraanduiding: (id) => at(indexOf(municipality.addressByNummeraanduidingId(id))),
    byAdres(query) {
      return municipality
        .findAddresses({ ...query, postcode: query.postcode.replace(/\s+/g, "").toUpperCase() })
        .flatMap((a) => byAdresseerbaarObject(a.adresseerbaarObjectIdentificatie));
    },
    byEigenaar(key) {
      if ("kvkNummer" in key) return ownedBy(key.kvkNummer);
      return ownedBy(register?.companies.find((c) => c.rsin === key.rsin)?.kvkNummer);
    },
  };
}
