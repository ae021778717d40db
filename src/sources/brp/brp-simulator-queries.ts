import type { Clock } from "../../shared/index.ts";
import type { Municipality, Person } from "../synthetic/index.ts";
import { PERSOON_BEPERKT_FIELD_PATHS, PERSOON_FIELD_PATHS } from "./brp-field-paths.ts";
import { selectFields, validateFields, type InvalidParam } from "./brp-fields.ts";
import { renderPersoon, renderPersoonBeperkt } from "./brp-render.ts";
import { zoek } from "./brp-simulator-zoek.ts";
import { checkZoekParams, type BrpZoekVraag } from "./brp-zoek.ts";

/** The answer to one POST /personen body: a 200 body or the invalid parameters of a 400. */
export type QueryOutcome =
  | { readonly ok: true; readonly body: { type: string; personen: Record<string, unknown>[] } }
  | {
      readonly ok: false;
      /** A required parameter is missing: the BRP's `paramsCombination` 400 instead of `paramsValidation`. */
      readonly combination?: boolean;
      readonly invalidParams: InvalidParam[];
    };

const PERSOON_PATHS = new Set(PERSOON_FIELD_PATHS);
const BEPERKT_PATHS = new Set(PERSOON_BEPERKT_FIELD_PATHS);

const invalid = (name: string, code: string, reason: string): InvalidParam => ({
  type: "https://www.vng.nl/realisatie/api/validaties/" + code,
  name,
  code,
  reason,
});

const alive = (include: unknown) => (p: Person) => include === true || !p.overlijdensdatum;

/** Executes a PersonenQuery against the municipality, validating as the spec describes. */
export function answerQuery(
  body: Record<string, unknown>,
  municipality: Municipality,
  clock: Clock,
): QueryOutcome {
  const type = body["type"];
  const beperkt = type !== "RaadpleegMetBurgerservicenummer";
  const fieldProblems = validateFields(body["fields"], beperkt ? BEPERKT_PATHS : PERSOON_PATHS);
  const problems: InvalidParam[] = [...fieldProblems];
  const fields = fieldProblems.length === 0 ? (body["fields"] as string[]) : [];
  let persons: Person[] = [];

  switch (type) {
    case "RaadpleegMetBurgerservicenummer": {
      const bsns = body["burgerservicenummer"];
      if (!Array.isArray(bsns) || bsns.length < 1)
        problems.push(invalid("burgerservicenummer", "required", "Parameter is verplicht."));
      else if (bsns.length > 20)
        problems.push(invalid("burgerservicenummer", "maxItems", "Array bevat meer dan 20 items."));
      else if (bsns.some((b) => typeof b !== "string" || !/^[0-9]{9}$/.test(b)))
        problems.push(invalid("burgerservicenummer", "pattern", "Waarde voldoet niet aan patroon."));
      else persons = [...new Set(bsns as string[])].flatMap((b) => municipality.personByBsn(b) ?? []);
      break;
    }
    case "ZoekMetGeslachtsnaamEnGeboortedatum":
    case "ZoekMetPostcodeEnHuisnummer": {
      const checked = checkZoekParams(type, body);
      if (checked.missing.length > 0)
        return {
          ok: false,
          combination: true,
          invalidParams: [...checked.missing, ...checked.invalid, ...problems],
        };
      problems.push(...checked.invalid);
      if (problems.length === 0) persons = zoek(body as unknown as BrpZoekVraag, municipality);
      break;
    }
    case "ZoekMetAdresseerbaarObjectIdentificatie": {
      const id = body["adresseerbaarObjectIdentificatie"];
      if (typeof id !== "string" || !/^(?!0{16})[0-9]{16}$/.test(id))
        problems.push(
          invalid("adresseerbaarObjectIdentificatie", "pattern", "Waarde voldoet niet aan patroon."),
        );
      else {
        const address = municipality.addressByAdresseerbaarObjectId(id);
        persons = address
          ? municipality.residentsOf(address).filter(alive(body["inclusiefOverledenPersonen"]))
          : [];
      }
      break;
    }
    default:
      problems.push(invalid("type", "value", "Waarde is geen geldige zoek type."));
  }
  if (problems.length > 0) return { ok: false, invalidParams: problems };
  const personen = persons.map((p) =>
    selectFields(beperkt ? renderPersoonBeperkt(p, clock) : renderPersoon(p, municipality, clock), fields),
  );
  return { ok: true, body: { type: type as string, personen } };
}
