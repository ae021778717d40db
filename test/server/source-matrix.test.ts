import { getNamedType, isObjectType, type GraphQLObjectType } from "graphql";
import { addSubjects } from "../utils/case-subjects.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSchema } from "../../src/server/index.ts";
import type { Role } from "../../src/shared/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * Every field of every non-BRP registry type (BAG, HR, permits, historie, WOZ, Kadaster), of every
 * register (issue 16: uitkeringen, subsidies, boa, erfpacht) and every hop, for
 * every role x phase of the demo policy: no leaf outside the policy is ever released, and what
 * the policy releases is there. The expectation is written out here, independently of the code
 * that enforces it (policies/disclosure.yaml and the demo approvals in src/demo/seed-demo.ts).
 */
const schema = buildSchema();
const ALIAS = "x_";
function selection(type: GraphQLObjectType, depth = 0): string {
  return Object.values(type.getFields())
    .map((f) => {
      const named = getNamedType(f.type);
      return isObjectType(named) && depth < 5
        ? `${ALIAS}${f.name}: ${f.name} { ${selection(named, depth + 1)} }`
        : `${ALIAS}${f.name}: ${f.name}`;
    })
    .join(" ");
}
const all = (type: string) => `{ ${selection(schema.getType(type) as GraphQLObjectType)} }`;
/** Issue 16: every field of a register (policies/registers), each asked by name. */
const REGISTER_FIELDS: Record<string, readonly string[]> = {
  uitkeringen: ["regeling", "soort", "startdatum", "einddatum", "status"],
  subsidies: ["regeling", "bedrag", "besluitdatum", "status"],
  boa: ["datum", "categorie", "feitcode", "omschrijving"],
  erfpacht: ["soort", "ingangsdatum", "einddatum", "canon"],
};
const register = (name: string) =>
  `${name}: register(name: "${name}") { ${(REGISTER_FIELDS[name] ?? []).map((f) => `${ALIAS}${f}: value(field: "${f}")`).join(" ")} }`;

const QUERY = `query($id: ID!, $bsn: String!, $kvk: String!, $aoid: String!) { case(id: $id) {
  persoon(bsn: $bsn) {
    verblijfplaatshistorie ${all("HistorieVerblijfplaats")}
    vergunningen ${all("Vergunning")}
    ${register("uitkeringen")}
    adres { bag { adres { postcode } } }
    eerdereAdressen { bag { adres { postcode } } }
  }
  onderneming(kvkNummer: $kvk) {
    handelsregister ${all("HrOnderneming")}
    vergunningen ${all("Vergunning")}
    ${register("subsidies")}
    vestigingen { bag { adres { postcode } } }
  }
  object(adresseerbaarObjectIdentificatie: $aoid) {
    bag ${all("BagObject")}
    woz ${all("WozObject")}
    vergunningen ${all("Vergunning")}
    ${register("boa")}
    ${register("erfpacht")}
    ondernemingen { kvkNummer }
    bewoners { bsn }
  }
} }`;
/** The Kadaster's roots, apart: with the rest in one operation they would pass the fan-out limit. */
const KADASTER_QUERIES = [
  `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
    brk ${all("BrkOnroerendeZaak")}
    eigendommen { bag { adres { postcode } } }
  } } }`,
  `query($id: ID!, $aoid: String!) { case(id: $id) { object(adresseerbaarObjectIdentificatie: $aoid) {
    kadaster ${all("KadasterPerceel")}
    brk ${all("BrkOnroerendeZaak")}
    eigenaren { bsn }
    eigenaarOndernemingen { kvkNummer }
  } } }`,
];

/** Leaves as `path -> value`, list items without index, aliases removed. */
function leaves(value: unknown, prefix = "", out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(value)) value.forEach((v) => leaves(v, prefix, out));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      const key = k.startsWith(ALIAS) ? k.slice(ALIAS.length) : k;
      leaves(v, prefix ? `${prefix}.${key}` : key, out);
    }
  else out.push([prefix, value]);
  return out;
}

const OPEN_PHASES = ["intake", "weging", "bronnenonderzoek", "regie"];
const PERMITS_APPROVED = ["soort", "zaaktype", "startdatum", "einddatum", "status"];
/** The demo regie case's checks 2a on the registers (src/demo/seed-demo.ts DEMO_APPROVALS). */
const REGISTERS_APPROVED: Record<string, readonly string[]> = {
  "persoon.uitkeringen": ["regeling", "startdatum", "einddatum", "status"],
  "onderneming.subsidies": ["regeling", "bedrag", "status"],
  "object.boa": ["datum", "categorie"],
};
/** Erfpacht's open information (Maastricht bijlage A fase 1): every working phase, no check; never the canon. */
const ERFPACHT_OPEN = ["soort", "ingangsdatum", "einddatum"];
const HISTORIE_APPROVED = [
  "datumVan",
  "datumTot",
  "gemeenteVanInschrijving",
  "adresseerbaarObjectIdentificatie",
];

/** The open WOZ information (Maastricht bijlage A fase 1 punt 9); the beschikking's statuses are not. */
const WOZ_OPEN = [
  "identificatie",
  "aanduiding",
  "adresseerbaarObjectIdentificaties",
  "pandIdentificaties",
  "grondoppervlakte",
  "kadastraalOnroerendeZaken",
  "verantwoordelijkeGemeente",
  "waarden.vastgesteldeWaarde",
  "waarden.waardepeildatum",
  "waarden.ingangsdatum",
];

const BRK_APPROVED = [
  "identificatie",
  "adresseerbaarObjectIdentificaties",
  "zakelijkGerechtigden",
  "hypotheken",
  "beslagen",
];

/** Per query root: which leaves under it may be non-null ("*" = all of them). */
function expected(assigned: boolean, phase: string): Record<string, readonly string[]> {
  if (!assigned) return {};
  const open = OPEN_PHASES.includes(phase);
  const regie = phase === "regie";
  const out: Record<string, readonly string[]> = {};
  if (open) {
    out["object.bag"] = ["*"];
    out["onderneming.handelsregister"] = ["*"];
    out["object.ondernemingen"] = ["*"];
    out["onderneming.vestigingen"] = ["*"];
    out["object.woz"] = WOZ_OPEN;
    out["object.erfpacht"] = ERFPACHT_OPEN;
    out["object.kadaster"] = ["*"];
  }
  if (regie) {
    out["persoon.verblijfplaatshistorie"] = HISTORIE_APPROVED;
    for (const root of ["persoon.vergunningen", "onderneming.vergunningen", "object.vergunningen"])
      out[root] = PERMITS_APPROVED;
    out["persoon.adres"] = ["*"];
    out["persoon.eerdereAdressen"] = ["*"];
    out["object.bewoners"] = ["*"];
    Object.assign(out, REGISTERS_APPROVED);
    out["persoon.brk"] = BRK_APPROVED;
    out["object.brk"] = BRK_APPROVED;
    out["persoon.eigendommen"] = ["*"];
    out["object.eigenaren"] = ["*"];
    out["object.eigenaarOndernemingen"] = ["*"];
  }
  return out;
}

const ACTORS: [string, string, Role, boolean, string?][] = [
  ["owner", "analist.jansen", "analyst", true],
  ["substitute", "analist.devries", "analyst", true],
  ["foreign analyst", "analist.bakker", "analyst", false],
  ["privacy officer", "privacy.officer", "privacy_officer", false],
  ["coordinator", "coordinator", "coordinator", false],
  ["dpo", "fg", "dpo", false],
  ["department member", "medewerker.vergunningen", "department_member", false, "vergunningen"],
  ["legal", "jurist", "legal", false],
  ["application", "app-client", "application", false],
];
const PHASES = ["intake", "weging", "bronnenonderzoek", "regie", "afgesloten"];
const ROOTS = [
  "persoon.verblijfplaatshistorie",
  "persoon.vergunningen",
  "persoon.adres",
  "persoon.eerdereAdressen",
  "onderneming.handelsregister",
  "onderneming.vergunningen",
  "onderneming.vestigingen",
  "object.bag",
  "object.woz",
  "object.vergunningen",
  "object.ondernemingen",
  "object.bewoners",
  "persoon.uitkeringen",
  "onderneming.subsidies",
  "object.boa",
  "object.erfpacht",
  "persoon.brk",
  "persoon.eigendommen",
  "object.kadaster",
  "object.brk",
  "object.eigenaren",
  "object.eigenaarOndernemingen",
];

let t: TestApp;
let vars: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  const permits = t.app.demo!.simulators.permits.register.wellKnown;
  vars = {
    bsn: t.app.demo!.municipality.wellKnown.residentBsn,
    kvk: permits.horecaKvkNummerWithPermit,
    aoid: permits.objectWithHorecavergunning,
  };
  // The horeca premises are a subject of every demo case too (issue 11: a case answers only about its subjects).
  for (const phase of PHASES)
    await addSubjects(t.app, (await t.demoCase(phase)).id, [
      `object:${vars.aoid}`,
      `onderneming:${vars.kvk}`,
    ]);
});
afterAll(() => t.close());

describe.each(PHASES)("phase %s", (phase) => {
  it.each(ACTORS)(
    "%s gets exactly the allowed leaves of every source",
    async (_, sub, role, assigned, dept) => {
      const c = await t.demoCase(phase);
      const token = await t.token(sub, role, dept);
      const answers = [
        await t.gql(token, QUERY, { id: c.id, ...vars }),
        await t.gql(token, KADASTER_QUERIES[0] ?? "", { id: c.id, bsn: vars["bsn"] }),
        await t.gql(token, KADASTER_QUERIES[1] ?? "", { id: c.id, aoid: vars["aoid"] }),
      ];
      for (const r of answers)
        for (const e of r.errors ?? [])
          expect(["FORBIDDEN", "NOT_FOUND"], e.message).toContain(e.extensions?.code);
      type Views = Record<string, Record<string, unknown> | null>;
      const cases = answers.map((r) => (r.data as { case?: Views } | null)?.case ?? null);
      const data: Views | null = cases.every((x) => x === null)
        ? null
        : Object.fromEntries(
            ["persoon", "onderneming", "object"].map((v) => [
              v,
              Object.assign({}, ...cases.map((x) => x?.[v])),
            ]),
          );
      const allowed = expected(assigned, phase);
      for (const root of ROOTS) {
        const [view, field] = root.split(".") as [string, string];
        const got = leaves(data?.[view]?.[field] ?? null).filter(([, v]) => v !== null);
        const units = allowed[root];
        if (!units) {
          expect(got, `${root} must release nothing`).toEqual([]);
          continue;
        }
        if (units.includes("*")) {
          // A hop or open data: answered (a list may be empty: nobody lives at a business address).
          expect(data?.[view]?.[field], `${root} must be answered`).not.toBeNull();
          continue;
        }
        expect(got.length, `${root} must release its approved leaves`).toBeGreaterThan(0);
        for (const [path] of got)
          expect(
            units.some((u) => path === u || path.startsWith(`${u}.`)),
            `${root}.${path} is not approved`,
          ).toBe(true);
      }
    },
  );
});
