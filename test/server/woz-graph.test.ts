import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/sources/synthetic/index.ts";
import { hasCurrentValue, type WozSimulator } from "../../src/sources/woz/index.ts";
import { clearAllRequests } from "../utils/source-simulators.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * WOZ through the graph (issue 16): the open WOZ information in every working phase (Maastricht
 * bijlage A fase 1 punt 9), nothing once closed, the beschikking's statuses never without a check,
 * nothing about an object outside the case, whatever aliases, fragments or repetitions ask.
 */
let t: TestApp;
let analyst: string;
let woz: WozSimulator;
let home: Address;
/** An address of the municipality that no demo case names. */
let stranger: Address;

beforeAll(async () => {
  t = await startTestApp();
  analyst = await t.token("analist.jansen", "analyst");
  woz = t.app.demo!.simulators.woz;
  const m = t.app.demo!.municipality;
  home = m.wellKnown.residentAddress;
  for (let i = 0; ; i++) {
    const a = m.addressAt(i);
    if (
      a &&
      a.id !== home.id &&
      woz.registry.byAdresseerbaarObject(a.adresseerbaarObjectIdentificatie).length
    ) {
      stranger = a;
      break;
    }
  }
});
afterAll(() => t.close());
beforeEach(() => clearAllRequests(t.app));

const OPEN = `identificatie aanduiding { postcode huisnummer } waarden { vastgesteldeWaarde waardepeildatum }`;
const byId = (aoid: string, selection: string) =>
  `query($id: ID!) { case(id: $id) { object(adresseerbaarObjectIdentificatie: "${aoid}") { ${selection} } } }`;
const caseOf = async (phase: string) => (await t.demoCase(phase)).id;
const codes = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (r.errors ?? []).map((e) => e.extensions?.["code"]);
type WozData = { case: { object: { woz: Record<string, unknown> | null } | null } };

describe.each(["intake", "weging", "bronnenonderzoek", "regie"])("in %s the analyst", (phase) => {
  it("reads the open WOZ fields of a case object, by BAG id and by address, without a check", async () => {
    const id = await caseOf(phase);
    const [object] = woz.registry.byAdresseerbaarObject(home.adresseerbaarObjectIdentificatie);
    const r = await t.gql(analyst, byId(home.adresseerbaarObjectIdentificatie, `woz { ${OPEN} }`), { id });
    expect(r.errors).toBeUndefined();
    expect((r.data as WozData).case.object?.woz).toEqual({
      identificatie: object?.identificatie,
      aanduiding: { postcode: home.postcode, huisnummer: home.huisnummer },
      waarden: object?.waarden.map((w) => ({
        vastgesteldeWaarde: w.vastgesteldeWaarde,
        waardepeildatum: w.waardepeildatum,
      })),
    });
    const byAddress = await t.gql(
      analyst,
      `query($id: ID!) { case(id: $id) { object(postcode: "${home.postcode}", huisnummer: ${home.huisnummer}${
        home.huisletter ? `, huisletter: "${home.huisletter}"` : ""
      }${home.huisnummertoevoeging ? `, huisnummertoevoeging: "${home.huisnummertoevoeging}"` : ""}) { woz { identificatie } } } }`,
      { id },
    );
    expect(byAddress.errors).toBeUndefined();
    expect((byAddress.data as WozData).case.object?.woz).toEqual({ identificatie: object?.identificatie });
    // The owner and occupant are never asked of the WOZ.
    for (const q of woz.requests) expect(q.query["fields"]).not.toMatch(/belanghebbende/);
  });

  it("gets the WOZ probes, tri-state, by the peildatum rule", async () => {
    const id = await caseOf(phase);
    const r = await t.gql(
      analyst,
      byId(
        home.adresseerbaarObjectIdentificatie,
        `hits(probes: ["woz.objectBekend", "woz.waardeBekend"]) { probe result }`,
      ),
      { id },
    );
    expect(r.errors).toBeUndefined();
    const [object] = woz.registry.byAdresseerbaarObject(home.adresseerbaarObjectIdentificatie);
    // The demo gateway runs on the real clock, the simulator values up to this year.
    const today = new Date().toISOString().slice(0, 10);
    expect((r.data as { case: { object: { hits: unknown[] } } }).case.object.hits).toEqual([
      { probe: "woz.objectBekend", result: "HIT" },
      { probe: "woz.waardeBekend", result: object && hasCurrentValue(object, today) ? "HIT" : "NO_HIT" },
    ]);
  });

  it("gets no beschikking statuses: FORBIDDEN at their path, beside the open value", async () => {
    const id = await caseOf(phase);
    const r = await t.gql(
      analyst,
      byId(
        home.adresseerbaarObjectIdentificatie,
        `woz { waarden { vastgesteldeWaarde beschikkingsStatussen indicatieBezwaarBeroep } }`,
      ),
      { id },
    );
    const waarden = (r.data as { case: { object: { woz: { waarden: Record<string, unknown>[] } } } }).case
      .object.woz.waarden;
    expect(waarden.length).toBeGreaterThan(0);
    for (const w of waarden) {
      expect(w["vastgesteldeWaarde"]).toEqual(expect.any(Number));
      expect(w["beschikkingsStatussen"]).toBeNull();
      expect(w["indicatieBezwaarBeroep"]).toBeNull();
    }
    expect(new Set(codes(r))).toEqual(new Set(["FORBIDDEN"]));
  });
});

describe("outside the working phases and the analyst's role", () => {
  it("a closed case collects nothing from the WOZ: FORBIDDEN, no upstream call", async () => {
    const r = await t.gql(analyst, byId(home.adresseerbaarObjectIdentificatie, `woz { identificatie }`), {
      id: await caseOf("afgesloten"),
    });
    expect((r.data as WozData | null)?.case?.object?.woz ?? null).toBeNull();
    expect(codes(r)).toContain("FORBIDDEN");
    expect(woz.requestCount()).toBe(0);
  });

  it("a department member gets no WOZ data without a check that shared it", async () => {
    const member = await t.token("medewerker.vergunningen", "department_member", "vergunningen");
    const r = await t.gql(member, byId(home.adresseerbaarObjectIdentificatie, `woz { identificatie }`), {
      id: await caseOf("regie"),
    });
    expect(JSON.stringify(r.data ?? null)).not.toMatch(/[0-9]{12}/);
    expect(codes(r).length).toBeGreaterThan(0);
    expect(woz.requestCount()).toBe(0);
  });

  it("audits the release under source woz with the fields released", async () => {
    const id = await caseOf("intake");
    await t.gql(analyst, byId(home.adresseerbaarObjectIdentificatie, `woz { identificatie }`), { id });
    const records = (await t.app.audit.list({ caseId: id, limit: 100_000 })).filter(
      (r) => r.source === "woz" && r.operation === "woz.fields" && r.kind === "disclosure",
    );
    expect(records.at(-1)).toMatchObject({ decision: "allow", fields: ["identificatie"] });
  });
});

describe("attacks: aliases, fragments and repeated subjects", () => {
  it("reveal no closed WOZ field, and nothing about an object outside the case, before any call", async () => {
    const id = await caseOf("intake");
    const r = await t.gql(
      analyst,
      `query($id: ID!) { case(id: $id) {
        a: object(adresseerbaarObjectIdentificatie: "${home.adresseerbaarObjectIdentificatie}") { ...W }
        b: object(adresseerbaarObjectIdentificatie: "${stranger.adresseerbaarObjectIdentificatie}") { ...W hits { probe result } }
        c: object(adresseerbaarObjectIdentificatie: "${home.adresseerbaarObjectIdentificatie}") {
          x: woz { y: waarden { z: beschikkingsStatussen ... on WozWaarde { indicatieBezwaarBeroep } } }
        }
      } }
      fragment W on ObjectView { woz { identificatie waarden { ...S } } }
      fragment S on WozWaarde { vastgesteldeWaarde s: beschikkingsStatussen }`,
      { id },
    );
    const data = (r.data as { case: Record<string, Record<string, unknown> | null> }).case;
    expect((data["a"]?.["woz"] as { identificatie: string } | null)?.identificatie).toMatch(/^[0-9]{12}$/);
    // The stranger's object: refused as a whole, nothing of the WOZ or of its probes.
    expect(data["b"]?.["woz"] ?? null).toBeNull();
    expect(data["b"]?.["hits"] ?? null).toBeNull();
    const text = JSON.stringify(r.data);
    for (const status of ["beschikking_genomen", "bezwaar_ingediend"]) expect(text).not.toContain(status);
    expect(text).not.toContain('"indicatieBezwaarBeroep":true');
    expect(text).not.toContain('"indicatieBezwaarBeroep":false');
    // Only the case's object was asked of the WOZ, once for all three aliases.
    expect(woz.requests.map((q) => q.query["adresseerbaarObjectIdentificatie"])).toEqual([
      home.adresseerbaarObjectIdentificatie,
    ]);
    expect(codes(r).length).toBeGreaterThan(0);
    expect(codes(r).every((c) => c === "FORBIDDEN")).toBe(true);
  });
});
