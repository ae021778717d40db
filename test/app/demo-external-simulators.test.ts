import { afterEach, describe, expect, it } from "vitest";
import { DEMO_KEYS, DEMO_ZGW, startDemoSources } from "../../src/app/upstreams.ts";
import { loadConfig } from "../../src/config/index.ts";
import { createMunicipality } from "../../src/sources/synthetic/index.ts";

const municipality = createMunicipality({ seed: 2026, name: "Maastricht", size: 100 });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function demoSources(env: Record<string, string>) {
  const config = loadConfig({ DEMO_MODE: "true", ...env });
  if (!config.ok) throw new Error(config.error.problems.join("; "));
  return startDemoSources(config.value, municipality, (c) => closers.push(c));
}

describe("demo mode with simulators started elsewhere (npm run bench, issue 15)", () => {
  it("calls a source at its configured URL with the demo's key, and the others at their simulators", async () => {
    const { config, simulators } = await demoSources({
      BRP_URL: "http://127.0.0.1:7001/haalcentraal/api/brp",
      HISTORIE_URL: "http://127.0.0.1:7002/historie",
    });
    expect(config.brp.url).toBe("http://127.0.0.1:7001/haalcentraal/api/brp");
    expect(config.brp.auth).toEqual({ kind: "apiKey", apiKey: DEMO_KEYS.brp });
    expect(config.historie.url).toBe("http://127.0.0.1:7002/historie");
    expect(config.bag.url).toBe(simulators.bag.url);
    expect(config.bewoning.url).toBe(simulators.bewoning.url);
    expect(config.permits.zakenUrl).toBe(simulators.permits.zakenUrl);
    expect(config.permits.clientId).toBe(DEMO_ZGW.clientId);
  });

  it("keeps the configured credentials of an external source, permits included", async () => {
    const { config } = await demoSources({
      BAG_URL: "http://127.0.0.1:7003/bag",
      BAG_API_KEY: "own-bag-key",
      PERMITS_ZAKEN_URL: "http://127.0.0.1:7004/zaken",
      PERMITS_CATALOGI_URL: "http://127.0.0.1:7004/catalogi",
      PERMITS_CLIENT_ID: "bench",
      PERMITS_SECRET: "bench-secret",
    });
    expect(config.bag).toMatchObject({
      url: "http://127.0.0.1:7003/bag",
      auth: { kind: "apiKey", apiKey: "own-bag-key" },
    });
    expect(config.permits).toMatchObject({
      zakenUrl: "http://127.0.0.1:7004/zaken",
      catalogiUrl: "http://127.0.0.1:7004/catalogi",
      clientId: "bench",
      secret: "bench-secret",
    });
  });

  it("without a source URL points every source at its own simulator", async () => {
    const { config, simulators } = await demoSources({});
    expect(config.brp.url).toBe(simulators.brp.url);
    expect(config.kvk.url).toBe(simulators.kvk.url);
    expect(config.kvk.auth).toEqual({ kind: "apiKey", apiKey: DEMO_KEYS.kvk });
    expect(config.woz.url).toBe(simulators.woz.url);
    expect(config.woz.auth).toEqual({ kind: "apiKey", apiKey: DEMO_KEYS.woz });
  });
});
