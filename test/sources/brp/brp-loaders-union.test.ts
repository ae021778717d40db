import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { err, ok, systemClock, type Bsn } from "../../../src/shared/index.ts";
import { AUTOMATIC_FIELDS, MAX_FIELDS } from "../../../src/sources/brp/brp-fields.ts";
import { PERSOON_FIELD_PATHS } from "../../../src/sources/brp/brp-field-paths.ts";
import { fieldsToSend } from "../../../src/sources/brp/brp-loaders.ts";
import { raadpleegResponseSchema, type BrpPersoon } from "../../../src/sources/brp/brp-schema.ts";
import { answerQuery } from "../../../src/sources/brp/brp-simulator-queries.ts";
import {
  BRP_MAX_BSNS_PER_CALL,
  createBrpClient,
  createBrpLoaders,
  startBrpSimulator,
  type BrpClient,
  type BrpSimulator,
} from "../../../src/sources/brp/index.ts";
import { createMunicipality, wellKnown } from "../../../src/sources/synthetic/index.ts";
import { expectTrafficMatchesSpec } from "./brp-contract.ts";

/**
 * Issue 15 (P3): one RaadpleegMetBurgerservicenummer per 20 BSNs for all keys of a tick, each key
 * still answered exactly as if it had been asked alone.
 */
const municipality = createMunicipality({ seed: 3, size: 100 });
const bsnAt = (i: number) => municipality.personAt(i)?.bsn as Bsn;
let sim: BrpSimulator;
const httpClient = () => createBrpClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 5000 });

beforeAll(async () => {
  sim = await startBrpSimulator({ municipality });
});
afterEach(() => {
  expectTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

/** The simulator's answer without HTTP, counting calls; what a call asked is kept too. */
function inProcessClient(decorate: (p: BrpPersoon) => BrpPersoon = (p) => p) {
  const asked: { bsns: readonly string[]; fields: readonly string[] }[] = [];
  const client: BrpClient = {
    async raadpleeg(bsns, fields) {
      const chunks = [];
      for (let i = 0; i < bsns.length; i += BRP_MAX_BSNS_PER_CALL)
        chunks.push(bsns.slice(i, i + BRP_MAX_BSNS_PER_CALL));
      const personen: BrpPersoon[] = [];
      for (const chunk of chunks) {
        asked.push({ bsns: chunk, fields });
        const outcome = answerQuery(
          { type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: chunk, fields },
          municipality,
          systemClock,
        );
        if (!outcome.ok) return err({ kind: "rejected", status: 400, reason: "http_400" });
        personen.push(...raadpleegResponseSchema.parse(outcome.body).personen.map(decorate));
      }
      return ok(personen);
    },
    zoek: () => Promise.reject(new Error("not used")),
  };
  return { client, asked };
}

/** Each key asked on its own: a loader per key, one key per tick. */
async function perKey(client: BrpClient, keys: readonly { bsn: Bsn; fields: string[] }[]) {
  const answers = [];
  for (const key of keys) answers.push(await createBrpLoaders(client).persoon.load(key));
  return answers;
}

/** Top-level and nested keys of a value, as dotted paths. */
function paths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => paths(v, prefix));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [prefix + k, ...paths(v, `${prefix}${k}.`)]);
}

// The simulator delivers none of these; the real BRP does, beside the fields they concern.
/**
 * What the real BRP adds and the simulator does not: `geheimhoudingPersoonsgegevens` always, and
 * `naam.inOnderzoek` about the asked name fields that are under investigation.
 */
const decorate = (p: BrpPersoon): BrpPersoon => {
  const naam = p.naam;
  const onderzocht = ["voornamen", "geslachtsnaam"].filter((f) => naam !== undefined && f in naam);
  return {
    ...p,
    geheimhoudingPersoonsgegevens: true,
    ...(naam && onderzocht.length > 0
      ? {
          naam: {
            ...naam,
            inOnderzoek: {
              ...Object.fromEntries(onderzocht.map((f) => [f, true])),
              datumIngangOnderzoekPersoon: { type: "Datum" },
            },
          },
        }
      : {}),
  };
};

const SETS = [["burgerservicenummer"], ["gemeenteVanInschrijving"], ["naam.voornamen", "geboorte.datum"]];

describe("one call per 20 BSNs for every key of a tick", () => {
  it("50 BSNs × 3 field sets: 3 calls, each key's answer the same as asked alone", async () => {
    const bsns = Array.from({ length: 50 }, (_, i) => bsnAt(i));
    const keys = SETS.flatMap((fields) => bsns.map((bsn) => ({ bsn, fields })));
    const loaders = createBrpLoaders(httpClient());
    const merged = await Promise.all(keys.map((k) => loaders.persoon.load(k)));

    expect(sim.requests).toHaveLength(Math.ceil(50 / BRP_MAX_BSNS_PER_CALL));
    expect(sim.requests.map((r) => (r.body as { fields: string[] }).fields)).toEqual(
      Array.from({ length: 3 }, () => [
        "burgerservicenummer",
        "geboorte.datum",
        "gemeenteVanInschrijving",
        "naam.voornamen",
      ]),
    );
    sim.clearRequests();
    const alone = await perKey(httpClient(), keys);
    expect(sim.requests).toHaveLength(keys.length);
    expect(merged).toEqual(alone);
    expect(merged.every((r) => r.ok && r.value !== null)).toBe(true);
  });

  it("no key's answer holds a field another key asked", async () => {
    const bsn = wellKnown.residentBsn;
    const loaders = createBrpLoaders(httpClient());
    const [a, b, c] = await Promise.all(SETS.map((fields) => loaders.persoon.load({ bsn, fields })));
    expect(sim.requests).toHaveLength(1);
    const shape = (r: typeof a) =>
      r?.ok && r.value ? paths(r.value).filter((p) => !p.endsWith(".type")) : [];
    expect(shape(a)).toEqual(["burgerservicenummer"]);
    expect(shape(b).sort()).toEqual([
      "burgerservicenummer",
      "gemeenteVanInschrijving",
      "gemeenteVanInschrijving.code",
      "gemeenteVanInschrijving.omschrijving",
    ]);
    expect(
      shape(c).every((p) => /^(burgerservicenummer|naam(\.voornamen)?|geboorte(\.datum.*)?)$/.test(p)),
    ).toBe(true);
    expect(shape(c)).toEqual(expect.arrayContaining(["naam.voornamen", "geboorte.datum.datum"]));
  });

  it("an unknown BSN is null for every key, a failure the error of every key", async () => {
    const loaders = createBrpLoaders(httpClient());
    const found = await Promise.all(
      SETS.map((fields) => loaders.persoon.load({ bsn: wellKnown.unknownBsn, fields })),
    );
    expect(found).toEqual(SETS.map(() => ({ ok: true, value: null })));
    sim.setFault("http503");
    const failed = await Promise.all(
      SETS.map((fields) =>
        createBrpLoaders(httpClient()).persoon.load({ bsn: wellKnown.residentBsn, fields }),
      ),
    );
    sim.setFault("none");
    expect(failed.every((r) => !r.ok && r.error.reason === "http_503")).toBe(true);
  });
});

describe("the union within the spec", () => {
  it(`valid paths always fit: the union drops covered paths, so it has at most the leaves + 1 entries`, () => {
    const valid = PERSOON_FIELD_PATHS.filter(
      (p) => !p.split(".").some((s) => (AUTOMATIC_FIELDS as readonly string[]).includes(s)),
    );
    expect(fieldsToSend(valid).length).toBeLessThanOrEqual(MAX_FIELDS);
  });

  it(`a union beyond ${MAX_FIELDS} entries is split, each key set whole in one call`, async () => {
    // Not reachable with valid paths (above); the loader still never sends more than the spec allows.
    const asked: string[][] = [];
    const client: BrpClient = {
      raadpleeg: (bsns, fields) => {
        asked.push([...fields]);
        return Promise.resolve(ok(bsns.map((b) => ({ burgerservicenummer: b }))));
      },
      zoek: () => Promise.reject(new Error("not used")),
    };
    const names = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => `veld${String(from + i).padStart(3, "0")}`);
    // Any two of them fit in one call (at most 70 + 50 + the BSN), all three do not.
    const sets = [names(0, 70), names(100, 50), names(200, 40)];
    const loaders = createBrpLoaders(client);
    const answers = await Promise.all(
      sets.map((fields) => loaders.persoon.load({ bsn: wellKnown.residentBsn, fields })),
    );
    expect(asked).toHaveLength(2);
    expect(asked.every((fields) => fields.length <= MAX_FIELDS)).toBe(true);
    for (const set of sets)
      expect(asked.filter((fields) => set.every((f) => fields.includes(f)))).toHaveLength(1);
    expect(answers).toEqual(
      sets.map(() => ({ ok: true, value: { burgerservicenummer: wellKnown.residentBsn } })),
    );
  });

  it("a refused merged call is asked again per key, so one key's bad field fails only that key", async () => {
    const { client, asked } = inProcessClient();
    const loaders = createBrpLoaders(client);
    const bsn = wellKnown.residentBsn;
    const [good, bad] = await Promise.all([
      loaders.persoon.load({ bsn, fields: ["naam"] }),
      loaders.persoon.load({ bsn, fields: ["geenVeld"] }),
    ]);
    expect(asked[0]?.fields).toEqual(["burgerservicenummer", "geenVeld", "naam"]);
    expect(
      asked
        .slice(1)
        .map((a) => a.fields.join(","))
        .sort(),
    ).toEqual(["burgerservicenummer,geenVeld", "burgerservicenummer,naam"]);
    expect(good.ok && good.value?.naam).toBeTruthy();
    expect(bad).toEqual({ ok: false, error: { kind: "rejected", status: 400, reason: "http_400" } });
  });

  it("fieldsToSend adds the BSN and drops a path under another path", () => {
    expect(fieldsToSend(["naam.voornamen", "naam", "geboorte.datum", "geboorte.datum"])).toEqual([
      "burgerservicenummer",
      "geboorte.datum",
      "naam",
    ]);
  });
});

describe("what the BRP delivers automatically", () => {
  it("stays with each key, but only about that key's own fields", async () => {
    const { client } = inProcessClient(decorate);
    const loaders = createBrpLoaders(client);
    const bsn = wellKnown.residentBsn;
    const [voornamen, geslachtsnaam, gemeente] = await Promise.all([
      loaders.persoon.load({ bsn, fields: ["naam.voornamen"] }),
      loaders.persoon.load({ bsn, fields: ["naam.geslachtsnaam"] }),
      loaders.persoon.load({ bsn, fields: ["gemeenteVanInschrijving"] }),
    ]);
    const value = (r: typeof voornamen) => (r.ok ? r.value : null);
    expect(value(voornamen)?.naam).toEqual({
      voornamen: expect.any(String),
      inOnderzoek: { voornamen: true, datumIngangOnderzoekPersoon: { type: "Datum" } },
    });
    expect(value(geslachtsnaam)?.naam).toEqual({
      geslachtsnaam: expect.any(String),
      inOnderzoek: { geslachtsnaam: true, datumIngangOnderzoekPersoon: { type: "Datum" } },
    });
    expect(value(gemeente)?.naam).toBeUndefined();
    expect([voornamen, geslachtsnaam, gemeente].map((r) => value(r)?.geheimhoudingPersoonsgegevens)).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe("property: merged answers equal the per-key answers", () => {
  const fieldPaths = PERSOON_FIELD_PATHS.filter(
    (p) => !p.split(".").some((s) => (AUTOMATIC_FIELDS as readonly string[]).includes(s)),
  );
  const bsnPool = [...Array.from({ length: 30 }, (_, i) => bsnAt(i)), wellKnown.unknownBsn];

  it("for random keys (BSNs, field sets, repeats) every answer is the one asked alone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            bsn: fc.constantFrom(...bsnPool),
            fields: fc.uniqueArray(fc.constantFrom(...fieldPaths), { minLength: 1, maxLength: 8 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        async (keys) => {
          const { client, asked } = inProcessClient(decorate);
          const reference = await perKey(client, keys);
          asked.length = 0;
          const loaders = createBrpLoaders(client);
          const merged = await Promise.all(keys.map((k) => loaders.persoon.load(k)));
          expect(merged).toEqual(reference);
          // One call per 20 BSNs of each distinct union.
          const unions = new Set(asked.map((a) => a.fields.join(",")));
          const distinctBsns = new Set(keys.map((k) => k.bsn)).size;
          expect(asked.length).toBeLessThanOrEqual(
            unions.size * Math.ceil(distinctBsns / BRP_MAX_BSNS_PER_CALL),
          );
          expect(asked.every((a) => a.fields.length <= MAX_FIELDS)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
