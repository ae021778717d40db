import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";

/**
 * Issue 3's demo walk: from a person to their address, the businesses and permits there and the
 * other residents, and from a company to its vestigingen, with each hop answering as the case's
 * phase allows (policies/disclosure.yaml). One query per phase; what is denied is null with
 * FORBIDDEN at its own path and nothing else in the query is lost.
 */
let t: TestApp;
let owner: string;
let resident: string;
let horeca: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.token("analist.jansen", "analyst");
  resident = t.app.demo!.municipality.wellKnown.residentBsn;
  horeca = t.app.demo!.simulators.kvk.register.wellKnown.horecaKvkNummer;
});
afterAll(() => t.close());

const WALK = `query($id: ID!, $bsn: String!, $kvk: String!) { case(id: $id) {
  persoon(bsn: $bsn) {
    hits { probe result }
    adres {
      bag { adres { postcode huisnummer } adresseerbaarObject { gebruiksdoelen } }
      bewoners { bsn brp { naam { geslachtsnaam } } }
      ondernemingen { kvkNummer }
      vergunningen { soort }
    }
    eerdereAdressen { bag { adres { postcode } } }
    vergunningen { soort }
  }
  object(postcode: "6200 aa", huisnummer: 91) {
    hits { probe result }
    bag { adres { openbareRuimteNaam } }
    ondernemingen { kvkNummer }
    bewoners { bsn }
    vergunningen { soort }
  }
  onderneming(kvkNummer: $kvk) {
    hits { probe result }
    handelsregister { naam vestigingen { vestigingsnummer } }
    vestigingen {
      bag { adres { postcode } }
      ondernemingen { kvkNummer }
      vergunningen { soort }
    }
    vergunningen { soort }
  }
} }`;

type Walk = {
  persoon: {
    hits: { probe: string; result: string }[] | null;
    adres: {
      bag: { adres: { postcode: string; huisnummer: number } };
      bewoners: { bsn: string; brp: { naam: { geslachtsnaam: string } } }[];
      ondernemingen: { kvkNummer: string }[];
      vergunningen: { soort: string }[];
    } | null;
    eerdereAdressen: { bag: { adres: { postcode: string } } }[] | null;
    vergunningen: { soort: string }[] | null;
  };
  object: {
    hits: { probe: string; result: string }[] | null;
    bag: { adres: { openbareRuimteNaam: string } } | null;
    ondernemingen: unknown[] | null;
    bewoners: { bsn: string }[] | null;
    vergunningen: { soort: string }[] | null;
  };
  onderneming: {
    hits: { probe: string; result: string }[] | null;
    handelsregister: { naam: string; vestigingen: { vestigingsnummer: string }[] } | null;
    vestigingen:
      | {
          bag: { adres: { postcode: string } };
          ondernemingen: { kvkNummer: string }[];
          vergunningen: unknown;
        }[]
      | null;
    vergunningen: { soort: string }[] | null;
  };
};

async function walk(phase: string): Promise<{ r: GqlResult; w: Walk; denied: string[] }> {
  const c = await t.demoCase(phase);
  const r = await t.gql(owner, WALK, { id: c.id, bsn: resident, kvk: horeca });
  const w = (r.data as { case: Walk }).case;
  const codes = errorCodes(r);
  const other = Object.entries(codes).filter(([, code]) => code !== "FORBIDDEN");
  expect(other, JSON.stringify(r.errors)).toEqual([]);
  return {
    r,
    w,
    denied: Object.keys(codes)
      .map((p) => p.replace(/^case\./, ""))
      .sort(),
  };
}

const probes = (hits: { probe: string }[] | null) => (hits ?? []).map((h) => h.probe).sort();

describe("the walk per phase", () => {
  it.each(["intake", "weging"])(
    "%s: open sources only (BAG, open HR, open WOZ); the BRP only verifies",
    async (phase) => {
      const { w, denied } = await walk(phase);
      expect(denied).toEqual(
        [
          "persoon.hits",
          "persoon.adres",
          "persoon.eerdereAdressen",
          "persoon.vergunningen",
          "object.bewoners",
          "object.vergunningen",
          "onderneming.vergunningen",
          "onderneming.vestigingen.0.vergunningen",
          "onderneming.vestigingen.1.vergunningen",
        ].sort(),
      );
      expect(w.object.bag?.adres.openbareRuimteNaam).toBe("Meerssenerweg");
      expect(probes(w.object.hits)).toEqual([
        "bag.adresBestaat",
        "bag.binnenGemeente",
        // Issue 16: erfpacht is open information in every working phase (Maastricht bijlage A fase 1).
        "erfpacht.inErfpacht",
        "hr.vestigingOpAdres",
        "woz.objectBekend",
        "woz.waardeBekend",
      ]);
      expect(w.object.hits?.find((h) => h.probe === "hr.vestigingOpAdres")?.result).toBe("NO_HIT");
      expect(w.object.ondernemingen).toEqual([]);
      expect(probes(w.onderneming.hits)).toEqual(["hr.ingeschreven"]);
      expect(w.onderneming.handelsregister?.naam).toBeTruthy();
      // company → vestigingen → object → the businesses there: the company itself.
      expect(w.onderneming.vestigingen?.length).toBe(w.onderneming.handelsregister?.vestigingen.length);
      for (const v of w.onderneming.vestigingen ?? [])
        expect(v.ondernemingen.map((o) => o.kvkNummer)).toContain(horeca);
    },
  );

  it("bronnenonderzoek: closed sources answer hit / no hit only; no hop into closed data", async () => {
    const { w, denied } = await walk("bronnenonderzoek");
    expect(denied).toEqual(
      [
        "persoon.adres",
        "persoon.eerdereAdressen",
        "persoon.vergunningen",
        "object.bewoners",
        "object.vergunningen",
        "onderneming.vergunningen",
        "onderneming.vestigingen.0.vergunningen",
        "onderneming.vestigingen.1.vergunningen",
      ].sort(),
    );
    expect(Object.fromEntries((w.persoon.hits ?? []).map((h) => [h.probe, h.result]))).toEqual({
      "brp.ingeschreven": "HIT",
      "brp.binnenGemeente": "HIT",
      "historie.eerderAdresInGemeente": "HIT",
      "permits.horeca": "HIT",
      "permits.exploitatie": "HIT",
      "permits.omgeving": "HIT",
      "permits.parkeer": "HIT",
      "permits.boeteAlcoholwet": "NO_HIT",
      // Issue 16: the demo's benefits register (src/demo/seed-registers.ts) knows the resident.
      "uitkeringen.lopend": "HIT",
      "uitkeringen.bekend": "HIT",
      // The resident owns their home, with a mortgage (src/sources/brk/brk-synthetic.ts).
      "brk.eigendomBekend": "HIT",
      "brk.hypotheekBekend": "HIT",
      "brk.beslagBekend": "NO_HIT",
      "brk.beperkingBekend": "NO_HIT",
    });
    expect(Object.fromEntries((w.object.hits ?? []).map((h) => [h.probe, h.result]))).toMatchObject({
      "bewoning.bewoondOpPeildatum": "HIT",
      "permits.omgeving": "HIT",
      "permits.horeca": "NO_HIT",
    });
    expect(Object.fromEntries((w.onderneming.hits ?? []).map((h) => [h.probe, h.result]))).toMatchObject({
      "hr.ingeschreven": "HIT",
      "permits.horeca": "HIT",
      "permits.boeteAlcoholwet": "HIT",
    });
  });

  it("regie: the approved fields, and every hop the approvals open", async () => {
    const { w, denied } = await walk("regie");
    expect(denied).toEqual(["persoon.hits"]);
    const adres = w.persoon.adres;
    expect(adres?.bag.adres).toEqual({ postcode: "6200AA", huisnummer: 91 });
    // the other residents, each answering by the BRP's own approvals (naam is approved)
    expect(adres?.bewoners.map((b) => b.bsn)).toContain(resident);
    expect(adres?.bewoners.length).toBeGreaterThan(1);
    for (const b of adres?.bewoners ?? []) expect(b.brp.naam.geslachtsnaam).toBeTruthy();
    expect(adres?.ondernemingen).toEqual([]);
    expect(adres?.vergunningen.map((v) => v.soort)).toContain("omgevingsvergunning");
    expect(w.persoon.vergunningen?.map((v) => v.soort)).toEqual(
      expect.arrayContaining(["horecavergunning", "omgevingsvergunning"]),
    );
    expect(w.persoon.eerdereAdressen?.length).toBeGreaterThan(0);
    expect(w.object.bewoners?.map((b) => b.bsn).sort()).toEqual(adres?.bewoners.map((b) => b.bsn).sort());
    expect(w.onderneming.vergunningen?.map((v) => v.soort)).toEqual(
      expect.arrayContaining(["horecavergunning", "exploitatievergunning", "boeteAlcoholwet"]),
    );
    const hoofd = w.onderneming.vestigingen?.[0];
    expect(hoofd?.vergunningen).toEqual(expect.arrayContaining([{ soort: "horecavergunning" }]));
  });

  it("afgesloten: nothing new from any source", async () => {
    const { w, denied } = await walk("afgesloten");
    expect(denied).toEqual(
      [
        "persoon.hits",
        "persoon.adres",
        "persoon.eerdereAdressen",
        "persoon.vergunningen",
        "object.hits",
        "object.bag",
        "object.ondernemingen",
        "object.bewoners",
        "object.vergunningen",
        "onderneming.hits",
        "onderneming.handelsregister",
        "onderneming.vestigingen",
        "onderneming.vergunningen",
      ].sort(),
    );
    expect(w.object.bag).toBeNull();
  });
});

describe("each API's own 'nothing found'", () => {
  it("KVK Zoeken's 404 (in KVK's format) is NO_HIT for a vestiging at the address, not an error", async () => {
    const kvk = t.app.demo!.simulators.kvk;
    kvk.clearRequests();
    const c = await t.demoCase("bronnenonderzoek");
    const r = await t.gql(
      owner,
      `query($id: ID!) { case(id: $id) { object(postcode: "6200AA", huisnummer: 91) { hits(probes: ["hr.vestigingOpAdres"]) { result hit } } } }`,
      { id: c.id },
    );
    expect(r.data).toEqual({ case: { object: { hits: [{ result: "NO_HIT", hit: false }] } } });
    expect(kvk.requests.map((q) => [q.path, q.status])).toEqual([["/api/v2/zoeken", 404]]);
  });
});

describe("no detour", () => {
  it("a person reached through bewoners answers by the BRP's rules: unapproved fields stay FORBIDDEN", async () => {
    const c = await t.demoCase("regie");
    const r = await t.gql(
      owner,
      `query($id: ID!) { case(id: $id) { object(postcode: "6200AA", huisnummer: 91) {
        bewoners { bsn brp { naam { geslachtsnaam } burgerservicenummer nationaliteiten { nationaliteit { code } } } } } } }`,
      { id: c.id },
    );
    const codes = Object.entries(errorCodes(r));
    expect(codes.length).toBeGreaterThan(0);
    for (const [path, code] of codes) {
      expect(code).toBe("FORBIDDEN");
      expect(path).toMatch(/\.brp\.(burgerservicenummer|nationaliteiten)$/);
    }
  });

  it("a hop is refused exactly when the field holding the link is: person → address in bronnenonderzoek", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const direct = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { verblijfplaats { adresseerbaarObjectIdentificatie } } } } }`,
      { id: c.id, bsn: resident },
    );
    const hop = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { adres { bag { adres { postcode } } } } } }`,
      { id: c.id, bsn: resident },
    );
    expect(errorCodes(direct)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
    expect(errorCodes(hop)).toEqual({ "case.persoon.adres": "FORBIDDEN" });
  });

  it("every hop is in the audit log with the field that carried it", async () => {
    const c = await t.demoCase("regie");
    await walk("regie");
    const records = await t.app.audit.list({ caseId: c.id, kind: "disclosure" });
    const ops = new Set(records.map((r) => r.operation));
    for (const op of [
      "brp.adres",
      "bewoning.bewoners",
      "hr.ondernemingenOpAdres",
      "hr.vestigingen",
      "historie.eerdereAdressen",
      "permits.fields",
      "bag.fields",
    ])
      expect(ops, op).toContain(op);
    const hop = records.find((r) => r.operation === "brp.adres");
    expect(hop?.fields).toEqual(["verblijfplaats.adresseerbaarObjectIdentificatie"]);
    expect(hop?.subjectPseudonym).toBeDefined();
  });
});

describe("bad input is refused before any upstream call", () => {
  it.each([
    [`object(postcode: "0123AB", huisnummer: 1)`, /postcode/],
    [`object(postcode: "6200AA")`, /postcode and huisnummer/],
    [`object(postcode: "6200AA", huisnummer: 0)`, /huisnummer/],
    [`object(adresseerbaarObjectIdentificatie: "123")`, /16 digits/],
    [`object(adresseerbaarObjectIdentificatie: "0935100000000001")`, /verblijfsobject \(01\)/],
    [
      `object(postcode: "6200AA", huisnummer: 1, adresseerbaarObjectIdentificatie: "0935010000000001")`,
      /not both/,
    ],
    [`onderneming(kvkNummer: "1234")`, /8 digits/],
  ])("%s", async (field, message) => {
    const c = await t.demoCase("regie");
    const sims = Object.values(t.app.demo!.simulators);
    const before = sims.map((s) => s.requestCount());
    const r = await t.gql(owner, `query($id: ID!) { case(id: $id) { ${field} { hits { probe } } } }`, {
      id: c.id,
    });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(message);
    expect(sims.map((s) => s.requestCount())).toEqual(before);
  });

  it("refuses a probe that cannot be asked about this kind of subject", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const r = await t.gql(
      owner,
      `query($id: ID!) { case(id: $id) { onderneming(kvkNummer: "88888888") { hits(probes: ["bewoning.bewoondOpPeildatum"]) { probe } } } }`,
      { id: c.id },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(
      /cannot be asked about a company; probes for a company: hr.ingeschreven/,
    );
  });
});
