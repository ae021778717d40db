import type { Bsn, KvkNummer } from "../../shared/index.ts";
import type { Company, KvkRegister } from "../kvk/index.ts";
import type { Municipality, Person } from "../synthetic/index.ts";
import type { PermitRegister, PermitWellKnown } from "./permits-records.ts";

/** A company in horeca: an SBI code 56xx among its activities. */
export const isHoreca = (c: Company) => c.sbiActiviteiten.some((s) => s.sbiCode.startsWith("56"));
/** Alive and born in 2005 or earlier. */
export const isAdult = (p: Person) => !p.overlijdensdatum && Number(p.geboortedatum.slice(0, 4)) <= 2005;

/**
 * The well-known subjects of a permit register: the ones forced by construction (the resident's
 * address and eenmanszaak, the horeca BV) and the first of each kind found by a short scan.
 */
export function wellKnownOf(
  municipality: Municipality,
  kvk: KvkRegister,
  register: Omit<PermitRegister, "wellKnown">,
): PermitWellKnown {
  const resident = municipality.wellKnown.residentBsn;
  const residents = function* () {
    for (let i = 0; i < municipality.size; i++) {
      const p = municipality.personAt(i);
      if (p && isAdult(p) && p.verblijfplaats?.kind === "adres") yield p;
    }
  };
  const find = <T>(items: Iterable<T>, test: (t: T) => boolean) => {
    for (const t of items) if (test(t)) return t;
    return undefined;
  };
  const parkeer = find(residents(), (p) =>
    register.zakenVanBsn(p.bsn).some((z) => z.zaaktype.kind === "parkeervergunning"),
  );
  const none = find(residents(), (p) => register.zakenVanBsn(p.bsn).length === 0);
  const cafe = kvk.byKvkNummer(kvk.wellKnown.horecaKvkNummer);
  const hoofd = cafe?.vestigingen[0];
  const quiet = kvk.companies.find((c) => !c.kvkTestCompany && !isHoreca(c));
  let emptyObject: string | undefined;
  for (let i = 1; i < municipality.addressCount && !emptyObject; i++) {
    const aoid = municipality.addressAt(i)?.adresseerbaarObjectIdentificatie;
    if (aoid && register.zakenBijObject(aoid).length === 0) emptyObject = aoid;
  }
  const horecaObject = hoofd?.adres.adresseerbaarObjectIdentificatie;
  if (!parkeer || !none || !cafe?.rsin || !hoofd || !quiet || !emptyObject || !horecaObject)
    throw new Error("permits-synthetic: well-known subjects missing");
  return Object.freeze({
    residentBsn: resident,
    bsnWithParkeervergunning: parkeer.bsn,
    bsnWithoutPermits: none.bsn as Bsn,
    horecaKvkNummerWithPermit: cafe.kvkNummer,
    horecaRsin: cafe.rsin,
    horecaVestigingsnummer: hoofd.vestigingsnummer,
    eenmanszaakKvkNummerWithPermit: kvk.wellKnown.eenmanszaakKvkNummer,
    kvkNummerWithoutPermits: quiet.kvkNummer as KvkNummer,
    objectWithOmgevingsvergunning: municipality.wellKnown.residentAddress.adresseerbaarObjectIdentificatie,
    objectWithHorecavergunning: horecaObject,
    objectWithoutPermits: emptyObject,
  });
}
