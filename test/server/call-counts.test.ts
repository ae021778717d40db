import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRP_MAX_BSNS_PER_CALL } from "../../src/sources/brp/index.ts";
import type { Address, Municipality, Person } from "../../src/sources/synthetic/index.ts";
import {
  clearAllRequests,
  duplicateKeys,
  requestCounts,
  requestKey,
  simulatorOf,
  SOURCES,
} from "../utils/source-simulators.ts";
import { addSubjects, personKeys } from "../utils/case-subjects.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * design.md "Scale": a query over many persons and their addresses makes a bounded number of
 * upstream calls (batched or deduplicated per request), counted at the simulators.
 */
const BULK = 120;
let t: TestApp;
let token: string;
let caseId: string;

beforeAll(async () => {
  // Bulk hits below ask about more subjects than one operation may by default.
  t = await startTestApp({ env: { LIMIT_MAX_SUBJECTS: String(BULK) } });
  token = await t.token("analist.jansen", "analyst");
  caseId = (await t.demoCase("regie")).id;
  // Scale is about many subjects: every person of the municipality is one of this case's.
  await addSubjects(t.app, caseId, personKeys([...t.app.demo!.municipality.persons()].map((p) => p.bsn)));
});
afterAll(() => t.close());

const PERSON = `brp { naam { geslachtsnaam } }
  adres {
    bag { adres { postcode } adresseerbaarObject { oppervlakte } }
    vergunningen { soort }
    bewoners { bsn }
    woz { identificatie waarden { vastgesteldeWaarde } }
    kadaster { kadastraleAanduiding }
  }
  vergunningen { soort }
  brk { identificatie }`;

/** One query with a `persoon(bsn:)` field per BSN, aliased p0, p1, … */
const personsQuery = (bsns: readonly string[]) =>
  `query($id: ID!) { case(id: $id) { ${bsns.map((bsn, i) => `p${i}: persoon(bsn: "${bsn}") { ${PERSON} }`).join("\n")} } }`;

interface PersonAnswer {
  brp: { naam: { geslachtsnaam: string | null } | null } | null;
  adres: {
    bag: {
      adres: { postcode: string | null } | null;
      adresseerbaarObject: { oppervlakte: number | null } | null;
    };
    vergunningen: { soort: string | null }[];
    bewoners: { bsn: string }[];
    woz: { identificatie: string | null; waarden: { vastgesteldeWaarde: number | null }[] | null } | null;
    kadaster: { kadastraleAanduiding: string | null }[];
  } | null;
  vergunningen: { soort: string | null }[];
  brk: { identificatie: string | null }[];
}

const addressOf = (p: Person): Address | undefined =>
  p.verblijfplaats?.kind === "adres" ? p.verblijfplaats.address : undefined;

/**
 * Living persons registered in the municipality, taken household by household (all residents of
 * an address, then the next address), so that several of them share an address.
 */
function residents(m: Municipality, n: number): Person[] {
  const chosen: Person[] = [];
  for (let i = 0; i < m.addressCount && chosen.length < n; i++) {
    const address = m.addressAt(i);
    if (!address) continue;
    for (const p of m.residentsOf(address))
      if (chosen.length < n && !p.overlijdensdatum && p.gemeenteVanInschrijving.code === m.code)
        chosen.push(p);
  }
  return chosen;
}

/** Every simulator's requests, none with the same method, path, query and body as another. */
function expectNoRepeatedRequest() {
  for (const { source } of SOURCES) {
    const keys = simulatorOf(t.app, source).requests.map(requestKey);
    expect(duplicateKeys(keys), `repeated requests to ${source}`).toEqual([]);
  }
  // The BRP in particular: no BSN asked twice with the same fields.
  const asked = simulatorOf(t.app, "brp").requests.flatMap((r) => {
    const body = r.body as { burgerservicenummer: string[]; fields: string[] };
    return body.burgerservicenummer.map((bsn) => `${bsn}|${[...body.fields].sort().join(",")}`);
  });
  expect(duplicateKeys(asked), "BSNs asked twice with the same fields").toEqual([]);
}

describe("50 persons with their addresses in one query", () => {
  it("make a bounded number of calls per source, none of them twice", async () => {
    const m = t.app.demo!.municipality;
    const permitRegister = t.app.demo!.simulators.permits.register;
    const persons = residents(m, 50);
    expect(persons).toHaveLength(50);
    const objects = [...new Set(persons.map((p) => addressOf(p)?.adresseerbaarObjectIdentificatie))];
    expect(objects.every((o) => o !== undefined)).toBe(true);
    // The point of the exercise: persons share addresses.
    expect(objects.length).toBeLessThan(persons.length);

    clearAllRequests(t.app);
    const r = await t.gql(token, personsQuery(persons.map((p) => p.bsn)), { id: caseId });
    const counts = requestCounts(t.app);

    // The answer is complete.
    expect(r.errors).toBeUndefined();
    const answers = (r.data as { case: Record<string, PersonAnswer> }).case;
    persons.forEach((p, i) => {
      const a = answers[`p${i}`];
      expect(a?.brp?.naam?.geslachtsnaam, p.bsn).toBe(p.geslachtsnaam);
      expect(a?.adres?.bag.adres?.postcode, p.bsn).toBe(addressOf(p)?.postcode);
      expect(a?.adres?.bag.adresseerbaarObject?.oppervlakte, p.bsn).toEqual(expect.any(Number));
      expect(
        a?.adres?.bewoners.map((b) => b.bsn),
        p.bsn,
      ).toContain(p.bsn);
      expect(Array.isArray(a?.adres?.vergunningen) && Array.isArray(a?.vergunningen), p.bsn).toBe(true);
      expect(a?.adres?.woz?.identificatie, p.bsn).toMatch(/^[0-9]{12}$/);
      expect(a?.adres?.kadaster, p.bsn).toHaveLength(1);
      expect(Array.isArray(a?.brk), p.bsn).toBe(true);
    });
    // Some of them own their home: the BRK's search by BSN finds it.
    expect(persons.filter((_, i) => (answers[`p${i}`]?.brk.length ?? 0) > 0).length).toBeGreaterThan(0);

    // BRP: one batch of at most 20 BSNs per distinct `fields` set (brp-loaders.ts); two sets here,
    // the naam for `brp` and verblijfplaats.adresseerbaarObjectIdentificatie for the hop `adres`.
    expect(counts.brp).toBeLessThanOrEqual(2 * Math.ceil(persons.length / BRP_MAX_BSNS_PER_CALL));
    // BAG, per distinct object asked by BAG id (bag-object.ts): its addresses for `adres` and the
    // adresseerbaar object for `adresseerbaarObject`. The object's links (permits, residents) need
    // no BAG call, since the hop from a person gives the BAG id.
    const bagCallsPerObject = 2;
    expect(counts.bag).toBeLessThanOrEqual(objects.length * bagCallsPerObject);
    expect(counts.bag).toBeLessThan(persons.length * bagCallsPerObject);
    // Permits: one zaken list per person, one zaakobjecten list per object plus one _zoek for an
    // object that has zaken (permits-client.ts zakenBijObject), and the catalogue once.
    const objectsWithZaken = objects.filter((o) => permitRegister.zakenBijObject(o ?? "").length > 0).length;
    expect(counts.permits).toBeLessThanOrEqual(persons.length + objects.length + objectsWithZaken + 1);
    expect(simulatorOf(t.app, "permits").requests.filter((q) => q.path.endsWith("/zaaktypen"))).toHaveLength(
      1,
    );
    // Bewoning: one call per object.
    expect(counts.bewoning).toBe(objects.length);
    // WOZ: one search per object by its BAG id (woz-object.ts), whatever is asked of it.
    expect(counts.woz).toBe(objects.length);
    // BRK: one search by BSN per person (brk on the person), one by address per object (kadaster on
    // the address, whose address the BAG has already given); only identificatie asked, so no
    // sub-resource is fetched.
    expect(counts.brk).toBe(persons.length + objects.length);
    // Not asked for.
    expect(counts.hr).toBe(0);
    expect(counts.historie).toBe(0);

    expect(
      SOURCES.flatMap(({ source }) => simulatorOf(t.app, source).requests.map((q) => q.status)).filter(
        (s) => s !== 200,
      ),
    ).toEqual([]);
    expectNoRepeatedRequest();
  });
});

describe("the same person under several aliases", () => {
  it("costs no more calls than asking once", async () => {
    const bsn = t.app.demo!.municipality.wellKnown.residentBsn;

    clearAllRequests(t.app);
    const once = await t.gql(token, personsQuery([bsn]), { id: caseId });
    const onceCounts = requestCounts(t.app);
    expect(once.errors).toBeUndefined();
    expect(onceCounts.brp).toBeGreaterThan(0);

    clearAllRequests(t.app);
    const thrice = await t.gql(token, personsQuery([bsn, bsn, bsn]), { id: caseId });
    const thriceCounts = requestCounts(t.app);
    expect(thrice.errors).toBeUndefined();
    const answers = (thrice.data as { case: Record<string, PersonAnswer> }).case;
    const first = (once.data as { case: Record<string, PersonAnswer> }).case["p0"];
    expect(first?.brp?.naam?.geslachtsnaam).toBeTruthy();
    expect([answers["p0"], answers["p1"], answers["p2"]]).toEqual([first, first, first]);

    for (const { source } of SOURCES)
      expect(thriceCounts[source], source).toBeLessThanOrEqual(onceCounts[source]);
    expectNoRepeatedRequest();
  });
});

describe("bulk hits for many subjects of a case (issue 15, P3)", () => {
  it("ask the BRP once per 20 BSNs for all BRP probes together, and none is UNKNOWN (the line waits)", async () => {
    const hitsCase = (await t.demoCase("bronnenonderzoek")).id;
    const m = t.app.demo!.municipality;
    const persons = residents(m, BULK);
    expect(persons).toHaveLength(BULK);
    await addSubjects(t.app, hitsCase, personKeys(persons.map((p) => p.bsn)));
    const query = `query($id: ID!) { case(id: $id) { ${persons
      .map((p, i) => `p${i}: persoon(bsn: "${p.bsn}") { hits { source probe result } }`)
      .join("\n")} } }`;

    clearAllRequests(t.app);
    const r = await t.gql(token, query, { id: hitsCase });
    const counts = requestCounts(t.app);

    expect(r.errors).toBeUndefined();
    const answers = Object.values(
      (r.data as { case: Record<string, { hits: { source: string; probe: string; result: string }[] }> })
        .case,
    );
    expect(answers).toHaveLength(persons.length);
    const brpProbes = answers.flatMap((a) => a.hits.filter((h) => h.source === "brp"));
    // Both BRP probes are asked of every person: two field sets, one call per 20 BSNs.
    expect(new Set(brpProbes.map((h) => h.probe))).toEqual(
      new Set(["brp.ingeschreven", "brp.binnenGemeente"]),
    );
    expect(brpProbes).toHaveLength(2 * persons.length);
    expect(brpProbes.every((h) => h.result === "HIT")).toBe(true);
    expect(counts.brp).toBe(Math.ceil(persons.length / BRP_MAX_BSNS_PER_CALL));
    // The historie probe makes one call per person: more than the bulkhead holds, and they wait.
    expect(counts.historie).toBe(persons.length);
    expect(answers.flatMap((a) => a.hits).filter((h) => h.result === "UNKNOWN")).toEqual([]);
    expectNoRepeatedRequest();
  });
});
