import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseBsn, type Bsn } from "../../../src/shared/index.ts";
import {
  createHistorieClient,
  createHistorieLoaders,
  HISTORIE_PROBES,
  runHistorieProbe,
  startHistorieSimulator,
  type HistorieFault,
  type HistorieSimulator,
} from "../../../src/sources/historie/index.ts";
import {
  createMunicipality,
  createResidenceHistory,
  wellKnown,
} from "../../../src/sources/synthetic/index.ts";
import { expectTrafficMatchesSpec } from "./closed-brp-contract.ts";

const municipality = createMunicipality({ seed: 1, size: 200 });
const history = createResidenceHistory(municipality);
const API_KEY = "historie-key";
let sim: HistorieSimulator;
const client = (timeoutMs = 2000) =>
  createHistorieClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: API_KEY }, timeoutMs });
const bsn = (s: string): Bsn => {
  const r = parseBsn(s);
  if (!r.ok) throw new Error("fixture");
  return r.value;
};
const persons = [...municipality.persons()];
/** A person now outside the municipality who lived in it before, and one who never did. */
const movedAway = persons.find((p) => {
  const h = history.historyOf(p.bsn) ?? [];
  return (
    h[0]?.gemeenteVanInschrijving.code !== "0935" &&
    h.slice(1).some((x) => x.gemeenteVanInschrijving.code === "0935")
  );
});
const neverBefore = persons.find((p) => (history.historyOf(p.bsn) ?? []).length === 1);
const probeOptions = { municipalityCode: "0935", peildatum: "2025-06-01" };

beforeAll(async () => {
  sim = await startHistorieSimulator({ municipality, apiKey: API_KEY });
});
afterEach(() => {
  sim.setFault("none");
  try {
    expectTrafficMatchesSpec("historie", sim.requests);
  } finally {
    sim.clearRequests();
  }
});
afterAll(() => sim.close());

describe("Verblijfplaatshistorie client ↔ simulator", () => {
  it("RaadpleegMetPeriode: sends the spec's body and headers; answers the whole history, newest first", async () => {
    const result = await client().verblijfplaatshistorie(wellKnown.residentBsn, {
      van: "1900-01-01",
      tot: "2030-01-01",
    });
    expect(sim.requests[0]?.body).toEqual({
      type: "RaadpleegMetPeriode",
      burgerservicenummer: wellKnown.residentBsn,
      datumVan: "1900-01-01",
      datumTot: "2030-01-01",
    });
    expect(sim.requests[0]?.headers).toMatchObject({
      "content-type": "application/json",
      "x-api-key": API_KEY,
    });
    expect(sim.requests[0]?.path).toBe("/lap/api/brp/verblijfplaatshistorie");
    if (!result.ok) throw new Error("expected ok");
    const expected = municipality.personAt(0)?.verblijfplaats;
    expect(result.value[0]).toMatchObject({
      type: "Adres",
      adresseerbaarObjectIdentificatie: wellKnown.residentAddress.adresseerbaarObjectIdentificatie,
      gemeenteVanInschrijving: { code: "0935" },
    });
    expect(result.value[0]?.datumTot).toBeUndefined();
    expect(expected?.kind).toBe("adres");
    expect(result.value.length).toBe(history.historyOf(wellKnown.residentBsn)?.length);
    expect(result.value.slice(1).every((v) => v.datumTot?.type === "Datum")).toBe(true);
  });

  it("RaadpleegMetPeildatum answers the one verblijfplaats of that date; an unknown BSN answers []", async () => {
    const periods = history.historyOf(movedAway?.bsn ?? "") ?? [];
    const former = periods[1];
    if (!movedAway || !former) throw new Error("fixture: no person who moved away");
    const peildatum = `${former.datumVan.slice(0, 4)}-${former.datumVan.slice(4, 6)}-${former.datumVan.slice(6, 8)}`;
    const result = await client().verblijfplaatshistorie(movedAway.bsn, { peildatum });
    expect(result.ok && result.value.length).toBe(1);
    expect(result.ok && result.value[0]?.datumVan).toMatchObject({ type: "Datum", datum: peildatum });
    expect(await client().verblijfplaatshistorie(wellKnown.unknownBsn, { peildatum })).toEqual({
      ok: true,
      value: [],
    });
  });

  it("refuses invalid dates and an empty period before any call", async () => {
    const c = client();
    expect(await c.verblijfplaatshistorie(wellKnown.residentBsn, { peildatum: "2023-02-29" })).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_date" },
    });
    expect(
      await c.verblijfplaatshistorie(wellKnown.residentBsn, { van: "2023-01-01", tot: "2023-01-01" }),
    ).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_period" },
    });
    expect(sim.requests).toHaveLength(0);
  });

  it("a missing or wrong API key is unauthorized (401 problem+json)", async () => {
    for (const auth of [{ kind: "none" } as const, { kind: "apiKey", apiKey: "wrong" } as const]) {
      const c = createHistorieClient({ baseUrl: sim.url, auth, timeoutMs: 2000 });
      expect(await c.verblijfplaatshistorie(wellKnown.residentBsn, { peildatum: "2024-01-01" })).toEqual({
        ok: false,
        error: { kind: "unauthorized", status: 401, reason: "http_401" },
      });
    }
    expect(sim.requests.map((r) => [r.status, r.response.contentType])).toEqual([
      [401, "application/problem+json"],
      [401, "application/problem+json"],
    ]);
  });

  it.each([
    ["http500", { kind: "unavailable", status: 500, reason: "http_500" }],
    ["http503", { kind: "unavailable", status: 503, reason: "http_503" }],
    ["reset", { kind: "unavailable", reason: "network_error" }],
    ["malformed", { kind: "malformed", status: 200, reason: "invalid_json" }],
    ["wrongContentType", { kind: "malformed", status: 200, reason: "unexpected_content_type" }],
    ["timeout", { kind: "timeout", reason: "timeout" }],
  ] as const)("fault %s → %o, and the probe is UNKNOWN", async (fault: HistorieFault, error) => {
    sim.setFault(fault);
    const c = client(fault === "timeout" ? 100 : 2000);
    expect(await c.verblijfplaatshistorie(wellKnown.residentBsn, { peildatum: "2024-01-01" })).toEqual({
      ok: false,
      error,
    });
    const answer = await runHistorieProbe(
      createHistorieLoaders(c),
      wellKnown.residentBsn,
      "historie.eerderAdresInGemeente",
      probeOptions,
    );
    expect(answer).toEqual({ result: "UNKNOWN", reason: error.reason });
  });

  it("a schema mismatch is malformed; no upstream text leaks into the error", async () => {
    const answer = (body: unknown, status = 200) =>
      createHistorieClient({
        baseUrl: "http://historie.invalid",
        auth: { kind: "none" },
        timeoutMs: 100,
        fetch: async () =>
          new Response(JSON.stringify(body), {
            status,
            headers: { "content-type": status === 200 ? "application/json" : "application/problem+json" },
          }),
      }).verblijfplaatshistorie(wellKnown.residentBsn, { peildatum: "2024-01-01" });
    expect(await answer({ verblijfplaatsen: [{ type: "Kasteel" }] })).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "schema_mismatch" },
    });
    expect(await answer({ code: "Jansen woont op Markt 1" }, 400)).toEqual({
      ok: false,
      error: { kind: "rejected", status: 400, reason: "http_400" },
    });
  });
});

describe("Verblijfplaatshistorie simulator request validation", () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}/verblijfplaatshistorie`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": API_KEY, ...headers },
      body: JSON.stringify(body),
    });
  const peildatum = {
    type: "RaadpleegMetPeildatum",
    burgerservicenummer: wellKnown.residentBsn,
    peildatum: "2024-01-01",
  };

  it.each([
    ["no type", { burgerservicenummer: wellKnown.residentBsn }, [["type", "required"]]],
    ["an unknown type", { ...peildatum, type: "RaadpleegMetIets" }, [["type", "value"]]],
    ["no peildatum", { ...peildatum, peildatum: undefined }, [["peildatum", "required"]]],
    ["an impossible date", { ...peildatum, peildatum: "2023-02-29" }, [["peildatum", "date"]]],
    ["a date without dashes", { ...peildatum, peildatum: "20230101" }, [["peildatum", "date"]]],
    [
      "a BSN of 8 digits",
      { ...peildatum, burgerservicenummer: "12345678" },
      [["burgerservicenummer", "pattern"]],
    ],
    ["an unexpected parameter", { ...peildatum, datumVan: "2020-01-01" }, [["datumVan", "unknownParam"]]],
    [
      "datumTot before datumVan",
      {
        type: "RaadpleegMetPeriode",
        burgerservicenummer: wellKnown.residentBsn,
        datumVan: "2023-01-01",
        datumTot: "2022-01-01",
      },
      [["datumTot", "invalidParam"]],
    ],
  ])("refuses %s with 400 problem+json and invalidParams", async (_name, body, expected) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { code: string; invalidParams: { name: string; code: string }[] };
    expect(problem.code).toBe("paramsValidation");
    expect(problem.invalidParams.map((p) => [p.name, p.code])).toEqual(expected);
  });

  it("refuses a non-JSON content type (415) and a non-JSON Accept (406); unknown paths are 404", async () => {
    expect((await post(peildatum, { "content-type": "text/plain" })).status).toBe(415);
    expect((await post(peildatum, { accept: "text/html" })).status).toBe(406);
    const res = await fetch(`${sim.url}/personen`, {
      method: "POST",
      headers: { "x-api-key": API_KEY },
      body: "{}",
    });
    expect(res.status).toBe(404);
  });

  it("close() ends a hanging request", async () => {
    const other = await startHistorieSimulator({ municipality });
    other.setFault("timeout");
    const arrived = other.nextRequest();
    const pending = fetch(`${other.url}/verblijfplaatshistorie`, { method: "POST", body: "{}" }).then(
      () => "answered",
      () => "ended",
    );
    expect((await arrived).status).toBe(0);
    await other.close();
    expect(await pending).toBe("ended");
  });
});

describe("Verblijfplaatshistorie loaders and probes", () => {
  it("deduplicates equal keys within a request and calls once per distinct key", async () => {
    const l = createHistorieLoaders(client());
    const results = await Promise.all([
      l.verblijfplaatshistorie.load({ bsn: wellKnown.residentBsn, peildatum: "2024-01-01" }),
      l.verblijfplaatshistorie.load({ bsn: wellKnown.residentBsn, peildatum: "2024-01-01" }),
      l.verblijfplaatshistorie.load({ bsn: wellKnown.residentBsn, van: "2000-01-01", tot: "2024-01-01" }),
      l.verblijfplaatshistorie.load({ bsn: wellKnown.unknownBsn, peildatum: "2024-01-01" }),
    ]);
    expect(sim.requests).toHaveLength(3);
    expect(results[0]).toBe(results[1]);
    expect(results[3]).toEqual({ ok: true, value: [] });
  });

  it("declares the probe with a description", () => {
    expect(HISTORIE_PROBES.map((p) => p.id)).toEqual(["historie.eerderAdresInGemeente"]);
    expect(HISTORIE_PROBES.every((p) => p.description.length > 10)).toBe(true);
  });

  it("eerderAdresInGemeente: HIT for a person who moved away, NO_HIT without a former address here or unknown", async () => {
    if (!movedAway || !neverBefore) throw new Error("fixture");
    const run = (b: Bsn) =>
      runHistorieProbe(createHistorieLoaders(client()), b, "historie.eerderAdresInGemeente", probeOptions);
    expect(await run(movedAway.bsn)).toEqual({ result: "HIT", reason: "former_address_inside" });
    expect(await run(neverBefore.bsn)).toEqual({ result: "NO_HIT", reason: "no_former_address_inside" });
    expect(await run(wellKnown.unknownBsn)).toEqual({ result: "NO_HIT", reason: "not_found" });
    expect(await run(bsn("999993653"))).toMatchObject({ result: "NO_HIT" });
    // the current address alone never counts as a former one
    expect(movedAway.gemeenteVanInschrijving.code).not.toBe("0935");
  });

  it("eerderAdresInGemeente: a former period without gemeente is UNKNOWN, never NO_HIT", async () => {
    const c = createHistorieClient({
      baseUrl: "http://historie.invalid",
      auth: { kind: "none" },
      timeoutMs: 100,
      fetch: async () =>
        Response.json({
          verblijfplaatsen: [
            { type: "Adres", gemeenteVanInschrijving: { code: "0917" } },
            {
              type: "Adres",
              datumTot: { type: "Datum", datum: "2020-01-01", langFormaat: "1 januari 2020" },
            },
          ],
        }),
    });
    expect(
      await runHistorieProbe(
        createHistorieLoaders(c),
        wellKnown.residentBsn,
        "historie.eerderAdresInGemeente",
        probeOptions,
      ),
    ).toEqual({
      result: "UNKNOWN",
      reason: "field_missing",
    });
  });
});
