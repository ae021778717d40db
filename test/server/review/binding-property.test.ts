import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseSubjectRepository, type CaseRecord } from "../../../src/cases/index.ts";
import { auditIdOfKey } from "../../../src/shared/index.ts";
import { startTestApp, type TestApp } from "../../utils/test-app.ts";

/**
 * Issue 11, "done when": over random operations (aliases, named and inline fragments, hops,
 * repeated subjects, subjects of the case and strangers, known to the registries or not) against
 * every demo case, no answer of any mode — verify elements, territory, hit results, fields —
 * concerns a subject outside the case's subjects and those reached by approved hops.
 *
 * The oracle reads two things the gateway cannot bend: the response (a subject asked at the top
 * of the case must be one of the case's subjects, as stored, to get anything but null) and the
 * audit log (every disclosure record of the operation names a subject of the case, or says which
 * hop or host record reached it). Removing the binding makes strangers answer at the top level.
 */
let t: TestApp;
let cases: CaseRecord[];
const subjectsOf = new Map<string, Set<string>>();
let token: string;
let persons: string[];
let companies: string[];
let objects: { key: string; args: string }[];

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token("analist.jansen", "analyst");
  const m = t.app.demo!.municipality;
  cases = await Promise.all(
    ["intake", "weging", "bronnenonderzoek", "regie", "afgesloten"].map((p) => t.demoCase(p)),
  );
  for (const c of cases) subjectsOf.set(c.id, await caseSubjectRepository.keys(t.app.db, c.id));
  const resident = m.wellKnown.residentBsn;
  const housemate = m.residentsOf(m.wellKnown.residentAddress).find((p) => p.bsn !== resident)!.bsn;
  const strangers = [3, 40, 120].map((i) => m.personAt(i)!.bsn).filter((b) => b !== resident);
  persons = [resident, m.wellKnown.elsewhereBsn, housemate, "999999023", ...strangers];
  companies = ["88888888", "81234567", "90001234", "69599084"];
  const a = m.wellKnown.residentAddress;
  const other = m.addressAt(7)!;
  objects = [
    {
      key: `adres:${a.postcode}-${a.huisnummer}`,
      args: `postcode: "${a.postcode}", huisnummer: ${a.huisnummer}`,
    },
    {
      key: `object:${a.adresseerbaarObjectIdentificatie}`,
      args: `adresseerbaarObjectIdentificatie: "${a.adresseerbaarObjectIdentificatie}"`,
    },
    {
      key: `adres:${other.postcode}-${other.huisnummer}`,
      args: `postcode: "${other.postcode}", huisnummer: ${other.huisnummer}`,
    },
    {
      key: `object:${other.adresseerbaarObjectIdentificatie}`,
      args: `adresseerbaarObjectIdentificatie: "${other.adresseerbaarObjectIdentificatie}"`,
    },
  ];
});
afterAll(() => t.close());

const PERSON_MODES = [
  `verify(input: { geslachtsnaam: "Jansen" }) { overall naam }`,
  "binnenGemeente",
  "hits { probe result }",
  "brp { naam { geslachtsnaam } burgerservicenummer }",
  "vergunningen { soort }",
];
const personHops = (inner: string) => [
  `adres { bag { adres { postcode } } bewoners { bsn ${inner} } }`,
  `eerdereAdressen { bag { adres { postcode } } }`,
];
const OBJECT_FIELDS = ["bag { adres { postcode } }", "hits { probe result }", "vergunningen { soort }"];
const COMPANY_FIELDS = ["handelsregister { naam }", "hits { probe result }", "vergunningen { soort }"];

/** One top-level selection on the case: a kind of subject, which one, and what is asked. */
const selection = fc.oneof(
  fc.record({
    kind: fc.constant("persoon" as const),
    i: fc.nat(),
    fields: fc.subarray([...PERSON_MODES, ...personHops("hits { result } brp { naam { geslachtsnaam } }")], {
      minLength: 1,
    }),
  }),
  fc.record({
    kind: fc.constant("onderneming" as const),
    i: fc.nat(),
    fields: fc.subarray([...COMPANY_FIELDS, "vestigingen { bag { adres { postcode } } }"], { minLength: 1 }),
  }),
  fc.record({
    kind: fc.constant("object" as const),
    i: fc.nat(),
    fields: fc.subarray(
      [
        ...OBJECT_FIELDS,
        "bewoners { bsn brp { naam { geslachtsnaam } } hits { result } }",
        "ondernemingen { kvkNummer handelsregister { naam } }",
      ],
      { minLength: 1 },
    ),
  }),
);
type Selection = typeof selection extends fc.Arbitrary<infer S> ? S : never;

const FRAGMENT_TYPE = {
  persoon: "PersoonView",
  onderneming: "OndernemingView",
  object: "ObjectView",
} as const;

/** Builds the document: each selection aliased, its fields inline, in an inline or a named fragment. */
function document(sels: readonly Selection[], style: readonly number[]) {
  const fragments: string[] = [];
  const parts = sels.map((s, n) => {
    const { head, key } = subjectOf(s);
    const body = s.fields.join(" ");
    const how = style[n % style.length] ?? 0;
    let inner = body;
    if (how === 1) inner = `... on ${FRAGMENT_TYPE[s.kind]} { ${body} }`;
    if (how === 2) {
      fragments.push(`fragment F${n} on ${FRAGMENT_TYPE[s.kind]} { ${body} }`);
      inner = `...F${n}`;
    }
    return { alias: `s${n}`, key, text: `s${n}: ${head} { ${inner} }` };
  });
  return {
    parts,
    text: (id: string) =>
      `query { case(id: "${id}") { ${parts.map((p) => p.text).join(" ")} } } ${fragments.join(" ")}`,
  };
}

function subjectOf(s: Selection): { head: string; key: string } {
  if (s.kind === "persoon") {
    const bsn = persons[s.i % persons.length]!;
    return { head: `persoon(bsn: "${bsn}")`, key: `persoon:${bsn}` };
  }
  if (s.kind === "onderneming") {
    const kvk = companies[s.i % companies.length]!;
    return { head: `onderneming(kvkNummer: "${kvk}")`, key: `onderneming:${kvk}` };
  }
  const o = objects[s.i % objects.length]!;
  return { head: `object(${o.args})`, key: o.key };
}

/** Every non-null leaf under a value: anything answered at all. */
const answered = (v: unknown): boolean =>
  v !== null && v !== undefined && (typeof v !== "object" || Object.values(v as object).some(answered));

describe("purpose binding over random operations (issue 11)", () => {
  it("no answer of any mode concerns a subject outside the case's subjects and approved hops", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 4 }),
        fc.array(selection, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (c, sels, style, repeat) => {
          const record = cases[c]!;
          const named = subjectsOf.get(record.id)!;
          const all = repeat ? [...sels, ...sels] : sels;
          const doc = document(all, style);
          const before = (await t.app.audit.list({ caseId: record.id, limit: 1_000_000 })).at(-1)?.seq ?? 0;
          const r = await t.gql(token, doc.text(record.id));
          const data = (r.data as { case: Record<string, Record<string, unknown> | null> } | null)?.case;
          for (const p of doc.parts) {
            const view = data?.[p.alias];
            if (named.has(p.key)) continue;
            // A stranger's view: only its own identifier (bsn / kvkNummer, echoed from the query) may be non-null.
            const leaked = Object.entries(view ?? {}).filter(
              ([k, v]) => k !== "bsn" && k !== "kvkNummer" && answered(v),
            );
            expect(leaked, `${p.key} is not a subject of ${record.reference}`).toEqual([]);
          }
          const records = (
            await t.app.audit.list({ caseId: record.id, afterSeq: before, limit: 1_000_000 })
          ).filter(
            (x) => x.kind === "disclosure" && x.decision === "allow" && x.subjectPseudonym !== undefined,
          );
          const pseudonyms = new Set(
            [...named].map((k) => {
              const id = auditIdOfKey(k);
              return t.app.audit.pseudonymise(id.subject, id.subjectType);
            }),
          );
          for (const x of records)
            if (!pseudonyms.has(x.subjectPseudonym!))
              expect(
                x.detail?.reachedVia ?? x.detail?.embeddedIn,
                `${x.operation}: a disclosure about someone the case does not name, not reached by a hop`,
              ).toBeDefined();
        },
      ),
      { numRuns: 60 },
    );
  });
});
