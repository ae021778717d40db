import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createBrkClient,
  startBrkSimulator,
  type BrkClient,
  type BrkSimulator,
} from "../../../src/sources/brk/index.ts";
import { createKvkRegister } from "../../../src/sources/kvk/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { brkSpec, expectBrkTrafficMatchesSpec } from "./brk-contract.ts";

const municipality = createMunicipality({ seed: 3, size: 400 });
const kvkRegister = createKvkRegister(municipality);
let sim: BrkSimulator;
let client: BrkClient;
const wk = () => sim.register.wellKnown;
const HAL = "application/hal+json";

beforeAll(async () => {
  sim = await startBrkSimulator({ municipality, kvkRegister, apiKey: "k" });
  client = createBrkClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: "k" }, timeoutMs: 5000 });
});
afterEach(() => {
  sim.setFault("none");
  expectBrkTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

const value = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};

describe("BRK client ↔ simulator", () => {
  it("finds the parcel at an address, with its owners, deeds and restrictions, all per the spec", async () => {
    const a = wk().encumberedAddress;
    const zaken = value(
      await client.zakenOpAdres({
        postcode: a.postcode,
        huisnummer: a.huisnummer,
        huisletter: a.huisletter,
        huisnummertoevoeging: a.huisnummertoevoeging,
      }),
    );
    expect(zaken).toHaveLength(1);
    const zaak = zaken[0]!;
    expect(zaak.adressen?.[0]?.nummeraanduidingIdentificatie).toBe(a.nummeraanduidingIdentificatie);
    expect(zaak.zakelijkGerechtigdeIdentificaties?.length).toBeGreaterThan(0);
    expect(zaak.beslagIdentificaties).toHaveLength(1);
    const gerechtigden = value(await client.zakelijkGerechtigden(zaak.identificatie));
    expect(gerechtigden.map((g) => g.identificatie)).toEqual(zaak.zakelijkGerechtigdeIdentificaties);
    expect(value(await client.hypotheken(zaak.identificatie))).toHaveLength(1);
    const beslag = value(await client.beslagen(zaak.identificatie))[0];
    expect(beslag?.identificatie).toBe(zaak.beslagIdentificaties?.[0]);
    expect(value(await client.privaatrechtelijkeBeperkingen(zaak.identificatie))).toHaveLength(1);
    expect(value(await client.publiekrechtelijkeBeperkingen(zaak.identificatie))).toHaveLength(1);
    const stukId = beslag?.stukIdentificaties?.[0] ?? "";
    expect(value(await client.stuk(stukId))?.identificatie).toBe(stukId);
    expect(sim.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    // Seven requests and seven answers, each validated against the reference document.
    expect(expectBrkTrafficMatchesSpec(sim.requests)).toBe(14);
  });

  it("links an owner to the BRP by BSN, and by BSN finds what the person owns", async () => {
    const a = wk().ownedAddress;
    const [zaak] = value(await client.zakenOpNummeraanduiding(a.nummeraanduidingIdentificatie));
    const owners = value(await client.zakelijkGerechtigden(zaak?.identificatie ?? ""));
    expect(owners.map((g) => [g.persoon?.type, g.persoon?.identificatie])).toContainEqual([
      "ingeschreven_natuurlijk_persoon",
      wk().ownerBsn,
    ]);
    expect(municipality.personByBsn(wk().ownerBsn)).toBeDefined();
    const owned = value(await client.zakenVanPersoon(wk().ownerBsn));
    expect(owned.map((z) => z.identificatie)).toEqual([zaak?.identificatie]);
    // The BSN search answers without the zakelijk gerechtigden (spec).
    expect(owned[0]?.zakelijkGerechtigdeIdentificaties).toBeUndefined();
    expect(value(await client.zakenVanPersoon(wk().nonOwnerBsn))).toEqual([]);
    expect(sim.requests.find((r) => r.method === "POST")?.body).toEqual({
      burgerservicenummer: wk().ownerBsn,
    });
  });

  it("links a company owner to the Handelsregister by the kvkNummer of the Kadaster person", async () => {
    const [zaak] = value(
      await client.zakenOpNummeraanduiding(wk().companyAddress.nummeraanduidingIdentificatie),
    );
    const [owner] = value(await client.zakelijkGerechtigden(zaak?.identificatie ?? ""));
    expect(owner?.persoon?.type).toBe("kadaster_niet_natuurlijk_persoon");
    const nnp = value(await client.nietNatuurlijkPersoon(owner?.persoon?.identificatie ?? ""));
    expect(nnp?.kvkNummer).toBe(wk().companyKvkNummer);
    expect(kvkRegister.byKvkNummer(nnp?.kvkNummer ?? "")).toBeDefined();
    const held = value(await client.zakenVanKadasterPersoon(nnp?.identificatie ?? ""));
    expect(held.map((z) => z.identificatie)).toContain(zaak?.identificatie);
  });

  it("nothing found is an empty list or null; an unknown zaak's sub-resources are empty", async () => {
    expect(value(await client.zakenOpAdres({ postcode: "9999ZZ", huisnummer: 1 }))).toEqual([]);
    expect(value(await client.hypotheken("09359999999000"))).toEqual([]);
    expect(value(await client.stuk("NL.IMKAD.TIAStuk.onbekend"))).toBeNull();
    expect(value(await client.nietNatuurlijkPersoon("NL.IMKAD.Persoon.1"))).toBeNull();
  });

  it.each([
    [
      "an invalid postcode",
      (c: BrkClient) => c.zakenOpAdres({ postcode: "12AB", huisnummer: 1 }),
      "invalid_postcode",
    ],
    [
      "huisnummer 0",
      (c: BrkClient) => c.zakenOpAdres({ postcode: "6211AB", huisnummer: 0 }),
      "invalid_huisnummer",
    ],
    ["a BSN failing the 11-check", (c: BrkClient) => c.zakenVanPersoon("123456789"), "invalid_bsn"],
    [
      "a 15-digit nummeraanduiding",
      (c: BrkClient) => c.zakenOpNummeraanduiding("093520000000001"),
      "invalid_identificatie",
    ],
    ["an id with a slash", (c: BrkClient) => c.beslagen("../stukken/x"), "invalid_identificatie"],
  ])("refuses %s before any call", async (_what, call, reason) => {
    const result = await call(client);
    expect(result).toEqual({ ok: false, error: { kind: "rejected", reason } });
    expect(sim.requestCount()).toBe(0);
  });

  it.each([
    ["http500", "unavailable"],
    ["http503", "unavailable"],
    ["malformed", "malformed"],
    ["wrongContentType", "malformed"],
    ["reset", "unavailable"],
  ] as const)("fault %s is an error value (%s), never an empty answer", async (fault, kind) => {
    sim.setFault(fault);
    const result = await client.zakenVanPersoon(wk().ownerBsn);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe(kind);
  });

  it("a wrong API key is unauthorized; the simulator's 401 is the spec's problem+json", async () => {
    const wrong = createBrkClient({
      baseUrl: sim.url,
      auth: { kind: "apiKey", apiKey: "x" },
      timeoutMs: 5000,
    });
    const result = await wrong.zakenOpNummeraanduiding(wk().ownedAddress.nummeraanduidingIdentificatie);
    expect(result).toMatchObject({ ok: false, error: { kind: "unauthorized", status: 401 } });
    const last = sim.requests.at(-1);
    expect(
      brkSpec.validateResponse(
        "/kadastraalonroerendezaken",
        "get",
        401,
        last?.response.contentType ?? "",
        last?.response.body,
      ),
    ).toEqual({ valid: true });
  });

  it("the simulator refuses mixed search categories and bad patterns with a 400 problem", async () => {
    const res = await fetch(
      `${sim.url}/kadastraalonroerendezaken?postcode=6211AB&nummeraanduidingIdentificatie=0935200000000001`,
      { headers: { "X-Api-Key": "k" } },
    );
    expect(res.status).toBe(400);
    const bad = await fetch(`${sim.url}/kadastraalonroerendezaken?postcode=62`, {
      headers: { "X-Api-Key": "k" },
    });
    const body = (await bad.json()) as { invalidParams?: { name: string }[] };
    expect(body.invalidParams?.map((p) => p.name)).toEqual(["postcode"]);
    for (const r of sim.requests)
      expect(
        brkSpec.validateResponse(
          "/kadastraalonroerendezaken",
          "get",
          r.status,
          r.response.contentType,
          r.response.body,
        ),
      ).toEqual({ valid: true });
  });

  it("the contract check itself rejects a corrupted answer", async () => {
    await client.zakenOpNummeraanduiding(wk().ownedAddress.nummeraanduidingIdentificatie);
    const body = sim.requests[0]?.response.body as {
      _embedded: { kadastraalOnroerendeZaken: Record<string, unknown>[] };
    };
    const zaak = body._embedded.kadastraalOnroerendeZaken[0] ?? {};
    const corrupted = { _embedded: { kadastraalOnroerendeZaken: [{ ...zaak, type: "gebouw" }] } };
    expect(brkSpec.validateResponse("/kadastraalonroerendezaken", "get", 200, HAL, corrupted).valid).toBe(
      false,
    );
    const badSize = {
      _embedded: { kadastraalOnroerendeZaken: [{ ...zaak, kadastraleGrootte: { waarde: "120" } }] },
    };
    expect(brkSpec.validateResponse("/kadastraalonroerendezaken", "get", 200, HAL, badSize).valid).toBe(
      false,
    );
  });
});
