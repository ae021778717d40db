import type { Municipality, Person } from "../synthetic/index.ts";
import { normaliseZoekPostcode, textMatches, type BrpZoekVraag } from "./brp-zoek.ts";

/**
 * The simulator's answer to the two search types over the synthetic municipality, by the rules
 * of the BRP's feature files: living persons unless `inclusiefOverledenPersonen`, text
 * parameters without regard to case or diacritics (a trailing `*` a prefix), geboortedatum only
 * a full date, the optional parameters narrowing the search. The parameters have been checked.
 */

/** BSNs by GBA birth date, built on the first name search and kept per municipality. */
const byBirthDate = new WeakMap<Municipality, Map<string, string[]>>();

function birthDateIndex(municipality: Municipality): Map<string, string[]> {
  let index = byBirthDate.get(municipality);
  if (!index) {
    index = new Map();
    for (const p of municipality.persons()) {
      const list = index.get(p.geboortedatum) ?? [];
      list.push(p.bsn);
      index.set(p.geboortedatum, list);
    }
    byBirthDate.set(municipality, index);
  }
  return index;
}

/** `1983-05-26` → `19830526`, the GBA form of the synthetic records. */
const gba = (isoDate: string) => isoDate.replaceAll("-", "");

const common = (q: BrpZoekVraag) => (p: Person) =>
  (q.inclusiefOverledenPersonen === true || !p.overlijdensdatum) &&
  (q.gemeenteVanInschrijving === undefined || p.gemeenteVanInschrijving.code === q.gemeenteVanInschrijving);

const optionalText = (filter: string | undefined, value: string | undefined) =>
  filter === undefined || textMatches(filter, value);

export function zoek(q: BrpZoekVraag, municipality: Municipality): Person[] {
  if (q.type === "ZoekMetGeslachtsnaamEnGeboortedatum") {
    const bsns = birthDateIndex(municipality).get(gba(q.geboortedatum)) ?? [];
    return bsns
      .flatMap((bsn) => municipality.personByBsn(bsn) ?? [])
      .filter(common(q))
      .filter(
        (p) =>
          textMatches(q.geslachtsnaam, p.geslachtsnaam) &&
          optionalText(q.voorvoegsel, p.voorvoegsel) &&
          optionalText(q.voornamen, p.voornamen) &&
          (q.geslacht === undefined || q.geslacht.toUpperCase() === p.geslacht),
      );
  }
  return municipality
    .findAddresses({
      postcode: normaliseZoekPostcode(q.postcode),
      huisnummer: q.huisnummer,
      huisletter: q.huisletter,
      huisnummertoevoeging: q.huisnummertoevoeging,
    })
    .flatMap((a) => municipality.residentsOf(a))
    .filter(common(q))
    .filter(
      (p) =>
        optionalText(q.geslachtsnaam, p.geslachtsnaam) &&
        (q.geboortedatum === undefined || p.geboortedatum === gba(q.geboortedatum)),
    );
}
