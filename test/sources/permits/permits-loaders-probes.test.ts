import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { err, ok } from "../../../src/shared/index.ts";
import type { FetchLike } from "../../../src/sources/http/index.ts";
import {
  createKvkClient,
  createKvkLoaders,
  createKvkRegister,
  startKvkSimulator,
  type KvkSimulator,
} from "../../../src/sources/kvk/index.ts";
import {
  createPermitsClient,
  createPermitsLoaders,
  kvkOndernemingLookup,
  PERMITS_PROBES,
  runPermitsProbe,
  startPermitsSimulator,
  type OndernemingLookup,
  type PermitKind,
  type PermitsClient,
  type PermitsFault,
  type PermitsLoaderOptions,
  type PermitsProbeId,
  type PermitsSimulator,
  type PermitsSubject,
  type PermitZaakRecord,
} from "../../../src/sources/permits/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectPermitsTrafficMatchesSpec } from "./permits-contract.ts";

const municipality = createMunicipality({ seed: 5, size: 800 });
const kvk = createKvkRegister(municipality);
const CLIENT = { clientId: "poortwachter", secret: "probe-geheim" };
let sim: PermitsSimulator;

beforeAll(async () => {
  sim = await startPermitsSimulator({ municipality, kvkRegister: kvk, ...CLIENT });
});
afterEach(() => {
  sim.setFault("none");
  const requests = [...sim.requests];
  sim.clearRequests();
  expectPermitsTrafficMatchesSpec(requests);
});
afterAll(() => sim.close());

/** KvK number → RSIN and vestigingsnummers straight from the register (KVK itself is tested elsewhere). */
const registerLookup: OndernemingLookup = async (kvkNummer) => {
  const c = kvk.byKvkNummer(kvkNummer);
  return ok(c ? { rsin: c.rsin, vestigingsnummers: c.vestigingen.map((v) => v.vestigingsnummer) } : null);
};
const clientFor = (options: { timeoutMs?: number; fetch?: FetchLike } = {}) =>
  createPermitsClient({
    zakenUrl: sim.zakenUrl,
    catalogiUrl: sim.catalogiUrl,
    ...CLIENT,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
const loaders = (options: PermitsLoaderOptions & { timeoutMs?: number } = {}) =>
  createPermitsLoaders(clientFor(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), {
    onderneming: registerLookup,
    ...options,
  });
const wk = () => sim.register.wellKnown;
const kindOf = (id: PermitsProbeId): PermitKind =>
  PERMITS_PROBES.find((p) => p.id === id)?.kind ?? "horecavergunning";
const PROBE_IDS = PERMITS_PROBES.map((p) => p.id);

describe("permit probes", () => {
  it("lists its probes, one per kind of permit case", () => {
    expect(PROBE_IDS).toEqual([
      "permits.horeca",
      "permits.omgeving",
      "permits.exploitatie",
      "permits.boeteAlcoholwet",
      "permits.parkeer",
    ]);
  });

  it.each([
    [
      "the resident (omgeving; horeca and exploitatie as eigenaar)",
      () => ({ kind: "persoon", bsn: wk().residentBsn }),
      ["permits.horeca", "permits.omgeving", "permits.exploitatie"],
    ],
    [
      "a resident with a parkeervergunning",
      () => ({ kind: "persoon", bsn: wk().bsnWithParkeervergunning }),
      ["permits.parkeer"],
    ],
    [
      "the horeca BV",
      () => ({ kind: "onderneming", kvkNummer: wk().horecaKvkNummerWithPermit }),
      ["permits.horeca", "permits.exploitatie", "permits.boeteAlcoholwet"],
    ],
    [
      "the resident's eenmanszaak",
      () => ({ kind: "onderneming", kvkNummer: wk().eenmanszaakKvkNummerWithPermit }),
      ["permits.horeca", "permits.exploitatie"],
    ],
    [
      "the resident's address",
      () => ({ kind: "object", adresseerbaarObjectIdentificatie: wk().objectWithOmgevingsvergunning }),
      ["permits.omgeving"],
    ],
    [
      "the horeca BV's hoofdvestiging",
      () => ({ kind: "object", adresseerbaarObjectIdentificatie: wk().objectWithHorecavergunning }),
      ["permits.horeca", "permits.exploitatie", "permits.boeteAlcoholwet"],
    ],
  ] as const)(
    "HIT for %s where the register has such a zaak, NO_HIT elsewhere",
    async (_name, subjectOf, hits) => {
      const subject = subjectOf() as PermitsSubject;
      const l = loaders();
      const zaken: PermitZaakRecord[] =
        subject.kind === "persoon"
          ? sim.register.zakenVanBsn(subject.bsn)
          : subject.kind === "object"
            ? sim.register.zakenBijObject(subject.adresseerbaarObjectIdentificatie)
            : (kvk.byKvkNummer(subject.kvkNummer)?.vestigingen ?? []).flatMap((v) =>
                sim.register.zakenVanVestiging(v.vestigingsnummer),
              );
      for (const id of PROBE_IDS) {
        const expected = zaken.some((z) => z.zaaktype.kind === kindOf(id));
        expect(await runPermitsProbe(l, subject, id), id).toEqual(
          expected ? { result: "HIT", reason: "found" } : { result: "NO_HIT", reason: "not_found" },
        );
        // The well-known ids carry what they promise, whatever the seed adds.
        if ((hits as readonly string[]).includes(id)) expect(expected, id).toBe(true);
      }
    },
  );

  it.each([
    ["a resident without zaken", () => ({ kind: "persoon", bsn: wk().bsnWithoutPermits })],
    [
      "a company that is not in horeca",
      () => ({ kind: "onderneming", kvkNummer: wk().kvkNummerWithoutPermits }),
    ],
    [
      "a KvK number no company has",
      () => ({ kind: "onderneming", kvkNummer: kvk.wellKnown.unknownKvkNummer }),
    ],
    [
      "an address without zaakobjecten",
      () => ({ kind: "object", adresseerbaarObjectIdentificatie: wk().objectWithoutPermits }),
    ],
  ] as const)("NO_HIT on every probe for %s, without asking the catalogue", async (_name, subjectOf) => {
    const l = loaders();
    for (const id of PROBE_IDS)
      expect(await runPermitsProbe(l, subjectOf() as PermitsSubject, id)).toEqual({
        result: "NO_HIT",
        reason: "not_found",
      });
    expect(sim.requests.some((r) => r.api === "catalogi")).toBe(false);
  });

  const subjects: [string, () => PermitsSubject][] = [
    ["persoon", () => ({ kind: "persoon", bsn: wk().residentBsn })],
    ["onderneming", () => ({ kind: "onderneming", kvkNummer: wk().horecaKvkNummerWithPermit })],
    [
      "object",
      () => ({ kind: "object", adresseerbaarObjectIdentificatie: wk().objectWithOmgevingsvergunning }),
    ],
  ];
  const faults: [PermitsFault, string][] = [
    ["http500", "http_500"],
    ["http503", "http_503"],
    ["timeout", "timeout"],
    ["reset", "network_error"],
    ["malformed", "invalid_json"],
    ["wrongContentType", "unexpected_content_type"],
  ];
  it.each(
    subjects.flatMap(([kind, subject]) =>
      faults.map(([fault, reason]) => [kind, fault, reason, subject] as const),
    ),
  )(
    "UNKNOWN, never NO_HIT, for a %s when the upstream answers with %s",
    async (_kind, fault, reason, subject) => {
      sim.setFault(fault);
      const l = loaders({ timeoutMs: fault === "timeout" ? 300 : 10_000 });
      for (const id of PROBE_IDS)
        expect(await runPermitsProbe(l, subject(), id)).toEqual({ result: "UNKNOWN", reason });
    },
  );

  it("UNKNOWN when the catalogue fails, though the zaken were found", async () => {
    const catalogueFails: FetchLike = (input, init) => {
      if (String(input).includes("/catalogi/")) sim.setFault("http503");
      return fetch(input, init);
    };
    const l = createPermitsLoaders(clientFor({ fetch: catalogueFails }));
    const answer = await runPermitsProbe(l, { kind: "persoon", bsn: wk().residentBsn }, "permits.horeca");
    expect(answer).toEqual({ result: "UNKNOWN", reason: "http_503" });
  });

  it("UNKNOWN for a zaak whose zaaktype the catalogue does not list, unless another zaak is a hit", async () => {
    const real = clientFor();
    const withoutPermitTypes: PermitsClient = {
      ...real,
      zaaktypen: async () => {
        const all = await real.zaaktypen();
        return all.ok ? ok(all.value.filter((t) => t.identificatie !== "OMGEVINGSVERGUNNING")) : all;
      },
    };
    const l = createPermitsLoaders(withoutPermitTypes);
    const resident: PermitsSubject = { kind: "persoon", bsn: wk().residentBsn };
    expect(await runPermitsProbe(l, resident, "permits.horeca")).toEqual({ result: "HIT", reason: "found" });
    expect(await runPermitsProbe(l, resident, "permits.omgeving")).toEqual({
      result: "UNKNOWN",
      reason: "unresolved_zaaktype",
    });
    expect(await runPermitsProbe(l, resident, "permits.parkeer")).toEqual({
      result: "UNKNOWN",
      reason: "unresolved_zaaktype",
    });
  });

  it.each([
    { kind: "persoon", bsn: "123456789" },
    { kind: "persoon", bsn: "" },
    { kind: "onderneming", kvkNummer: "1234567" },
    { kind: "object", adresseerbaarObjectIdentificatie: "093501000000001" },
  ] as const)("UNKNOWN without a call for input it cannot ask about: %o", async (subject) => {
    expect(await runPermitsProbe(loaders(), subject, "permits.horeca")).toEqual({
      result: "UNKNOWN",
      reason: "invalid_input",
    });
    expect(sim.requests).toHaveLength(0);
  });

  it("UNKNOWN for a company when the KvK lookup fails or is not configured", async () => {
    const company: PermitsSubject = { kind: "onderneming", kvkNummer: wk().horecaKvkNummerWithPermit };
    const failing = createPermitsLoaders(clientFor(), {
      onderneming: async () => err({ kind: "unavailable", status: 503, reason: "http_503" }),
    });
    expect(await runPermitsProbe(failing, company, "permits.horeca")).toEqual({
      result: "UNKNOWN",
      reason: "http_503",
    });
    expect(await runPermitsProbe(createPermitsLoaders(clientFor()), company, "permits.horeca")).toEqual({
      result: "UNKNOWN",
      reason: "no_onderneming_lookup",
    });
    expect(sim.requests).toHaveLength(0);
  });
});

describe("loaders", () => {
  it("fetch each subject once per request, and the catalogue at most once", async () => {
    const l = loaders();
    const resident = wk().residentBsn;
    const results = await Promise.all([
      l.byBsn.load(resident),
      l.byBsn.load(resident),
      l.byAdresseerbaarObject.load(wk().objectWithHorecavergunning),
      l.byAdresseerbaarObject.load(wk().objectWithHorecavergunning),
      l.byKvkNummer.load(wk().horecaKvkNummerWithPermit),
      l.byVestigingsnummer.load(wk().horecaVestigingsnummer),
      l.byRsin.load(wk().horecaRsin),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[0]).toEqual(results[1]);
    const cafe = kvk.byKvkNummer(wk().horecaKvkNummerWithPermit);
    const paths = sim.requests.map(
      (r) => `${r.method} ${r.path.replace(/^\/(zaken|catalogi)\/api\/v1/, "")}`,
    );
    expect(paths.sort()).toEqual(
      [
        "GET /zaaktypen",
        "GET /zaakobjecten",
        "POST /zaken/_zoek",
        "GET /zaken", // BSN
        "GET /zaken", // RSIN, shared by byKvkNummer and byRsin
        ...(cafe?.vestigingen ?? []).map(() => "GET /zaken"), // each vestiging once
      ].sort(),
    );
    // A new request gets new loaders: nothing is cached across requests, the catalogue neither.
    sim.clearRequests();
    await loaders().byBsn.load(resident);
    expect(sim.requests.map((r) => r.path)).toEqual(["/zaken/api/v1/zaken", "/catalogi/api/v1/zaaktypen"]);
  });

  it("normalise a zaak to a Permit, with its kind from the zaaktype table", async () => {
    const loaded = await loaders().byRsin.load(wk().horecaRsin);
    if (!loaded.ok) throw new Error("expected permits");
    const expected = sim.register.zakenVanRsin(wk().horecaRsin);
    expect(loaded.value).toHaveLength(expected.length);
    for (const z of expected) {
      const permit = loaded.value.find((p) => p.identificatie === z.identificatie);
      expect(permit).toEqual({
        zaakUrl: `${sim.zakenUrl}/zaken/${z.uuid}`,
        identificatie: z.identificatie,
        kind: z.zaaktype.kind,
        zaaktypeUrl: `${sim.catalogiUrl}/zaaktypen/${z.zaaktype.uuid}`,
        zaaktype: { identificatie: z.zaaktype.identificatie, omschrijving: z.zaaktype.omschrijving },
        omschrijving: z.omschrijving,
        startdatum: z.startdatum,
        registratiedatum: z.registratiedatum,
        einddatumGepland: z.einddatumGepland,
        einddatum: z.einddatum,
        status: z.einddatum ? "afgesloten" : "lopend",
        vertrouwelijkheidaanduiding: z.zaaktype.vertrouwelijkheidaanduiding,
        archiefnominatie: z.archiefnominatie,
      });
    }
  });

  it.each([1, 3])("keep at most %i calls in flight", async (limit) => {
    let inFlight = 0;
    let most = 0;
    const counting: FetchLike = async (input, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const l = createPermitsLoaders(clientFor({ fetch: counting }), { maxConcurrent: limit });
    const bsns = [...municipality.persons()].slice(0, 12).map((p) => p.bsn);
    const results = await Promise.all(bsns.map((b) => l.byBsn.load(b)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(most).toBe(limit);
  });
});

describe("companies through KVK Zoeken (kvkOndernemingLookup)", () => {
  let kvkSim: KvkSimulator;
  beforeAll(async () => {
    kvkSim = await startKvkSimulator({ municipality, register: kvk, apiKey: "k" });
  });
  afterEach(() => kvkSim.setFault("none"));
  afterAll(() => kvkSim.close());

  it("finds the company's RSIN and vestigingen in one KVK search, then its zaken", async () => {
    const kvkLoaders = createKvkLoaders(
      createKvkClient({ baseUrl: kvkSim.url, auth: { kind: "apiKey", apiKey: "k" }, timeoutMs: 10_000 }),
    );
    const l = createPermitsLoaders(clientFor(), { onderneming: kvkOndernemingLookup(kvkLoaders) });
    const company: PermitsSubject = { kind: "onderneming", kvkNummer: wk().horecaKvkNummerWithPermit };
    for (const id of ["permits.horeca", "permits.exploitatie", "permits.boeteAlcoholwet"] as const)
      expect(await runPermitsProbe(l, company, id)).toEqual({ result: "HIT", reason: "found" });
    expect(await runPermitsProbe(l, company, "permits.parkeer")).toEqual({
      result: "NO_HIT",
      reason: "not_found",
    });
    expect(kvkSim.requests.map((r) => r.path)).toEqual(["/api/v2/zoeken"]);
    const filters = sim.requests.filter((r) => r.path.endsWith("/zaken")).map((r) => Object.keys(r.query)[0]);
    const cafe = kvk.byKvkNummer(wk().horecaKvkNummerWithPermit);
    expect(filters.sort()).toEqual(
      [
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId",
        ...(cafe?.vestigingen ?? []).map(() => "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer"),
      ].sort(),
    );
    expect(
      await runPermitsProbe(
        l,
        { kind: "onderneming", kvkNummer: kvk.wellKnown.unknownKvkNummer },
        "permits.horeca",
      ),
    ).toEqual({ result: "NO_HIT", reason: "not_found" });
  });

  it("is UNKNOWN when KVK fails", async () => {
    kvkSim.setFault("http503");
    const kvkLoaders = createKvkLoaders(
      createKvkClient({ baseUrl: kvkSim.url, auth: { kind: "apiKey", apiKey: "k" }, timeoutMs: 10_000 }),
    );
    const l = createPermitsLoaders(clientFor(), { onderneming: kvkOndernemingLookup(kvkLoaders) });
    const answer = await runPermitsProbe(
      l,
      { kind: "onderneming", kvkNummer: wk().horecaKvkNummerWithPermit },
      "permits.horeca",
    );
    expect(answer).toMatchObject({ result: "UNKNOWN" });
    expect(sim.requests).toHaveLength(0);
  });
});
