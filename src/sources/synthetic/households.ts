import type { Bsn } from "../../shared/index.ts";
import { addressAt, outsideAddress, type AddressSpace } from "./addresses.ts";
import { bsnForIndex } from "./bsn-space.ts";
import { NATIONALITEITEN, OTHER_GEMEENTEN } from "./gemeenten.ts";
import type { Address, CodedValue, GbaDate, OuderLink, PartnerLink, Person } from "./model.ts";
import { GESLACHTSNAMEN, VOORNAMEN_M, VOORNAMEN_V } from "./names.ts";
import { createRng, hash32, type Rng } from "./prng.ts";

/**
 * Persons come in blocks of four consecutive indices that form households: a family (couple +
 * two children at one address), a couple plus two singles, or four singles. Everything about a
 * block follows from (seed, block), so any person can be generated on its own and relations
 * (partners, parents, children) always point inside the same block.
 */
export const HOUSEHOLD_SIZE = 4;

export interface HouseholdContext {
  readonly seed: number;
  readonly size: number;
  readonly gemeente: CodedValue;
  readonly addresses: AddressSpace;
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const date = (r: Rng, fromYear: number, toYear: number): GbaDate =>
  `${r.int(fromYear, toYear)}${pad2(r.int(1, 12))}${pad2(r.int(1, 28))}`;
const yearOf = (d: GbaDate) => Number(d.slice(0, 4));
const NEDERLAND: CodedValue = { code: "6030", omschrijving: "Nederland" };
const FOREIGN_NATIONALITIES = Object.keys(NATIONALITEITEN).filter((c) => c !== "0001");

interface Draft {
  geslacht: "M" | "V";
  surname: readonly [string, string];
  geboortedatum: GbaDate;
}

function person(
  ctx: HouseholdContext,
  r: Rng,
  index: number,
  draft: Draft,
  home: { address: Address; gemeente: CodedValue },
  links: { partners?: PartnerLink[]; ouders?: OuderLink[]; kinderen?: Bsn[]; overlijdensdatum?: GbaDate },
): Person {
  const foreign = r.chance(0.12);
  const nationaliteit = foreign ? r.pick(FOREIGN_NATIONALITIES) : "0001";
  const [voorvoegsel, geslachtsnaam] = draft.surname;
  const voornamen = draft.geslacht === "M" ? r.pick(VOORNAMEN_M) : r.pick(VOORNAMEN_V);
  const bornYear = yearOf(draft.geboortedatum);
  const sinceYear = Math.min(2023, Math.max(bornYear, r.int(1990, 2023)));
  const datumVan = sinceYear === bornYear ? draft.geboortedatum : date(r, sinceYear, sinceYear);
  return {
    bsn: bsnForIndex(index),
    aNummer: String(1_000_000_000 + ((index * 48271 + 97) % 8_000_000_000)),
    voornamen,
    ...(voorvoegsel ? { voorvoegsel } : {}),
    geslachtsnaam,
    geslacht: draft.geslacht,
    geboortedatum: draft.geboortedatum,
    geboorteplaats: foreign ? { code: "0000", omschrijving: "Onbekend" } : ctx.gemeente,
    geboorteland: foreign ? { code: "0000", omschrijving: "Onbekend" } : NEDERLAND,
    ...(links.overlijdensdatum ? { overlijdensdatum: links.overlijdensdatum } : {}),
    gemeenteVanInschrijving: home.gemeente,
    datumInschrijvingInGemeente: datumVan,
    verblijfplaats: { kind: "adres", address: home.address, datumVan },
    nationaliteiten: [
      {
        code: nationaliteit,
        ...(NATIONALITEITEN[nationaliteit] ? { omschrijving: NATIONALITEITEN[nationaliteit] } : {}),
      },
    ],
    partners: links.partners ?? [],
    ouders: links.ouders ?? [],
    kinderen: links.kinderen ?? [],
  };
}

function addressFor(ctx: HouseholdContext, slot: number): { address: Address; gemeente: CodedValue } {
  const address = addressAt(ctx.addresses, slot);
  if (!address) throw new Error(`synthetic: no address slot ${slot}`);
  return { address, gemeente: ctx.gemeente };
}

/** The members of block `block` (fewer than four only in the last, partial block). */
export function household(ctx: HouseholdContext, block: number): Person[] {
  const base = block * HOUSEHOLD_SIZE;
  const n = Math.min(HOUSEHOLD_SIZE, ctx.size - base);
  if (n <= 0 || block < 0) return [];
  const r = createRng(hash32(ctx.seed, block));
  const roll = r.next();
  // Block 0 is always a family, so the well-known resident has an address, partner and children.
  const kind =
    n < HOUSEHOLD_SIZE
      ? "singles"
      : block === 0 || roll < 0.45
        ? "family"
        : roll < 0.7
          ? "couple"
          : "singles";
  const bsn = (k: number) => bsnForIndex(base + k);
  const members: Person[] = [];

  let firstSingle = 0;
  if (kind === "family" || kind === "couple") {
    const g0 = r.chance(0.5) ? "M" : "V";
    const g1 = r.chance(0.9) ? (g0 === "M" ? "V" : "M") : g0;
    const d0: Draft = { geslacht: g0, surname: r.pick(GESLACHTSNAMEN), geboortedatum: date(r, 1950, 1995) };
    const y1 = yearOf(d0.geboortedatum) + r.int(-5, 5);
    const d1: Draft = { geslacht: g1, surname: r.pick(GESLACHTSNAMEN), geboortedatum: date(r, y1, y1) };
    const married = Math.min(2015, Math.max(yearOf(d0.geboortedatum), y1) + r.int(20, 32));
    const soort = r.chance(0.8) ? "H" : "P";
    const aangaan = date(r, married, married);
    const home = addressFor(ctx, base);
    const kids = kind === "family" ? [bsn(2), bsn(3)] : [];
    members.push(
      person(ctx, r, base, d0, home, {
        partners: [{ bsn: bsn(1), soortVerbintenis: soort, datumAangaan: aangaan }],
        kinderen: kids,
      }),
      person(ctx, r, base + 1, d1, home, {
        partners: [{ bsn: bsn(0), soortVerbintenis: soort, datumAangaan: aangaan }],
        kinderen: kids,
      }),
    );
    if (kind === "family") {
      const ouders: OuderLink[] = [
        { bsn: bsn(0), ouderAanduiding: "1" },
        { bsn: bsn(1), ouderAanduiding: "2" },
      ];
      for (const k of [2, 3]) {
        const kid: Draft = {
          geslacht: r.chance(0.5) ? "M" : "V",
          surname: d0.surname,
          geboortedatum: date(r, married + 1, Math.min(2023, married + 8)),
        };
        members.push(person(ctx, r, base + k, kid, home, { ouders }));
      }
      return members;
    }
    firstSingle = 2;
  }
  for (let k = firstSingle; k < n; k++) {
    const draft: Draft = {
      geslacht: r.chance(0.5) ? "M" : "V",
      surname: r.pick(GESLACHTSNAMEN),
      geboortedatum: date(r, 1935, 2005),
    };
    // Some persons have only a known birth year (as on many foreign birth certificates).
    if (r.chance(0.02)) draft.geboortedatum = draft.geboortedatum.slice(0, 4) + "0000";
    const elsewhere = r.chance(0.08)
      ? r.pick(OTHER_GEMEENTEN.filter((g) => g.code !== ctx.gemeente.code))
      : undefined;
    const home = elsewhere
      ? {
          address: outsideAddress(elsewhere, base + k),
          gemeente: { code: elsewhere.code, omschrijving: elsewhere.naam },
        }
      : addressFor(ctx, base + k);
    const deceased = yearOf(draft.geboortedatum) < 1960 && r.chance(0.15);
    members.push(
      person(ctx, r, base + k, draft, home, deceased ? { overlijdensdatum: date(r, 2010, 2023) } : {}),
    );
  }
  return members;
}
