import { periodBounds, type Municipality, type Person, type ResidenceHistory } from "../synthetic/index.ts";
import { renderDatum } from "../brp/index.ts";
import { addDays, validateParams, type Answer } from "../http/index.ts";

const TYPES = {
  BewoningMetPeildatum: { adresseerbaarObjectIdentificatie: "aoid", peildatum: "date" },
  BewoningMetPeriode: { adresseerbaarObjectIdentificatie: "aoid", datumVan: "date", datumTot: "date" },
} as const;

/** More (mogelijke) bewoners than this: the spec sends `indicatieVeelBewoners` instead of lists. */
const MAX_BEWONERS = 100;

interface Stay {
  readonly person: Person;
  readonly vanEarliest: string;
  readonly vanLatest: string;
  /** Exclusive: the next period's start or the date of death. */
  readonly end?: string | undefined;
}

const fullIso = (d: string | undefined) =>
  d && /^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$/.test(d)
    ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`
    : undefined;
const earliest = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;
const within = (s: Stay, day: string) => s.end === undefined || day < s.end;

const bewoner = (p: Person) => ({
  burgerservicenummer: p.bsn,
  naam: { volledigeNaam: [p.voornamen, p.voorvoegsel, p.geslachtsnaam].filter(Boolean).join(" ") },
  geboorte: { datum: renderDatum(p.geboortedatum) },
});

/**
 * Executes a BewoningenQuery. The asked period ([peildatum, peildatum + 1 day) or [datumVan,
 * datumTot)) is cut wherever someone's stay starts or ends; each piece with at least one
 * (mogelijke) bewoner is a bewoning, and adjacent pieces with the same composition are merged.
 * A stay whose start is partly unknown makes its person a mogelijke bewoner during the
 * uncertainty. An unknown address, or one nobody lived at, answers no bewoningen (feature
 * "raadpleeg bewoning op peildatum"). Deceased persons stop being bewoners on their death.
 */
export function answerBewoningQuery(
  body: Record<string, unknown>,
  municipality: Municipality,
  history: ResidenceHistory,
): Answer {
  const valid = validateParams(body, TYPES);
  if (!valid.ok) return valid;
  const id = body["adresseerbaarObjectIdentificatie"] as string;
  const [van, tot] =
    valid.type === "BewoningMetPeildatum"
      ? [body["peildatum"] as string, addDays(body["peildatum"] as string, 1)]
      : [body["datumVan"] as string, body["datumTot"] as string];
  const address = municipality.addressByAdresseerbaarObjectId(id);
  if (!address) return { ok: true, body: { bewoningen: [] } };
  const stays: Stay[] = history.occupancyOf(address).map(({ person, period }) => {
    const b = periodBounds(period);
    return {
      person,
      vanEarliest: b.vanEarliest,
      vanLatest: b.vanLatest,
      end: earliest(b.tot, fullIso(person.overlijdensdatum)),
    };
  });
  const cuts = new Set([van]);
  for (const s of stays)
    for (const d of [s.vanEarliest, s.vanLatest, s.end]) if (d && d > van && d < tot) cuts.add(d);
  const points = [...cuts].sort();
  const bewoningen: {
    key: string;
    value: Record<string, unknown>;
    periode: { datumVan: string; datumTot: string };
  }[] = [];
  points.forEach((from, i) => {
    const to = points[i + 1] ?? tot;
    const certain = stays.filter((s) => s.vanLatest <= from && within(s, from)).map((s) => s.person);
    const sure = new Set(certain.map((p) => p.bsn));
    const possible = stays
      .filter((s) => !sure.has(s.person.bsn) && s.vanEarliest <= from && within(s, from))
      .map((s) => s.person);
    if (certain.length + possible.length === 0) return;
    const sort = (ps: Person[]) =>
      [...new Map(ps.map((p) => [p.bsn, p])).values()].sort((a, b) => a.bsn.localeCompare(b.bsn));
    const [b1, b2] = [sort(certain), sort(possible)];
    const key = `${b1.map((p) => p.bsn).join()}|${b2.map((p) => p.bsn).join()}`;
    const previous = bewoningen.at(-1);
    if (previous && previous.key === key && previous.periode.datumTot === from) {
      previous.periode.datumTot = to;
      return;
    }
    const lists =
      b1.length + b2.length > MAX_BEWONERS
        ? { indicatieVeelBewoners: true }
        : { bewoners: b1.map(bewoner), mogelijkeBewoners: b2.map(bewoner) };
    bewoningen.push({ key, periode: { datumVan: from, datumTot: to }, value: lists });
  });
  return {
    ok: true,
    body: {
      bewoningen: bewoningen.map((b) => ({
        adresseerbaarObjectIdentificatie: id,
        periode: b.periode,
        ...b.value,
      })),
    },
  };
}
