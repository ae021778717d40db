import { parseBsn } from "../../shared/index.ts";
import { addressAt, addressIndexOf, findAddresses, MAX_ADDRESSES, type AddressSpace } from "./addresses.ts";
import { BSN_SPACE_SIZE, indexForBsn } from "./bsn-space.ts";
import { household, HOUSEHOLD_SIZE, type HouseholdContext } from "./households.ts";
import type { Address, Municipality, Person, WellKnown } from "./model.ts";
import { rvigTestPersons } from "./test-persons.ts";

export interface MunicipalityOptions {
  readonly seed: number;
  /** Generated persons (the RvIG test persons come on top). At least 4, at most ~1.19 million. */
  readonly size: number;
  /** CBS code; default 0935 (Maastricht). */
  readonly code?: string;
  /** Name, also the woonplaats of its addresses; default Maastricht. */
  readonly name?: string;
  /** First four postcode digits; its addresses use base..base+99. Default 6200. */
  readonly postcodeBase?: number;
}

/** A valid-11-check BSN that no synthetic or test person has (outside the generated range, not an RvIG test BSN). */
export const UNKNOWN_BSN = "999999011";

/**
 * A synthetic, internally consistent municipality: persons (with BSNs that pass the 11-check,
 * households, partners, parents and children) and addresses with BAG ids, deterministic from the
 * seed. Nothing is stored per person: records are computed on demand, so a million persons cost
 * no memory. Invalid options are a programming error and throw a RangeError.
 */
export function createMunicipality(options: MunicipalityOptions): Municipality {
  const { seed, size, code = "0935", name = "Maastricht", postcodeBase = 6200 } = options;
  if (!Number.isInteger(size) || size < HOUSEHOLD_SIZE) throw new RangeError("size: at least 4 persons");
  const addressCount = Math.ceil(size / HOUSEHOLD_SIZE) * HOUSEHOLD_SIZE;
  if (addressCount > MAX_ADDRESSES || size > BSN_SPACE_SIZE) throw new RangeError("size: too large");
  if (!/^[0-9]{4}$/.test(code)) throw new RangeError("code: four digits");
  if (!Number.isInteger(postcodeBase) || postcodeBase < 1000 || postcodeBase > 9900)
    throw new RangeError("postcodeBase: 1000..9900");

  const addresses: AddressSpace = Object.freeze({
    code,
    woonplaats: name,
    postcodeBase,
    count: addressCount,
  });
  const ctx: HouseholdContext = Object.freeze({
    seed: seed >>> 0,
    size,
    gemeente: Object.freeze({ code, omschrijving: name }),
    addresses,
  });
  const testPersons = rvigTestPersons().filter((p) => indexForBsn(p.bsn) === undefined);
  const testByBsn = new Map(testPersons.map((p) => [p.bsn as string, p]));

  const personAt = (index: number): Person | undefined =>
    Number.isInteger(index) && index >= 0 && index < size
      ? household(ctx, Math.floor(index / HOUSEHOLD_SIZE))[index % HOUSEHOLD_SIZE]
      : undefined;

  const personByBsn = (bsn: string): Person | undefined => {
    const index = indexForBsn(bsn);
    return index === undefined ? testByBsn.get(bsn) : personAt(index);
  };

  const residentsOf = (address: Address): Person[] => {
    const index = addressIndexOf(addresses, address.nummeraanduidingIdentificatie, "20");
    if (index === undefined) return [];
    return household(ctx, Math.floor(index / HOUSEHOLD_SIZE)).filter(
      (p) => p.verblijfplaats?.kind === "adres" && p.verblijfplaats.address.id === address.id,
    );
  };

  const at = (i: number | undefined) => (i === undefined ? undefined : addressAt(addresses, i));
  const resident = personAt(0);
  const residentAddress = at(0);
  const byBsn = (bsn: string) => {
    const parsed = parseBsn(bsn);
    if (!parsed.ok) throw new Error("well-known BSN fails the 11-check");
    return parsed.value;
  };
  if (!resident || !residentAddress) throw new Error("synthetic: block 0 must exist");
  const wellKnown: WellKnown = Object.freeze({
    residentBsn: resident.bsn,
    elsewhereBsn: byBsn("999993653"),
    unknownBsn: byBsn(UNKNOWN_BSN),
    deceasedBsn: byBsn("999992077"),
    emigratedBsn: byBsn("999993483"),
    residentAddress,
  });

  const municipality: Municipality = {
    seed: ctx.seed,
    size,
    code,
    name,
    wellKnown,
    addressCount,
    personAt,
    personByBsn,
    *persons(): Generator<Person> {
      for (let block = 0; block * HOUSEHOLD_SIZE < size; block++) yield* household(ctx, block);
      yield* testPersons;
    },
    findAddresses: (query) => findAddresses(addresses, query),
    addressByAdresseerbaarObjectId: (id) => at(addressIndexOf(addresses, id, "01")),
    addressByNummeraanduidingId: (id) => at(addressIndexOf(addresses, id, "20")),
    residentsOf,
    addressAt: (index) => addressAt(addresses, index),
  };
  return Object.freeze(municipality);
}
