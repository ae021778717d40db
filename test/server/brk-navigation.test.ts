import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";

/**
 * The Kadaster through the graph, per phase of the model protocol (policies/disclosure.yaml):
 * open parcel data (source kadaster) in every working phase; the closed rights, mortgages and
 * attachments (source brk) as hit / no hit in source research and as approved fields in regie,
 * with the hops object → owners → owned objects decided by the brk fields that hold the links.
 */
let t: TestApp;
let owner: string;
let resident: string;
let objectId: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.token("analist.jansen", "analyst");
  const wk = t.app.demo!.municipality.wellKnown;
  resident = wk.residentBsn;
  objectId = wk.residentAddress.adresseerbaarObjectIdentificatie;
});
afterAll(() => t.close());

const WALK = `query($id: ID!, $bsn: String!, $obj: String!) { case(id: $id) {
  object(adresseerbaarObjectIdentificatie: $obj) {
    hits { probe result }
    kadaster { identificatie kadastraleAanduiding kadastraleGrootte aardCultuurBebouwd adressen { adresseerbaarObjectIdentificatie } }
    brk { identificatie zakelijkGerechtigden { burgerservicenummer aandeel } hypotheken { bedragZekerheidsstelling } }
    eigenaren { bsn eigendommen { kadaster { identificatie } } }
  }
  persoon(bsn: $bsn) {
    hits { probe result }
    brk { identificatie hypotheken { identificatie } }
    eigendommen { kadaster { identificatie } }
  }
} }`;

interface Walk {
  object: {
    hits: { probe: string; result: string }[] | null;
    kadaster:
      | {
          identificatie: string;
          kadastraleGrootte: number;
          adressen: { adresseerbaarObjectIdentificatie: string }[];
        }[]
      | null;
    brk:
      | {
          identificatie: string;
          zakelijkGerechtigden: { burgerservicenummer: string | null; aandeel: string }[];
          hypotheken: { bedragZekerheidsstelling: number }[];
        }[]
      | null;
    eigenaren: { bsn: string; eigendommen: { kadaster: { identificatie: string }[] }[] }[] | null;
  };
  persoon: {
    hits: { probe: string; result: string }[] | null;
    brk: { identificatie: string; hypotheken: { identificatie: string }[] }[] | null;
    eigendommen: { kadaster: { identificatie: string }[] }[] | null;
  };
}

async function walk(phase: string): Promise<{ r: GqlResult; w: Walk; denied: string[] }> {
  const c = await t.demoCase(phase);
  const r = await t.gql(owner, WALK, { id: c.id, bsn: resident, obj: objectId });
  const codes = errorCodes(r);
  expect(
    Object.values(codes).filter((code) => code !== "FORBIDDEN"),
    JSON.stringify(r.errors),
  ).toEqual([]);
  return {
    r,
    w: (r.data as { case: Walk }).case,
    denied: Object.keys(codes)
      .map((p) => p.replace(/^case\./, ""))
      .sort(),
  };
}

const brkHits = (hits: { probe: string; result: string }[] | null) =>
  Object.fromEntries((hits ?? []).filter((h) => h.probe.startsWith("brk.")).map((h) => [h.probe, h.result]));

describe("the Kadaster per phase", () => {
  it.each(["intake", "weging"])(
    "%s: the open parcel data only; no Kadaster probe, no closed field, no hop",
    async (phase) => {
      const { w, denied } = await walk(phase);
      expect(w.object.kadaster?.[0]?.adressen[0]?.adresseerbaarObjectIdentificatie).toBe(objectId);
      expect(w.object.kadaster?.[0]?.kadastraleGrootte).toBeGreaterThan(0);
      expect(brkHits(w.object.hits)).toEqual({});
      expect(denied).toEqual(
        expect.arrayContaining(["object.brk", "object.eigenaren", "persoon.brk", "persoon.eigendommen"]),
      );
      expect(w.object.brk).toBeNull();
      expect(w.object.eigenaren).toBeNull();
    },
  );

  it("bronnenonderzoek: hit / no hit after check 1, still no closed field and no hop", async () => {
    const { w, denied } = await walk("bronnenonderzoek");
    expect(brkHits(w.object.hits)).toMatchObject({
      "brk.eigendomBekend": "HIT",
      "brk.hypotheekBekend": "HIT",
    });
    expect(brkHits(w.persoon.hits)).toMatchObject({
      "brk.eigendomBekend": "HIT",
      "brk.hypotheekBekend": "HIT",
    });
    expect(Object.keys(brkHits(w.object.hits)).sort()).toEqual([
      "brk.beperkingBekend",
      "brk.beslagBekend",
      "brk.eigendomBekend",
      "brk.hypotheekBekend",
    ]);
    expect(w.object.kadaster).toHaveLength(1);
    expect(denied).toEqual(
      expect.arrayContaining(["object.brk", "object.eigenaren", "persoon.brk", "persoon.eigendommen"]),
    );
  });

  it("regie: the approved closed fields, and the hops object → owner → owned objects", async () => {
    const { w, denied } = await walk("regie");
    // No probe rule for a person in regie (policies/disclosure.yaml); everything Kadaster answers.
    expect(denied).toEqual(["persoon.hits"]);
    const zaak = w.object.brk?.[0];
    expect(zaak?.zakelijkGerechtigden.map((g) => g.burgerservicenummer)).toContain(resident);
    expect(zaak?.hypotheken).toHaveLength(1);
    expect(w.object.eigenaren?.map((e) => e.bsn)).toContain(resident);
    const own = w.object.eigenaren?.find((e) => e.bsn === resident);
    expect(own?.eigendommen.flatMap((o) => o.kadaster.map((k) => k.identificatie))).toEqual([
      zaak?.identificatie,
    ]);
    expect(w.persoon.brk?.map((z) => z.identificatie)).toEqual([zaak?.identificatie]);
    expect(w.persoon.eigendommen).toHaveLength(1);
  });

  it("afgesloten: the Kadaster answers nothing", async () => {
    const { w, denied } = await walk("afgesloten");
    expect(w.object.kadaster).toBeNull();
    expect(brkHits(w.object.hits)).toEqual({});
    expect(denied).toEqual(
      expect.arrayContaining(["object.kadaster", "object.brk", "object.eigenaren", "persoon.eigendommen"]),
    );
  });
});
