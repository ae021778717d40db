import type { Address, AddressQuery } from "./model.ts";
import { korteStraatnaam, STRAATNAMEN } from "./names.ts";
import { hash32 } from "./prng.ts";
import type { Gemeente } from "./gemeenten.ts";

/**
 * The municipality's addresses as a computed, invertible table: address index ↔ (postcode,
 * huisnummer) ↔ BAG ids, so a million-person municipality stores nothing and a postcode or BAG
 * id lookup is O(1). Address data depend on the municipality (code, name, postcode range) but not
 * on the seed, so well-known addresses are stable.
 */
const PER_POSTCODE = 30;
const LETTERS = "ABCDEGHJKLMNPRSTVWXZ";
const LETTER_PAIRS: readonly string[] = [...LETTERS]
  .flatMap((a) => [...LETTERS].map((b) => a + b))
  .filter((pair) => !["SA", "SD", "SS"].includes(pair));
const POSTCODES_PER_LETTER_PAIR = 100;

/** Most address slots one municipality can hold. */
export const MAX_ADDRESSES = PER_POSTCODE * POSTCODES_PER_LETTER_PAIR * LETTER_PAIRS.length;

export interface AddressSpace {
  readonly code: string;
  readonly woonplaats: string;
  /** First four postcode digits, e.g. 6200 for Maastricht (6200–6299). */
  readonly postcodeBase: number;
  readonly count: number;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");
const streetOf = (p: number) => hash32(p, 0x5717);

export function addressAt(space: AddressSpace, index: number): Address | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= space.count) return undefined;
  const p = Math.floor(index / PER_POSTCODE);
  const slot = index % PER_POSTCODE;
  const pair = LETTER_PAIRS[Math.floor(p / POSTCODES_PER_LETTER_PAIR)];
  if (pair === undefined) return undefined;
  const h = streetOf(p);
  const straat = STRAATNAMEN[h % STRAATNAMEN.length] ?? "Markt";
  const variant = hash32(index, 0x1e77) % 100;
  const serial = pad(index + 1, 10);
  const nummeraanduidingIdentificatie = `${space.code}20${serial}`;
  return {
    id: nummeraanduidingIdentificatie,
    adresseerbaarObjectIdentificatie: `${space.code}01${serial}`,
    nummeraanduidingIdentificatie,
    officieleStraatnaam: straat,
    korteStraatnaam: korteStraatnaam(straat),
    huisnummer: 1 + slot + PER_POSTCODE * ((h >>> 8) % 4),
    ...(variant < 6 ? { huisletter: "ABC"[variant % 3] ?? "A" } : {}),
    ...(variant >= 6 && variant < 10
      ? { huisnummertoevoeging: ["1", "2", "bis", "II"][variant - 6] ?? "1" }
      : {}),
    postcode: `${space.postcodeBase + (p % POSTCODES_PER_LETTER_PAIR)}${pair}`,
    woonplaats: space.woonplaats,
    gemeenteCode: space.code,
  };
}

export const normalisePostcode = (postcode: string): string => postcode.replace(/\s+/g, "").toUpperCase();

export function findAddresses(space: AddressSpace, query: AddressQuery): Address[] {
  const postcode = normalisePostcode(query.postcode);
  const digits = Number(postcode.slice(0, 4)) - space.postcodeBase;
  const pairIndex = LETTER_PAIRS.indexOf(postcode.slice(4));
  if (
    !/^[0-9]{4}[A-Z]{2}$/.test(postcode) ||
    digits < 0 ||
    digits >= POSTCODES_PER_LETTER_PAIR ||
    pairIndex < 0
  )
    return [];
  const p = pairIndex * POSTCODES_PER_LETTER_PAIR + digits;
  const slot = query.huisnummer - 1 - PER_POSTCODE * ((streetOf(p) >>> 8) % 4);
  if (slot < 0 || slot >= PER_POSTCODE) return [];
  const address = addressAt(space, p * PER_POSTCODE + slot);
  if (!address) return [];
  const same = (a: string | undefined, b: string | undefined) =>
    b === undefined || (a ?? "").toLowerCase() === b.toLowerCase();
  if (!same(address.huisletter, query.huisletter)) return [];
  if (!same(address.huisnummertoevoeging, query.huisnummertoevoeging)) return [];
  return [address];
}

/** Index of an address of this space from one of its BAG ids (`kind` 01 = object, 20 = nummeraanduiding). */
export function addressIndexOf(space: AddressSpace, bagId: string, kind: "01" | "20"): number | undefined {
  if (!/^[0-9]{16}$/.test(bagId) || !bagId.startsWith(space.code + kind)) return undefined;
  const index = Number(bagId.slice(6)) - 1;
  return index >= 0 && index < space.count ? index : undefined;
}

/** An address in another municipality, for persons registered elsewhere (not searchable here). */
export function outsideAddress(gemeente: Gemeente, personIndex: number): Address {
  const h = hash32(personIndex, 0x0a7e);
  const straat = STRAATNAMEN[h % STRAATNAMEN.length] ?? "Markt";
  const serial = pad(5_000_000 + personIndex, 10);
  return {
    id: `${gemeente.code}20${serial}`,
    adresseerbaarObjectIdentificatie: `${gemeente.code}01${serial}`,
    nummeraanduidingIdentificatie: `${gemeente.code}20${serial}`,
    officieleStraatnaam: straat,
    korteStraatnaam: korteStraatnaam(straat),
    huisnummer: 1 + ((h >>> 8) % 150),
    postcode: `${gemeente.postcodeBase + ((h >>> 4) % 8)}${LETTER_PAIRS[(h >>> 12) % LETTER_PAIRS.length] ?? "AA"}`,
    woonplaats: gemeente.naam,
    gemeenteCode: gemeente.code,
  };
}
