import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseBagId, type BagId, type Result, type SourceError } from "../../../src/shared/index.ts";
import { createBagClient, startBagSimulator } from "../../../src/sources/bag/index.ts";
import { createBewoningClient, startBewoningSimulator } from "../../../src/sources/bewoning/index.ts";
import { createBrpClient, startBrpSimulator } from "../../../src/sources/brp/index.ts";
import { createHistorieClient, startHistorieSimulator } from "../../../src/sources/historie/index.ts";
import {
  createSourceResilience,
  type SimulatorHandle,
  type SourceResilience,
  type SourceResilienceOptions,
} from "../../../src/sources/http/index.ts";
import { createKvkClient, createKvkRegister, startKvkSimulator } from "../../../src/sources/kvk/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";

const municipality = createMunicipality({ seed: 1, size: 200 });
const wellKnown = municipality.wellKnown;
const API_KEY = "resilience-key";
const bagId = (s: string): BagId => {
  const r = parseBagId(s);
  if (!r.ok) throw new Error("fixture");
  return r.value;
};
const kvkRegister = createKvkRegister(municipality);
const home = bagId(wellKnown.residentAddress.adresseerbaarObjectIdentificatie);

const resilience = (options: Partial<SourceResilienceOptions> = {}) =>
  createSourceResilience({
    source: "test",
    maxConcurrent: 4,
    retries: 2,
    retryBaseMs: 0,
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 60_000 },
    ...options,
  });

const clientOptions = (baseUrl: string, resilience: SourceResilience, apiKey = API_KEY) => ({
  baseUrl,
  auth: { kind: "apiKey", apiKey } as const,
  timeoutMs: 2000,
  resilience,
});

interface Case {
  readonly name: string;
  readonly start: () => Promise<SimulatorHandle<{ readonly status: number }>>;
  /** One call of the client made with these options. */
  readonly call: (options: ReturnType<typeof clientOptions>) => Promise<Result<unknown, SourceError>>;
}

/** Every upstream client, each against its own simulator. */
const CASES: readonly Case[] = [
  {
    name: "BRP Personen (POST /personen, a query)",
    start: () => startBrpSimulator({ municipality, apiKey: API_KEY }),
    call: (o) => createBrpClient(o).raadpleeg([wellKnown.residentBsn], ["naam"]),
  },
  {
    name: "BAG (GET /adresseerbareobjecten/{id})",
    start: () => startBagSimulator({ municipality, apiKey: API_KEY }),
    call: (o) => createBagClient(o).adresseerbaarObject(home),
  },
  {
    name: "KVK (GET /v2/zoeken)",
    start: () => startKvkSimulator({ municipality, apiKey: API_KEY, register: kvkRegister }),
    call: (o) => createKvkClient(o).zoeken({ kvkNummer: kvkRegister.wellKnown.horecaKvkNummer }),
  },
  {
    name: "BRP Bewoning (POST /bewoningen, a query)",
    start: () => startBewoningSimulator({ municipality, apiKey: API_KEY }),
    call: (o) => createBewoningClient(o).bewoningOpPeildatum(home, "2025-06-01"),
  },
  {
    name: "BRP Verblijfplaatshistorie (POST /verblijfplaatshistorie, a query)",
    start: () => startHistorieSimulator({ municipality, apiKey: API_KEY }),
    call: (o) =>
      createHistorieClient(o).verblijfplaatshistorie(wellKnown.residentBsn, { peildatum: "2025-06-01" }),
  },
];

describe.each(CASES)("$name through the resilience layer", ({ start, call }) => {
  let sim: SimulatorHandle<{ readonly status: number }>;
  beforeAll(async () => {
    sim = await start();
  });
  afterEach(() => {
    sim.setFault("none");
    sim.clearRequests();
  });
  afterAll(() => sim.close());
  const statuses = () => sim.requests.map((r) => r.status);

  it("a 503 is retried, and the retry gets the answer", async () => {
    sim.setFault("http503", 1);
    expect(await call(clientOptions(sim.url, resilience()))).toMatchObject({ ok: true });
    expect(statuses()).toEqual([503, 200]);
  });

  it("a reset connection is retried too", async () => {
    sim.setFault("reset", 2);
    expect(await call(clientOptions(sim.url, resilience()))).toMatchObject({ ok: true });
    expect(statuses()).toEqual([0, 0, 200]);
  });

  it("a 401 is an answer: not retried, and it does not open the circuit", async () => {
    const r = resilience({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } });
    expect(await call(clientOptions(sim.url, r, "wrong"))).toMatchObject({
      ok: false,
      error: { kind: "unauthorized", status: 401 },
    });
    expect(statuses()).toEqual([401]);
    expect(r.state().circuit).toBe("closed");
  });

  it("after N upstream failures the circuit opens and the simulator sees no more requests", async () => {
    const r = resilience({ retries: 0, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 } });
    sim.setFault("http500");
    await call(clientOptions(sim.url, r));
    await call(clientOptions(sim.url, r));
    expect(await call(clientOptions(sim.url, r))).toEqual({
      ok: false,
      error: { kind: "unavailable", reason: "circuit_open" },
    });
    expect(statuses()).toEqual([500, 500]);
  });

  it("the overall deadline ends a hanging call as timeout/deadline", async () => {
    sim.setFault("timeout");
    const arrived = sim.nextRequest();
    const result = call(clientOptions(sim.url, resilience({ retries: 0, timeoutMs: 200 })));
    await arrived;
    expect(await result).toEqual({ ok: false, error: { kind: "timeout", reason: "deadline" } });
  });
});
