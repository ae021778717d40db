import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseBsn, type Bsn } from "../../../src/shared/index.ts";
import {
  createBrpClient,
  startBrpSimulator,
  type BrpFault,
  type BrpSimulator,
} from "../../../src/sources/brp/index.ts";
import { createMunicipality, wellKnown } from "../../../src/sources/synthetic/index.ts";
import { expectTrafficMatchesSpec } from "./brp-contract.ts";

const municipality = createMunicipality({ seed: 1, size: 200 });
const API_KEY = "test-key";
let sim: BrpSimulator;
const client = () =>
  createBrpClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: API_KEY }, timeoutMs: 2000 });
const personen = (sim: BrpSimulator) => sim.requests.filter((r) => r.path.endsWith("/personen"));

beforeAll(async () => {
  sim = await startBrpSimulator({
    municipality,
    apiKey: API_KEY,
    oauth: { clientId: "gw", clientSecret: "s3cret" },
  });
});
afterEach(() => {
  sim.setFault("none");
  expectTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

describe("BRP client ↔ simulator", () => {
  it("sends the fields exactly, the type, the BSNs and the headers", async () => {
    const fields = ["naam.geslachtsnaam", "verblijfplaats.verblijfadres.postcode"];
    const result = await client().raadpleeg([wellKnown.residentBsn], fields);
    expect(result.ok).toBe(true);
    const [req] = personen(sim);
    expect(req?.body).toEqual({
      type: "RaadpleegMetBurgerservicenummer",
      burgerservicenummer: [wellKnown.residentBsn],
      fields,
    });
    expect(req?.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      accept: "application/json",
      "x-api-key": API_KEY,
    });
    if (!result.ok) return;
    const [p] = result.value;
    expect(Object.keys(p ?? {}).sort()).toEqual(["naam", "verblijfplaats"]);
    expect(Object.keys(p?.naam ?? {})).toEqual(["geslachtsnaam"]);
    expect(p?.verblijfplaats).toEqual({
      type: "Adres",
      verblijfadres: { postcode: wellKnown.residentAddress.postcode },
    });
  });

  it("answers an unknown BSN with no person, and selects a whole subtree for `naam`", async () => {
    const result = await client().raadpleeg([wellKnown.unknownBsn, wellKnown.elsewhereBsn], ["naam"]);
    expect(result).toMatchObject({
      ok: true,
      value: [{ naam: { geslachtsnaam: "Moulin", voornamen: "Suzanne" } }],
    });
  });

  it("splits 25 BSNs into two calls of at most 20", async () => {
    const bsns = Array.from({ length: 25 }, (_, i) => municipality.personAt(i)?.bsn as Bsn);
    const result = await client().raadpleeg(bsns, ["burgerservicenummer"]);
    expect(result.ok && result.value.length).toBe(25);
    const sizes = personen(sim).map(
      (r) => (r.body as { burgerservicenummer: string[] }).burgerservicenummer.length,
    );
    expect(sizes.sort()).toEqual([20, 5]);
  });

  it("refuses empty fields before any call", async () => {
    expect(await client().raadpleeg([wellKnown.residentBsn], [])).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "empty_fields" },
    });
    expect(sim.requests).toHaveLength(0);
  });

  it("a missing or wrong API key is unauthorized (401 problem+json)", async () => {
    for (const auth of [{ kind: "none" } as const, { kind: "apiKey", apiKey: "wrong" } as const]) {
      const c = createBrpClient({ baseUrl: sim.url, auth, timeoutMs: 2000 });
      expect(await c.raadpleeg([wellKnown.residentBsn], ["naam"])).toEqual({
        ok: false,
        error: { kind: "unauthorized", status: 401, reason: "http_401" },
      });
    }
    expect(sim.requests.map((r) => [r.status, r.response.contentType])).toEqual([
      [401, "application/problem+json"],
      [401, "application/problem+json"],
    ]);
  });

  it("client credentials: fetches a token once (form-encoded) and sends it as bearer", async () => {
    const c = createBrpClient({
      baseUrl: sim.url,
      auth: { kind: "clientCredentials", tokenUrl: sim.tokenUrl, clientId: "gw", clientSecret: "s3cret" },
      timeoutMs: 2000,
    });
    expect((await c.raadpleeg([wellKnown.residentBsn], ["naam"])).ok).toBe(true);
    expect((await c.raadpleeg([wellKnown.residentBsn], ["geboorte"])).ok).toBe(true);
    const tokenCalls = sim.requests.filter((r) => r.path.endsWith("/token"));
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.body).toMatchObject({ grant_type: "client_credentials", client_id: "gw" });
    expect(personen(sim).every((r) => /^Bearer .+/.test(r.headers["authorization"] ?? ""))).toBe(true);
    const bad = createBrpClient({
      baseUrl: sim.url,
      auth: { kind: "clientCredentials", tokenUrl: sim.tokenUrl, clientId: "gw", clientSecret: "wrong" },
      timeoutMs: 2000,
    });
    expect(await bad.raadpleeg([wellKnown.residentBsn], ["naam"])).toMatchObject({
      ok: false,
      error: { kind: "unauthorized" },
    });
  });

  it.each([
    ["http500", { kind: "unavailable", status: 500, reason: "http_500" }],
    ["http503", { kind: "unavailable", status: 503, reason: "http_503" }],
    ["reset", { kind: "unavailable", reason: "network_error" }],
    ["malformed", { kind: "malformed", status: 200, reason: "invalid_json" }],
    ["wrongContentType", { kind: "malformed", status: 200, reason: "unexpected_content_type" }],
  ] as const)("fault %s → %o", async (fault: BrpFault, error) => {
    sim.setFault(fault);
    expect(await client().raadpleeg([wellKnown.residentBsn], ["naam"])).toEqual({ ok: false, error });
  });

  it("fault timeout → timeout (the hanging request is ended by the client's abort)", async () => {
    sim.setFault("timeout");
    const c = createBrpClient({
      baseUrl: sim.url,
      auth: { kind: "apiKey", apiKey: API_KEY },
      timeoutMs: 100,
    });
    expect(await c.raadpleeg([wellKnown.residentBsn], ["naam"])).toEqual({
      ok: false,
      error: { kind: "timeout", reason: "timeout" },
    });
  });

  it("a response that does not match the schema is malformed, and no upstream text leaks into the error", async () => {
    const fakeFetch: typeof fetch = async () =>
      new Response(
        JSON.stringify({ type: "RaadpleegMetBurgerservicenummer", personen: [{ burgerservicenummer: 12 }] }),
        {
          headers: { "content-type": "application/json" },
        },
      );
    const c = createBrpClient({
      baseUrl: "http://brp.invalid",
      auth: { kind: "none" },
      timeoutMs: 100,
      fetch: fakeFetch,
    });
    expect(await c.raadpleeg([wellKnown.residentBsn], ["naam"])).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "schema_mismatch" },
    });
    const leaky: typeof fetch = async () =>
      new Response(JSON.stringify({ code: "Jansen woont op Markt 1", title: "x" }), {
        status: 400,
        headers: { "content-type": "application/problem+json" },
      });
    const c2 = createBrpClient({
      baseUrl: "http://brp.invalid",
      auth: { kind: "none" },
      timeoutMs: 100,
      fetch: leaky,
    });
    expect(await c2.raadpleeg([wellKnown.residentBsn], ["naam"])).toEqual({
      ok: false,
      error: { kind: "rejected", status: 400, reason: "http_400" },
    });
  });

  it("429 and 403 map to unavailable and unauthorized", async () => {
    for (const [status, kind] of [
      [429, "unavailable"],
      [403, "unauthorized"],
    ] as const) {
      const f: typeof fetch = async () =>
        new Response("{}", { status, headers: { "content-type": "application/problem+json" } });
      const c = createBrpClient({
        baseUrl: "http://brp.invalid",
        auth: { kind: "none" },
        timeoutMs: 100,
        fetch: f,
      });
      expect(await c.raadpleeg([wellKnown.residentBsn], ["naam"])).toEqual({
        ok: false,
        error: { kind, status, reason: `http_${status}` },
      });
    }
  });
});

describe("simulator request validation", () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}/personen`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "x-api-key": API_KEY, ...headers },
      body: JSON.stringify(body),
    });
  const raadpleeg = (fields: unknown) => ({
    type: "RaadpleegMetBurgerservicenummer",
    burgerservicenummer: [wellKnown.residentBsn],
    fields,
  });

  it.each([
    ["a non-existing path", ["naam.bestaatNiet"]],
    ["an automatically delivered field", ["naam.inOnderzoek"]],
    ["geheimhoudingPersoonsgegevens", ["geheimhoudingPersoonsgegevens"]],
    ["no fields", []],
    ["131 fields", Array(131).fill("naam")],
  ])("refuses %s with 400 problem+json and invalidParams", async (_n, fields) => {
    const res = await post(raadpleeg(fields));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as { invalidParams: { name: string }[]; status: number };
    expect(body.status).toBe(400);
    expect(body.invalidParams[0]?.name).toBe("fields");
  });

  it("refuses 21 BSNs and a malformed BSN; the client maps 400 to rejected with the problem code", async () => {
    expect(
      (await post({ ...raadpleeg(["naam"]), burgerservicenummer: Array(21).fill(wellKnown.residentBsn) }))
        .status,
    ).toBe(400);
    expect((await post({ ...raadpleeg(["naam"]), burgerservicenummer: ["12345"] })).status).toBe(400);
    const result = await client().raadpleeg([wellKnown.residentBsn], ["naam.bestaatNiet"]);
    expect(result).toEqual({
      ok: false,
      error: { kind: "rejected", status: 400, reason: "paramsValidation" },
    });
  });

  it("ZoekMetPostcodeEnHuisnummer and ZoekMetAdresseerbaarObjectIdentificatie answer PersoonBeperkt of the residents", async () => {
    const a = wellKnown.residentAddress;
    const r1 = await post({
      type: "ZoekMetPostcodeEnHuisnummer",
      postcode: a.postcode.slice(0, 4) + " " + a.postcode.slice(4),
      huisnummer: a.huisnummer,
      fields: ["burgerservicenummer", "naam.geslachtsnaam"],
    });
    const b1 = (await r1.json()) as { type: string; personen: { burgerservicenummer: string }[] };
    expect(b1.type).toBe("ZoekMetPostcodeEnHuisnummer");
    expect(b1.personen.map((p) => p.burgerservicenummer)).toContain(wellKnown.residentBsn);
    const r2 = await post({
      type: "ZoekMetAdresseerbaarObjectIdentificatie",
      adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie,
      fields: ["burgerservicenummer"],
    });
    const b2 = (await r2.json()) as typeof b1;
    expect(b2.personen.map((p) => p.burgerservicenummer).sort()).toEqual(
      b1.personen.map((p) => p.burgerservicenummer).sort(),
    );
    // verblijfplaats is not a PersoonBeperkt field
    expect(
      (
        await post({
          type: "ZoekMetPostcodeEnHuisnummer",
          postcode: a.postcode,
          huisnummer: a.huisnummer,
          fields: ["verblijfplaats"],
        })
      ).status,
    ).toBe(400);
  });

  it("answers a full person that matches the spec", async () => {
    const res = await post(
      raadpleeg([
        "aNummer",
        "naam",
        "geboorte",
        "verblijfplaats",
        "partners",
        "kinderen",
        "ouders",
        "nationaliteiten",
        "gemeenteVanInschrijving",
        "leeftijd",
        "adressering",
        "overlijden",
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await res.json()) as { personen: { partners: { burgerservicenummer: string }[] }[] };
    expect(body.personen[0]?.partners).toHaveLength(1);
    const deceased = parseBsn("999992077");
    if (!deceased.ok) throw new Error("bad fixture");
    const res2 = await post({
      ...raadpleeg(["overlijden", "geboorte.datum", "verblijfplaats"]),
      burgerservicenummer: ["999992077", "999990482", "999993483"],
    });
    expect(res2.status).toBe(200);
  });

  it("close() ends a hanging request", async () => {
    const other = await startBrpSimulator({ municipality });
    other.setFault("timeout");
    const arrived = other.nextRequest();
    const pending = fetch(`${other.url}/personen`, { method: "POST", body: "{}" }).then(
      () => "answered",
      () => "ended",
    );
    const received = await arrived;
    expect(received.status).toBe(0);
    await other.close();
    expect(await pending).toBe("ended");
  });
});
