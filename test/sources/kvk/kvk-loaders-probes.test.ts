import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { KvkNummer } from "../../../src/shared/index.ts";
import {
  createKvkClient,
  createKvkLoaders,
  KVK_PROBES,
  runKvkProbe,
  startKvkSimulator,
  type KvkFault,
  type KvkSimulator,
} from "../../../src/sources/kvk/index.ts";
import type { FetchLike } from "../../../src/sources/http/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectKvkTrafficMatchesSpec } from "./kvk-contract.ts";

const municipality = createMunicipality({ seed: 5, size: 800 });
let sim: KvkSimulator;
const clientFor = (options: { timeoutMs?: number; fetch?: FetchLike; baseUrl?: string } = {}) =>
  createKvkClient({
    baseUrl: options.baseUrl ?? sim.url,
    auth: { kind: "apiKey", apiKey: "k" },
    timeoutMs: options.timeoutMs ?? 2000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
const loaders = (timeoutMs?: number) =>
  createKvkLoaders(clientFor(timeoutMs === undefined ? {} : { timeoutMs }));

beforeAll(async () => {
  sim = await startKvkSimulator({ municipality });
});
afterEach(() => {
  sim.setFault("none");
  const requests = [...sim.requests];
  sim.clearRequests();
  expectKvkTrafficMatchesSpec(requests);
});
afterAll(() => sim.close());

describe("loaders", () => {
  it("fetch the same registration, vestiging or search once per request", async () => {
    const l = loaders();
    const nr = sim.register.wellKnown.horecaKvkNummer;
    const [a, b] = await Promise.all([
      l.basisprofiel.load(nr),
      l.basisprofiel.load(nr),
      l.vestigingsprofiel.load("000038509504"),
      l.vestigingsprofiel.load("000038509504"),
      l.zoeken.load({
        params: { postcode: "1034 wl", huisnummer: 17, type: ["nevenvestiging", "hoofdvestiging"] },
      }),
      l.zoeken.load({
        params: { type: ["hoofdvestiging", "nevenvestiging"], huisnummer: 17, postcode: "1034WL" },
      }),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ ok: true, value: { kvkNummer: nr } });
    expect(sim.requests.map((r) => r.path).sort()).toEqual([
      `/api/v1/basisprofielen/${nr}`,
      "/api/v1/vestigingsprofielen/000038509504",
      "/api/v2/zoeken",
    ]);
    // A new request gets new loaders: nothing is cached across requests.
    await loaders().basisprofiel.load(nr);
    expect(sim.requests).toHaveLength(4);
  });

  it.each([1, 3])("keep at most %i calls in flight, since KVK has no batch endpoint", async (limit) => {
    let inFlight = 0;
    let most = 0;
    const counting: FetchLike = async (url, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await fetch(url, init);
      } finally {
        inFlight--;
      }
    };
    const l = createKvkLoaders(clientFor({ fetch: counting }), { maxConcurrent: limit });
    const numbers = sim.register.companies.slice(0, 10).map((c) => c.kvkNummer);
    const results = await Promise.all(numbers.map((n) => l.basisprofiel.load(n)));
    expect(results.map((r) => r.ok && r.value?.kvkNummer)).toEqual(numbers);
    expect(most).toBe(limit);
    expect(sim.requests).toHaveLength(10);
  });

  it("an upstream error is the result of every key, never null", async () => {
    sim.setFault("http503");
    const l = loaders();
    const results = await Promise.all(
      ["69599084", "68750110"].map((n) => l.basisprofiel.load(n as KvkNummer)),
    );
    expect(results).toEqual(
      [0, 1].map(() => ({ ok: false, error: { kind: "unavailable", status: 503, reason: "http_503" } })),
    );
  });
});

describe("probes", () => {
  it("declares both probes with descriptions", () => {
    expect(KVK_PROBES.map((p) => p.id)).toEqual(["hr.ingeschreven", "hr.vestigingOpAdres"]);
    expect(KVK_PROBES.every((p) => p.description.length > 10)).toBe(true);
  });

  it.each([
    ["a KVK test number", "68750110", "HIT"],
    ["a generated company", "eenmanszaak", "HIT"],
    ["an unknown number (KVK answers 404)", "unknown", "NO_HIT"],
    ["an ended registration", "inactive", "NO_HIT"],
  ])("hr.ingeschreven for %s is %s", async (_name, which, expected) => {
    const w = sim.register.wellKnown;
    const kvkNummer =
      { eenmanszaak: w.eenmanszaakKvkNummer, unknown: w.unknownKvkNummer, inactive: w.inactiveKvkNummer }[
        which
      ] ?? which;
    const answer = await runKvkProbe(loaders(), { kvkNummer }, "hr.ingeschreven");
    expect(answer.result).toBe(expected);
    expect(sim.requests.map((r) => r.status)).toEqual([expected === "HIT" ? 200 : 404]);
  });

  it("hr.vestigingOpAdres: HIT at a vestiging's address, NO_HIT (KVK's 404) at an address without one", async () => {
    const w = sim.register.wellKnown;
    expect(
      await runKvkProbe(
        loaders(),
        { postcode: w.vestigingAddress.postcode, huisnummer: w.vestigingAddress.huisnummer },
        "hr.vestigingOpAdres",
      ),
    ).toEqual({ result: "HIT", reason: "found" });
    const free = w.addressWithoutVestiging;
    expect(
      await runKvkProbe(
        loaders(),
        { postcode: free.postcode, huisnummer: free.huisnummer },
        "hr.vestigingOpAdres",
      ),
    ).toEqual({ result: "NO_HIT", reason: "not_found" });
    expect(sim.requests.map((r) => r.status)).toEqual([200, 404]);
    expect(sim.requests[0]?.query).toMatchObject({
      type: ["hoofdvestiging", "nevenvestiging"],
      resultatenPerPagina: ["1"],
    });
  });

  it("input a probe cannot ask about is UNKNOWN without a call", async () => {
    const l = loaders();
    expect(await runKvkProbe(l, { kvkNummer: "123" }, "hr.ingeschreven")).toEqual({
      result: "UNKNOWN",
      reason: "invalid_input",
    });
    expect(await runKvkProbe(l, { postcode: "6211AB" }, "hr.vestigingOpAdres")).toEqual({
      result: "UNKNOWN",
      reason: "invalid_input",
    });
    expect(sim.requests).toHaveLength(0);
  });

  const faults: [KvkFault, string][] = [
    ["http500", "http_500"],
    ["http503", "http_503"],
    ["timeout", "timeout"],
    ["reset", "network_error"],
    ["malformed", "invalid_json"],
    ["wrongContentType", "unexpected_content_type"],
  ];
  it.each(faults)("%s makes both probes UNKNOWN (%s), never NO_HIT", async (fault, reason) => {
    sim.setFault(fault);
    const l = loaders(150);
    const free = sim.register.wellKnown.addressWithoutVestiging;
    expect(
      await runKvkProbe(l, { kvkNummer: sim.register.wellKnown.unknownKvkNummer }, "hr.ingeschreven"),
    ).toEqual({
      result: "UNKNOWN",
      reason,
    });
    expect(
      await runKvkProbe(l, { postcode: free.postcode, huisnummer: free.huisnummer }, "hr.vestigingOpAdres"),
    ).toEqual({ result: "UNKNOWN", reason });
  });

  it("a 404 that is not KVK's 'no results' (wrong URL) and a refused apikey are UNKNOWN", async () => {
    const wrongUrl = createKvkLoaders(clientFor({ baseUrl: sim.url + "/v9" }));
    expect(await runKvkProbe(wrongUrl, { kvkNummer: "10000001" }, "hr.ingeschreven")).toEqual({
      result: "UNKNOWN",
      reason: "http_404",
    });
    const noKey = createKvkLoaders(
      createKvkClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 2000 }),
    );
    expect(await runKvkProbe(noKey, { kvkNummer: "10000001" }, "hr.ingeschreven")).toEqual({
      result: "UNKNOWN",
      reason: "http_401",
    });
  });
});
