import { outsideAddress } from "./addresses.ts";
import { indexForBsn } from "./bsn-space.ts";
import { GEMEENTE_NAMEN, LANDEN, OTHER_GEMEENTEN } from "./gemeenten.ts";
import type { Address, CodedValue, GbaDate, Municipality, Person } from "./model.ts";
import { createRng, hash32 } from "./prng.ts";

/**
 * Where each person of a synthetic municipality lived before their current address, and the
 * inverse (who lived at an address, when), for the BRP Bewoning and Verblijfplaatshistorie
 * simulators. Nothing is stored: a person's history follows from (seed, person index), and the
 * earlier address of history slot k is a bijection of the person index (`slotAddress`), so the
 * former residents of an address are found by inverting that bijection for each slot — O(slots)
 * per address, also for a million persons.
 */
export type ResidencePlace =
  | { readonly kind: "adres"; readonly address: Address }
  | { readonly kind: "buitenland"; readonly land: CodedValue };

export interface ResidencePeriod {
  readonly place: ResidencePlace;
  readonly gemeenteVanInschrijving: CodedValue;
  readonly datumVan: GbaDate;
  /** First day of the next period (exclusive end); absent for the current period. */
  readonly datumTot?: GbaDate;
}

export interface Occupancy {
  readonly person: Person;
  readonly period: ResidencePeriod;
}

export interface ResidenceHistory {
  /** Periods, most recent (the current one) first; undefined when no person has this BSN. */
  historyOf(bsn: string): readonly ResidencePeriod[] | undefined;
  /** Every (person, period) at this address of the municipality, current and former. */
  occupancyOf(address: Address): readonly Occupancy[];
}

/** Most earlier periods a generated person has. */
export const MAX_EARLIER_PERIODS = 3;

const DAY_MS = 86_400_000;
const RNI: CodedValue = { code: "1999", omschrijving: GEMEENTE_NAMEN["1999"] ?? "RNI" };
const BELGIE: CodedValue = { code: "5010", omschrijving: LANDEN["5010"] ?? "België" };
const isFull = (d: GbaDate) => /^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$/.test(d);
const toDays = (d: GbaDate) =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) / DAY_MS;
const fromDays = (n: number): GbaDate => new Date(n * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "");
const iso = (d: GbaDate) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

/**
 * A period's start as an interval of ISO dates (a partly unknown GBA date could be any day of its
 * year or month) and its exclusive end. Bewoning uses this for bewoners vs mogelijke bewoners.
 */
export function periodBounds(period: ResidencePeriod): {
  vanEarliest: string;
  vanLatest: string;
  tot?: string;
} {
  const d = period.datumVan;
  const y = d.slice(0, 4);
  const m = d.slice(4, 6);
  const tot = period.datumTot === undefined ? {} : { tot: iso(period.datumTot) };
  if (isFull(d)) return { vanEarliest: iso(d), vanLatest: iso(d), ...tot };
  if (y === "0000") return { vanEarliest: "0001-01-01", vanLatest: "9999-12-31", ...tot };
  if (m === "00") return { vanEarliest: `${y}-01-01`, vanLatest: `${y}-12-31`, ...tot };
  const last = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
  return { vanEarliest: `${y}-${m}-01`, vanLatest: `${y}-${m}-${String(last).padStart(2, "0")}`, ...tot };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
function modInverse(a: number, m: number): number {
  let [oldR, r, oldS, s] = [a, m, 1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

/** Per slot k an affine permutation i ↦ (a·i + b) mod n of the address indices, and its inverse. */
function slotPermutations(seed: number, n: number) {
  return Array.from({ length: MAX_EARLIER_PERIODS + 1 }, (_, k) => {
    let a = 1 + (hash32(seed, k, 0xa11) % Math.max(1, n - 1));
    while (gcd(a, n) !== 1) a = (a % Math.max(1, n - 1)) + 1;
    const b = hash32(seed, k, 0xb22) % n;
    const aInverse = modInverse(a, n);
    return {
      forward: (i: number) => (a * i + b) % n,
      inverse: (idx: number) => (((((idx - b) % n) + n) % n) * aInverse) % n,
    };
  });
}

export function createResidenceHistory(municipality: Municipality): ResidenceHistory {
  const m = municipality;
  const inside: CodedValue = { code: m.code, omschrijving: m.name };
  const elsewhere = OTHER_GEMEENTEN.filter((g) => g.code !== m.code);
  const slots = slotPermutations(m.seed, m.addressCount);

  const addressIndex = (address: Address): number | undefined => {
    if (address.gemeenteCode !== m.code) return undefined;
    const idx = Number(address.nummeraanduidingIdentificatie.slice(6)) - 1;
    return m.addressAt(idx)?.id === address.id ? idx : undefined;
  };

  function currentPeriod(p: Person): ResidencePeriod | undefined {
    const v = p.verblijfplaats;
    if (!v) return undefined;
    if (v.kind === "buitenland")
      return {
        place: { kind: "buitenland", land: v.land },
        gemeenteVanInschrijving: RNI,
        datumVan: "00000000",
      };
    return {
      place: { kind: "adres", address: v.address },
      gemeenteVanInschrijving: p.gemeenteVanInschrijving,
      datumVan: v.datumVan,
    };
  }

  /** The generated history of person `i`: the periods between birth and the current address. */
  function historyAt(i: number, p: Person): ResidencePeriod[] {
    const current = currentPeriod(p);
    if (!current) return [];
    const born = p.geboortedatum;
    if (current.datumVan === born || !isFull(current.datumVan) || born === "00000000") return [current];
    const r = createRng(hash32(m.seed, i, 0x4157));
    const start = isFull(born) ? toDays(born) : toDays(`${Number(born.slice(0, 4)) + 1}0101`);
    const end = toDays(current.datumVan);
    if (end - start < 60) return [current];
    const wanted = Math.min(r.int(1, MAX_EARLIER_PERIODS), Math.floor((end - start) / 30));
    const cuts = [...new Set(Array.from({ length: wanted - 1 }, () => r.int(start + 1, end - 1)))].sort(
      (a, b) => a - b,
    );
    // boundaries oldest → newest; the first earlier period starts at birth
    const starts = [born, ...cuts.map(fromDays)];
    const ends = [...cuts.map(fromDays), current.datumVan];
    const currentIdx = current.place.kind === "adres" ? addressIndex(current.place.address) : undefined;
    const earlier: ResidencePeriod[] = [];
    let newerIdx = currentIdx;
    for (let k = 1; k <= starts.length; k++) {
      const j = starts.length - k; // slot k = the k-th period before the current one
      const roll = r.next();
      const target = slots[k]?.forward(i);
      const dates = { datumVan: starts[j] ?? born, datumTot: ends[j] ?? current.datumVan };
      if (roll < 0.05) {
        earlier.push({ place: { kind: "buitenland", land: BELGIE }, gemeenteVanInschrijving: RNI, ...dates });
        newerIdx = undefined;
      } else if (roll < 0.25 || target === undefined || target === newerIdx) {
        const g = elsewhere[hash32(m.seed, i, k) % elsewhere.length] ?? elsewhere[0];
        if (!g) throw new Error("synthetic: no other gemeente");
        const address = outsideAddress(g, i + k * 1_500_000);
        earlier.push({
          place: { kind: "adres", address },
          gemeenteVanInschrijving: { code: g.code, omschrijving: g.naam },
          ...dates,
        });
        newerIdx = undefined;
      } else {
        const address = m.addressAt(target);
        if (!address) throw new Error(`synthetic: no address slot ${target}`);
        earlier.push({ place: { kind: "adres", address }, gemeenteVanInschrijving: inside, ...dates });
        newerIdx = target;
      }
    }
    return [current, ...earlier];
  }

  function historyOf(bsn: string): ResidencePeriod[] | undefined {
    const p = m.personByBsn(bsn);
    if (!p) return undefined;
    const i = indexForBsn(bsn);
    if (i === undefined || i >= m.size) {
      const current = currentPeriod(p);
      return current ? [current] : [];
    }
    return historyAt(i, p);
  }

  const at = (period: ResidencePeriod, address: Address) =>
    period.place.kind === "adres" && period.place.address.id === address.id;

  return {
    historyOf,
    occupancyOf(address) {
      const idx = addressIndex(address);
      if (idx === undefined) return [];
      const out: Occupancy[] = [];
      for (const p of m.residentsOf(address)) {
        const current = historyOf(p.bsn)?.[0];
        if (current && at(current, address)) out.push({ person: p, period: current });
      }
      const candidates = new Set<number>();
      for (let k = 1; k <= MAX_EARLIER_PERIODS; k++) {
        const i = slots[k]?.inverse(idx);
        if (i !== undefined && i < m.size) candidates.add(i);
      }
      for (const i of [...candidates].sort((a, b) => a - b)) {
        const p = m.personAt(i);
        if (!p) continue;
        for (const period of historyAt(i, p).slice(1))
          if (at(period, address)) out.push({ person: p, period });
      }
      return out;
    },
  };
}
