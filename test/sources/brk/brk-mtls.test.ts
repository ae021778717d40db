import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrkClient, startBrkSimulator, type BrkSimulator } from "../../../src/sources/brk/index.ts";
import { createKvkRegister } from "../../../src/sources/kvk/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { createTestPki, type TestPki } from "../../utils/test-pki.ts";
import { expectBrkTrafficMatchesSpec } from "./brk-contract.ts";

const municipality = createMunicipality({ seed: 5, size: 40 });
let pki: TestPki;
let sim: BrkSimulator;

beforeAll(async () => {
  pki = createTestPki();
  sim = await startBrkSimulator({
    municipality,
    kvkRegister: createKvkRegister(municipality),
    apiKey: "k",
    // As the Kadaster's esd-eto / esd endpoints: a client certificate of the trusted CA, or no connection.
    tls: {
      cert: pki.serverCert,
      key: pki.serverKey,
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: true,
    },
  });
}, 60_000);
afterAll(async () => {
  await sim.close();
  pki.remove();
});

const client = (tls?: { cert: string; key: string }) =>
  createBrkClient({
    baseUrl: sim.url,
    auth: { kind: "apiKey", apiKey: "k" },
    timeoutMs: 5000,
    ...(tls ? { tls: { ...tls, ca: pki.caCert } } : {}),
  });

describe("BRK over mTLS", () => {
  it("with the client certificate the simulator answers, per the spec", async () => {
    expect(sim.url.startsWith("https://")).toBe(true);
    const result = await client({ cert: pki.clientCert, key: pki.clientKey }).zakenVanPersoon(
      sim.register.wellKnown.ownerBsn,
    );
    expect(result.ok && result.value.length).toBe(1);
    expect(expectBrkTrafficMatchesSpec(sim.requests)).toBe(2);
  });

  it.each([
    ["without a client certificate", undefined],
    ["with a certificate of another CA", "stranger"],
  ] as const)("%s the handshake fails: an error value, never an empty answer", async (_what, who) => {
    sim.clearRequests();
    const tls = who === "stranger" ? { cert: pki.strangerCert, key: pki.strangerKey } : undefined;
    // Without a certificate the client still trusts the test CA, so only the client side is missing.
    const c = tls
      ? client(tls)
      : createBrkClient({
          baseUrl: sim.url,
          auth: { kind: "apiKey", apiKey: "k" },
          timeoutMs: 5000,
          tls: { cert: "", key: "", ca: pki.caCert },
        });
    const result = await c.zakenVanPersoon(sim.register.wellKnown.ownerBsn);
    expect(result).toMatchObject({ ok: false, error: { kind: "unavailable", reason: "network_error" } });
    expect(sim.requestCount()).toBe(0);
  });
});
