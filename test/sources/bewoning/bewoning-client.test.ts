import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseBagId, type BagId } from "../../../src/shared/index.ts";
import {
  BEWONING_PROBES,
  createBewoningClient,
  createBewoningLoaders,
  runBewoningProbe,
  startBewoningSimulator,
  type BewoningFault,
  type BewoningSimulator,
} from "../../../src/sources/bewoning/index.ts";
import {
  createMunicipality,
  createResidenceHistory,
  wellKnown,
} from "../../../src/sources/synthetic/index.ts";
import { expectTrafficMatchesSpec } from "../historie/closed-brp-contract.ts";

const municipality = createMunicipality({ seed: 1, size: 200 });
const history = createResidenceHistory(municipality);
const API_KEY = "bewoning-key";
let sim: BewoningSimulator;
const client = (timeoutMs = 2000) =>
  createBewoningClient({ baseUrl: sim.url, auth: { kind: "apiKey", apiKey: API_KEY }, timeoutMs });
const bagId = (s: string): BagId => {
  const r = parseBagId(s);
  if (!r.ok) throw new Error("fixture");
  return r.value;
};
const home = bagId(wellKnown.residentAddress.adresseerbaarObjectIdentificatie);
/** A vacant address slot (families share block address 0, so slot 1 of block 0 has no current residents). */
const vacant = bagId(municipality.addressAt(1)?.adresseerbaarObjectIdentificatie ?? "");
const unknownAddress = bagId("0935010009999999");
const today = "2025-06-01";
const unwrapOk = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

beforeAll(async () => {
  sim = await startBewoningSimulator({ municipality, apiKey: API_KEY });
});
afterEach(() => {
  sim.setFault("none");
  try {
    expectTrafficMatchesSpec("bewoning", sim.requests);
  } finally {
    sim.clearRequests();
  }
});
afterAll(() => sim.close());

describe("Bewoning client ↔ simulator", () => {
  it("BewoningMetPeildatum: sends the spec's body and headers; lists today's residents for [peildatum, +1 day)", async () => {
    const result = await client().bewoningOpPeildatum(home, today);
    expect(sim.requests[0]?.path).toBe("/haalcentraal/api/bewoning/bewoningen");
    expect(sim.requests[0]?.body).toEqual({
      type: "BewoningMetPeildatum",
      peildatum: today,
      adresseerbaarObjectIdentificatie: home,
    });
    expect(sim.requests[0]?.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      "x-api-key": API_KEY,
    });
    if (!result.ok) throw new Error("expected ok");
    expect(result.value).toHaveLength(1);
    expect(result.value[0]?.periode).toEqual({ datumVan: today, datumTot: "2025-06-02" });
    const expected = municipality
      .residentsOf(wellKnown.residentAddress)
      .filter((p) => !p.overlijdensdatum)
      .map((p) => p.bsn)
      .sort();
    expect(result.value[0]?.bewoners.map((b) => b.burgerservicenummer)).toEqual(expected);
    expect(expected).toContain(wellKnown.residentBsn);
  });

  it("BewoningMetPeriode: contiguous compositions inside the period, each different from the one before", async () => {
    const result = await client().bewoningInPeriode(home, "1950-01-01", today);
    if (!result.ok) throw new Error("expected ok");
    expect(result.value.length).toBeGreaterThan(1);
    const keys = result.value.map((b) => b.bewoners.map((x) => x.burgerservicenummer).join());
    keys.slice(1).forEach((k, i) => expect(k).not.toBe(keys[i]));
    for (const b of result.value) {
      expect(b.periode?.datumVan && b.periode.datumTot && b.periode.datumVan < b.periode.datumTot).toBe(true);
      expect(b.periode?.datumVan && b.periode.datumVan >= "1950-01-01").toBe(true);
      expect(b.periode?.datumTot && b.periode.datumTot <= today).toBe(true);
    }
    expect(result.value.at(-1)?.periode?.datumTot).toBe(today);
  });

  it("an unknown address and a date nobody lived there answer no bewoningen", async () => {
    expect(await client().bewoningOpPeildatum(unknownAddress, today)).toEqual({ ok: true, value: [] });
    expect(await client().bewoningOpPeildatum(home, "1900-01-01")).toEqual({ ok: true, value: [] });
  });

  it("refuses invalid dates and an empty period before any call", async () => {
    expect(await client().bewoningOpPeildatum(home, "26 mei 1983")).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_date" },
    });
    expect(await client().bewoningInPeriode(home, "2023-01-01", "2022-01-01")).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_period" },
    });
    expect(sim.requests).toHaveLength(0);
  });

  it("a missing or wrong API key is unauthorized (401 problem+json)", async () => {
    for (const auth of [{ kind: "none" } as const, { kind: "apiKey", apiKey: "wrong" } as const]) {
      const c = createBewoningClient({ baseUrl: sim.url, auth, timeoutMs: 2000 });
      expect(await c.bewoningOpPeildatum(home, today)).toEqual({
        ok: false,
        error: { kind: "unauthorized", status: 401, reason: "http_401" },
      });
    }
    expect(sim.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  it.each([
    ["http500", { kind: "unavailable", status: 500, reason: "http_500" }],
    ["http503", { kind: "unavailable", status: 503, reason: "http_503" }],
    ["reset", { kind: "unavailable", reason: "network_error" }],
    ["malformed", { kind: "malformed", status: 200, reason: "invalid_json" }],
    ["wrongContentType", { kind: "malformed", status: 200, reason: "unexpected_content_type" }],
    ["timeout", { kind: "timeout", reason: "timeout" }],
  ] as const)("fault %s → %o, and the probe is UNKNOWN", async (fault: BewoningFault, error) => {
    sim.setFault(fault);
    const c = client(fault === "timeout" ? 100 : 2000);
    expect(await c.bewoningInPeriode(home, "2000-01-01", today)).toEqual({ ok: false, error });
    const answer = await runBewoningProbe(createBewoningLoaders(c), home, "bewoning.bewoondOpPeildatum", {
      peildatum: today,
    });
    expect(answer).toEqual({ result: "UNKNOWN", reason: error.reason });
  });

  it("a schema mismatch is malformed; no upstream text leaks into the error", async () => {
    const answer = (body: unknown, status = 200) =>
      createBewoningClient({
        baseUrl: "http://bewoning.invalid",
        auth: { kind: "none" },
        timeoutMs: 100,
        fetch: async () =>
          new Response(JSON.stringify(body), {
            status,
            headers: { "content-type": status === 200 ? "application/json" : "application/problem+json" },
          }),
      }).bewoningOpPeildatum(home, today);
    expect(await answer({ bewoningen: [{ bewoners: [{ burgerservicenummer: 12 }] }] })).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "schema_mismatch" },
    });
    expect(await answer({ code: "Jansen woont op Markt 1" }, 400)).toEqual({
      ok: false,
      error: { kind: "rejected", status: 400, reason: "http_400" },
    });
  });
});

describe("Bewoning mogelijke bewoners", () => {
  it("a stay whose start is only known by year makes a mogelijke bewoner in that year, a bewoner after it", async () => {
    const big = createMunicipality({ seed: 1, size: 4000 });
    const bigHistory = createResidenceHistory(big);
    const person = [...big.persons()].find((p) => {
      const v = p.verblijfplaats;
      return v?.kind === "adres" && v.datumVan.endsWith("0000") && v.address.gemeenteCode === big.code;
    });
    const v = person?.verblijfplaats;
    if (!person || v?.kind !== "adres") throw new Error("fixture: no year-only start in seed 1");
    expect(bigHistory.historyOf(person.bsn)).toHaveLength(1);
    const other = await startBewoningSimulator({ municipality: big });
    try {
      const c = createBewoningClient({ baseUrl: other.url, auth: { kind: "none" }, timeoutMs: 2000 });
      const id = bagId(v.address.adresseerbaarObjectIdentificatie);
      const year = v.datumVan.slice(0, 4);
      const during = unwrapOk(await c.bewoningOpPeildatum(id, `${year}-06-01`));
      expect(during[0]?.mogelijkeBewoners.map((b) => b.burgerservicenummer)).toContain(person.bsn);
      expect(during[0]?.bewoners.map((b) => b.burgerservicenummer)).not.toContain(person.bsn);
      const after = unwrapOk(await c.bewoningOpPeildatum(id, `${Number(year) + 1}-01-01`));
      expect(after[0]?.bewoners.map((b) => b.burgerservicenummer)).toContain(person.bsn);
      const periode = unwrapOk(await c.bewoningInPeriode(id, `${year}-01-01`, `${Number(year) + 1}-06-01`));
      expect(periode.map((b) => b.periode?.datumVan)).toContain(`${year}-12-31`);
      expect(expectTrafficMatchesSpec("bewoning", other.requests)).toBe(6);
    } finally {
      await other.close();
    }
  });
});

describe("Bewoning simulator request validation", () => {
  const post = (body: unknown) =>
    fetch(`${sim.url}/bewoningen`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "x-api-key": API_KEY },
      body: JSON.stringify(body),
    });
  const peildatum = {
    type: "BewoningMetPeildatum",
    peildatum: "2023-01-01",
    adresseerbaarObjectIdentificatie: home,
  };
  const periode = {
    type: "BewoningMetPeriode",
    datumVan: "2023-01-01",
    datumTot: "2024-01-01",
    adresseerbaarObjectIdentificatie: home,
  };

  it.each([
    [
      "only a type",
      { type: "BewoningMetPeildatum" },
      [
        ["adresseerbaarObjectIdentificatie", "required"],
        ["peildatum", "required"],
      ],
    ],
    ["an empty peildatum", { ...peildatum, peildatum: "" }, [["peildatum", "required"]]],
    [
      "16 zeros",
      { ...peildatum, adresseerbaarObjectIdentificatie: "0000000000000000" },
      [["adresseerbaarObjectIdentificatie", "pattern"]],
    ],
    [
      "15 digits",
      { ...peildatum, adresseerbaarObjectIdentificatie: "123456789012345" },
      [["adresseerbaarObjectIdentificatie", "pattern"]],
    ],
    ["2023-02-29", { ...peildatum, peildatum: "2023-02-29" }, [["peildatum", "date"]]],
    [
      "a parameter of the other type",
      { ...peildatum, datumVan: "2022-01-01" },
      [["datumVan", "unknownParam"]],
    ],
    ["datumTot on datumVan", { ...periode, datumTot: "2023-01-01" }, [["datumTot", "invalidParam"]]],
    ["an unknown type", { ...periode, type: "BewoningMetIets" }, [["type", "value"]]],
  ])("refuses %s with 400 problem+json and invalidParams", async (_name, body, expected) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { status: number; invalidParams: { name: string; code: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.invalidParams.map((p) => [p.name, p.code])).toEqual(expected);
  });
});

describe("Bewoning loaders and probes", () => {
  it("deduplicates equal keys within a request and calls once per distinct key", async () => {
    const l = createBewoningLoaders(client());
    const [a, b] = await Promise.all([
      l.bewoning.load({ adresseerbaarObjectIdentificatie: home, peildatum: today }),
      l.bewoning.load({ adresseerbaarObjectIdentificatie: home, peildatum: today }),
      l.bewoning.load({ adresseerbaarObjectIdentificatie: home, van: "2000-01-01", tot: today }),
      l.bewoning.load({ adresseerbaarObjectIdentificatie: vacant, peildatum: today }),
    ]);
    expect(sim.requests).toHaveLength(3);
    expect(a).toBe(b);
  });

  it("declares the probe with a description", () => {
    expect(BEWONING_PROBES.map((p) => p.id)).toEqual(["bewoning.bewoondOpPeildatum"]);
    expect(BEWONING_PROBES.every((p) => p.description.length > 10)).toBe(true);
  });

  it("bewoondOpPeildatum: HIT at a home, NO_HIT at a vacant or unknown address and before anyone lived there", async () => {
    const run = (id: BagId, peildatum = today) =>
      runBewoningProbe(createBewoningLoaders(client()), id, "bewoning.bewoondOpPeildatum", { peildatum });
    expect(
      history
        .occupancyOf(municipality.addressAt(1) ?? wellKnown.residentAddress)
        .filter((o) => !o.period.datumTot),
    ).toEqual([]);
    expect(await run(home)).toEqual({ result: "HIT", reason: "inhabited" });
    expect(await run(vacant)).toEqual({ result: "NO_HIT", reason: "not_inhabited" });
    expect(await run(unknownAddress)).toEqual({ result: "NO_HIT", reason: "not_inhabited" });
    expect(await run(home, "1900-01-01")).toEqual({ result: "NO_HIT", reason: "not_inhabited" });
  });

  it("bewoondOpPeildatum: only mogelijke bewoners is UNKNOWN, never NO_HIT", async () => {
    const c = createBewoningClient({
      baseUrl: "http://bewoning.invalid",
      auth: { kind: "none" },
      timeoutMs: 100,
      fetch: async () =>
        Response.json({
          bewoningen: [{ bewoners: [], mogelijkeBewoners: [{ burgerservicenummer: "999993653" }] }],
        }),
    });
    expect(
      await runBewoningProbe(createBewoningLoaders(c), home, "bewoning.bewoondOpPeildatum", {
        peildatum: today,
      }),
    ).toEqual({
      result: "UNKNOWN",
      reason: "uncertain",
    });
  });
});
