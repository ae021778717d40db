import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as Zod from "zod";

/**
 * Issue 15: the upstream clients check answers with zod schemas built once when their module
 * loads, never per call (building a schema costs more than checking an answer with it). zod's
 * builders are counted: after the modules have loaded, calls build nothing.
 */
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock("zod", async (importOriginal) => {
  const actual = await importOriginal<typeof Zod>();
  const counted =
    <A extends unknown[], R>(f: (...args: A) => R) =>
    (...args: A): R => {
      built.count++;
      return f(...args);
    };
  const z = {
    ...actual.z,
    object: counted(actual.z.object),
    looseObject: counted(actual.z.looseObject),
    strictObject: counted(actual.z.strictObject),
    array: counted(actual.z.array),
    literal: counted(actual.z.literal),
    union: counted(actual.z.union),
    discriminatedUnion: counted(actual.z.discriminatedUnion),
  };
  return { ...actual, z };
});

const { createPermitsClient } = await import("../../src/sources/permits/index.ts");
const { createBrpClient } = await import("../../src/sources/brp/index.ts");
const { parseBsn } = await import("../../src/shared/index.ts");
const { createWozClient } = await import("../../src/sources/woz/index.ts");

const json = (body: unknown) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } }),
  );
const bsn = (() => {
  const r = parseBsn("999993653");
  if (!r.ok) throw new Error("fixture");
  return r.value;
})();

describe("schemas built once, not per call", () => {
  beforeAll(() => {
    expect(built.count).toBeGreaterThan(0); // the counter sees the modules' own schemas
  });

  it("permits: zaken, zaakobjecten and zaaktypen lists build no schema", async () => {
    const client = createPermitsClient({
      zakenUrl: "http://zaken.test/zaken/api/v1",
      catalogiUrl: "http://catalogi.test/catalogi/api/v1",
      clientId: "poortwachter",
      secret: "zgw-geheim-voor-tests-zgw-geheim",
      timeoutMs: 1000,
      fetch: () => json({ count: 0, next: null, previous: null, results: [] }),
    });
    built.count = 0;
    for (let i = 0; i < 3; i++) {
      expect((await client.zaken({ natuurlijkPersoon: { bsn } })).ok).toBe(true);
      expect((await client.zakenBijObject("0935010000000001")).ok).toBe(true);
      expect((await client.zaaktypen()).ok).toBe(true);
    }
    expect(built.count).toBe(0);
  });

  it("BRP: RaadpleegMetBurgerservicenummer and both searches build no schema", async () => {
    const client = createBrpClient({
      baseUrl: "http://brp.test/haalcentraal/api/brp",
      auth: { kind: "none" },
      timeoutMs: 1000,
      fetch: (_url, init) =>
        json({ type: (JSON.parse(String(init?.body)) as { type: string }).type, personen: [] }),
    });
    built.count = 0;
    for (let i = 0; i < 3; i++) {
      expect((await client.raadpleeg([bsn], ["naam"])).ok).toBe(true);
      const postcode = await client.zoek(
        { type: "ZoekMetPostcodeEnHuisnummer", postcode: "6211AB", huisnummer: 1 },
        ["naam"],
      );
      expect(postcode).toEqual({ ok: true, value: [] });
      const naam = await client.zoek(
        { type: "ZoekMetGeslachtsnaamEnGeboortedatum", geslachtsnaam: "Jansen", geboortedatum: "1980-01-01" },
        ["naam"],
      );
      expect(naam).toEqual({ ok: true, value: [] });
    }
    expect(built.count).toBe(0);
  });

  it("WOZ: searches and one object build no schema", async () => {
    const client = createWozClient({
      baseUrl: "http://woz.test/wozbevragen/v1",
      auth: { kind: "none" },
      timeoutMs: 1000,
      fetch: (url) =>
        String(url).includes("/wozobjecten?")
          ? json({ _embedded: { wozObjecten: [] } })
          : json({ identificatie: "093500000001" }),
    });
    built.count = 0;
    for (let i = 0; i < 3; i++) {
      expect(await client.zoekWozObjecten({ postcode: "6211AB", huisnummer: 1 })).toEqual({
        ok: true,
        value: [],
      });
      expect(await client.wozObject("093500000001")).toEqual({
        ok: true,
        value: { identificatie: "093500000001" },
      });
    }
    expect(built.count).toBe(0);
  });
});
