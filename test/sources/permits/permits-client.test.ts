import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../../src/shared/index.ts";
import type { FetchLike, SourceResilience } from "../../../src/sources/http/index.ts";
import { createKvkRegister } from "../../../src/sources/kvk/index.ts";
import {
  createPermitsClient,
  type PermitsClientOptions,
  type PermitsFault,
  type PermitsSimulator,
  startPermitsSimulator,
} from "../../../src/sources/permits/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectPermitsTrafficMatchesSpec } from "./permits-contract.ts";

const municipality = createMunicipality({ seed: 11, size: 600 });
const kvk = createKvkRegister(municipality);
const CLIENT = { clientId: "poortwachter", secret: "zgw-geheim-voor-tests" };
/** The simulator's clock; tests that move the client's clock move this one with it. */
const clock: Clock & { ms: number } = { ms: Date.now(), now: (): Date => new Date(clock.ms) };
let sim: PermitsSimulator;

// Pages of two, so that every list of more than two spans pages.
beforeAll(async () => {
  sim = await startPermitsSimulator({ municipality, kvkRegister: kvk, ...CLIENT, pageSize: 2, clock });
});
afterEach(() => {
  sim.setFault("none");
  clock.ms = Date.now();
  const requests = [...sim.requests];
  sim.clearRequests();
  expectPermitsTrafficMatchesSpec(requests);
});
afterAll(() => sim.close());

// Generous: a cold first request on a loaded machine can be slow. Short only in the timeout tests.
const client = (options: Partial<PermitsClientOptions> = {}) =>
  createPermitsClient({
    zakenUrl: sim.zakenUrl,
    catalogiUrl: sim.catalogiUrl,
    ...CLIENT,
    timeoutMs: 10_000,
    ...options,
  });
const wk = () => sim.register.wellKnown;
const jsonAnswer = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

describe("authentication: JWT HS256 as the ZGW specs prescribe", () => {
  it("sends Authorization: Bearer <jwt> with iss, iat, client_id, user_id, user_representation", async () => {
    const result = await client({ userId: "analist-7", userRepresentation: "Analist Ondermijning" }).zaken({
      natuurlijkPersoon: { bsn: wk().residentBsn },
    });
    expect(result.ok).toBe(true);
    const header = sim.requests[0]?.headers["authorization"] ?? "";
    expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const token = header.slice("Bearer ".length);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: "poortwachter",
      client_id: "poortwachter",
      user_id: "analist-7",
      user_representation: "Analist Ondermijning",
    });
    expect(Math.abs((claims.iat ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    expect(claims.exp).toBe((claims.iat ?? 0) + 300);
    // Signed with the shared secret: verifiable with it, and only with it.
    await expect(jwtVerify(token, new TextEncoder().encode(CLIENT.secret))).resolves.toBeTruthy();
    await expect(jwtVerify(token, new TextEncoder().encode("ander geheim"))).rejects.toThrow();
  });

  it("reuses a token until shortly before it expires, then signs a new one", async () => {
    const c = client({ clock });
    const tokensOf = async (call: () => Promise<unknown>) => {
      sim.clearRequests();
      await call();
      expect(sim.requests.every((r) => r.status === 200)).toBe(true);
      return new Set(sim.requests.map((r) => r.headers["authorization"]));
    };
    const first = await tokensOf(() => c.zaken({ natuurlijkPersoon: { bsn: wk().residentBsn } }));
    const second = await tokensOf(() => c.zaaktypen());
    clock.ms += 250_000;
    const third = await tokensOf(() => c.zaken({ natuurlijkPersoon: { bsn: wk().residentBsn } }));
    expect(first.size).toBe(1);
    expect(second).toEqual(first);
    expect(third.size).toBe(1);
    expect(third).not.toEqual(first);
  });

  it.each([
    ["another secret", { secret: "fout geheim" }],
    ["another client id", { clientId: "iemand-anders" }],
    ["a clock two hours behind (iat too old)", { clock: { now: () => new Date(Date.now() - 7_200_000) } }],
    ["a clock an hour ahead (iat in the future)", { clock: { now: () => new Date(Date.now() + 3_600_000) } }],
  ])("is refused with %s: 403, an unauthorized error, never an empty list", async (_name, options) => {
    const c = client(options);
    expect(await c.zaken({ natuurlijkPersoon: { bsn: wk().residentBsn } })).toEqual({
      ok: false,
      error: { kind: "unauthorized", status: 403, reason: "http_403" },
    });
    expect(await c.zaaktypen()).toMatchObject({ ok: false, error: { kind: "unauthorized" } });
    expect(sim.requests.map((r) => r.response.body)).toMatchObject([
      { code: "permission_denied", status: 403 },
      { code: "permission_denied", status: 403 },
    ]);
  });
});

describe("Zaken API: GET /zaken per betrokkene", () => {
  it("searches by BSN with the spec's filter and the required Accept-Crs / Content-Crs", async () => {
    const result = await client().zaken({ natuurlijkPersoon: { bsn: wk().residentBsn } });
    const expected = sim.register.zakenVanBsn(wk().residentBsn).map((z) => z.identificatie);
    expect(result.ok && result.value.map((z) => z.identificatie).sort()).toEqual([...expected].sort());
    expect(sim.requests[0]).toMatchObject({
      method: "GET",
      path: "/zaken/api/v1/zaken",
      query: { rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn: wk().residentBsn },
      headers: { accept: "application/json", "accept-crs": "EPSG:4326", "content-crs": "EPSG:4326" },
    });
  });

  it("searches a rechtspersoon by RSIN (innNnpId) and an establishment by vestigingsnummer", async () => {
    const byRsin = await client().zaken({ nietNatuurlijkPersoon: { rsin: wk().horecaRsin } });
    const byVestiging = await client().zaken({
      vestiging: { vestigingsnummer: wk().horecaVestigingsnummer },
    });
    const ids = (zaken: readonly { identificatie: string }[]) => zaken.map((z) => z.identificatie).sort();
    expect(byRsin.ok && byRsin.value.map((z) => z.identificatie).sort()).toEqual(
      ids(sim.register.zakenVanRsin(wk().horecaRsin)),
    );
    expect(byVestiging.ok && byVestiging.value.map((z) => z.identificatie).sort()).toEqual(
      ids(sim.register.zakenVanVestiging(wk().horecaVestigingsnummer)),
    );
    expect(byVestiging.ok && byVestiging.value.length).toBeGreaterThanOrEqual(3);
    const names = sim.requests.map((r) => Object.keys(r.query).filter((k) => k !== "page"));
    expect(new Set(names.flat())).toEqual(
      new Set([
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId",
        "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer",
      ]),
    );
  });

  it("follows `next` to the last page: one request per page, every zaak once", async () => {
    const expected = sim.register.zakenVanRsin(wk().horecaRsin);
    const pages = Math.ceil(expected.length / 2);
    expect(pages).toBeGreaterThanOrEqual(2);
    const result = await client().zaken({ nietNatuurlijkPersoon: { rsin: wk().horecaRsin } });
    expect(result.ok && result.value).toHaveLength(expected.length);
    expect(result.ok && new Set(result.value.map((z) => z.url)).size).toBe(expected.length);
    expect(sim.requests.map((r) => r.query["page"])).toEqual([
      undefined,
      ...Array.from({ length: pages - 1 }, (_, i) => String(i + 2)),
    ]);
  });

  it("answers no zaken with an empty list, in one request", async () => {
    expect(await client().zaken({ natuurlijkPersoon: { bsn: wk().bsnWithoutPermits } })).toEqual({
      ok: true,
      value: [],
    });
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]?.response.body).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it.each([
    ["an invalid BSN", { natuurlijkPersoon: { bsn: "123456789" } }, "invalid_bsn"],
    ["an RSIN of eight digits", { nietNatuurlijkPersoon: { rsin: "80000003" } }, "invalid_rsin"],
    [
      "a vestigingsnummer of eleven digits",
      { vestiging: { vestigingsnummer: "00010000001" } },
      "invalid_vestigingsnummer",
    ],
  ] as const)("refuses %s before any call", async (_name, filter, reason) => {
    expect(await client().zaken(filter)).toEqual({ ok: false, error: { kind: "rejected", reason } });
    expect(sim.requests).toHaveLength(0);
  });
});

describe("Zaken API: zaken per BAG object", () => {
  it("finds zaakobjecten by the object's BAG URL, then those zaken in one POST /zaken/_zoek", async () => {
    const id = wk().objectWithHorecavergunning;
    const expected = sim.register.zakenBijObject(id);
    const result = await client().zakenBijObject(id);
    expect(result.ok && result.value.map((z) => z.uuid).sort()).toEqual(expected.map((z) => z.uuid).sort());
    const objectUrl = `https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2/adresseerbareobjecten/${id}`;
    const objectPages = Math.ceil(expected.length / 2);
    expect(sim.requests.slice(0, objectPages).map((r) => [r.path, r.query["object"]])).toEqual(
      Array.from({ length: objectPages }, () => ["/zaken/api/v1/zaakobjecten", objectUrl]),
    );
    const zoek = sim.requests.slice(objectPages);
    expect(zoek.map((r) => r.path)).toEqual(zoek.map(() => "/zaken/api/v1/zaken/_zoek"));
    expect(zoek.length).toBe(Math.ceil(expected.length / 2));
    expect([...(zoek[0]?.body as { uuid__in: string[] }).uuid__in].sort()).toEqual(
      expected.map((z) => z.uuid).sort(),
    );
    expect(zoek.every((r) => JSON.stringify(r.body) === JSON.stringify(zoek[0]?.body))).toBe(true);
  });

  it("answers an object without zaken with an empty list, without a search for zaken", async () => {
    expect(await client().zakenBijObject(wk().objectWithoutPermits)).toEqual({ ok: true, value: [] });
    expect(sim.requests.map((r) => r.path)).toEqual(["/zaken/api/v1/zaakobjecten"]);
  });

  it("uses the configured BAG base URL for the object", async () => {
    await client({ bagUrl: "https://bag.example.nl/v2/" }).zakenBijObject(wk().objectWithOmgevingsvergunning);
    expect(sim.requests[0]?.query["object"]).toBe(
      `https://bag.example.nl/v2/adresseerbareobjecten/${wk().objectWithOmgevingsvergunning}`,
    );
  });

  it("refuses a BAG id that is no adresseerbaar object (a pand) before any call", async () => {
    expect(await client().zakenBijObject("0935100000000001")).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "invalid_identificatie" },
    });
    expect(sim.requests).toHaveLength(0);
  });
});

describe("Catalogi API: GET /zaaktypen", () => {
  it("reads every page of the catalogue", async () => {
    const result = await client().zaaktypen();
    expect(result.ok && result.value.map((t) => t.identificatie)).toEqual(
      sim.register.zaaktypen.map((t) => t.identificatie),
    );
    expect(sim.requests).toHaveLength(Math.ceil(sim.register.zaaktypen.length / 2));
    expect(sim.requests.every((r) => r.path === "/catalogi/api/v1/zaaktypen")).toBe(true);
  });

  it("stops at the page cap with an error value, never a silently cut list", async () => {
    expect(await client({ maxPages: 2 }).zaaktypen()).toEqual({
      ok: false,
      error: { kind: "rejected", reason: "page_limit_exceeded" },
    });
    expect(sim.requests.map((r) => r.query["page"])).toEqual([undefined, "2"]);
  });
});

describe("failures are values, never an empty list", () => {
  const calls = {
    "zaken by BSN": (c: ReturnType<typeof client>) =>
      c.zaken({ natuurlijkPersoon: { bsn: wk().residentBsn } }),
    "zaken by object": (c: ReturnType<typeof client>) => c.zakenBijObject(wk().objectWithOmgevingsvergunning),
    zaaktypen: (c: ReturnType<typeof client>) => c.zaaktypen(),
  };
  const cases: [PermitsFault, object][] = [
    ["http500", { kind: "unavailable", status: 500, reason: "http_500" }],
    ["http503", { kind: "unavailable", status: 503, reason: "http_503" }],
    ["timeout", { kind: "timeout", reason: "timeout" }],
    ["reset", { kind: "unavailable", reason: "network_error" }],
    ["malformed", { kind: "malformed", status: 200, reason: "invalid_json" }],
    ["wrongContentType", { kind: "malformed", status: 200, reason: "unexpected_content_type" }],
  ];
  it.each(Object.keys(calls).flatMap((call) => cases.map(([fault, error]) => [call, fault, error] as const)))(
    "%s with fault %s",
    async (call, fault, error) => {
      sim.setFault(fault);
      const result = await calls[call as keyof typeof calls](
        client({ timeoutMs: fault === "timeout" ? 300 : 10_000 }),
      );
      expect(result).toEqual({ ok: false, error });
      expect(sim.requests).toHaveLength(1);
    },
  );

  it("a failing later page fails the whole list", async () => {
    let n = 0;
    const secondFails: FetchLike = (input, init) => {
      if (++n === 2) sim.setFault("http503");
      return fetch(input, init);
    };
    expect(await client({ fetch: secondFails }).zaaktypen()).toMatchObject({
      ok: false,
      error: { kind: "unavailable", status: 503 },
    });
    expect(sim.requests.map((r) => r.status)).toEqual([200, 503]);
  });

  it("a wrong base URL (a 404 of the API) is an error, not 'no zaken'", async () => {
    const wrong = client({
      zakenUrl: `${sim.zakenUrl}/verkeerd`,
      catalogiUrl: `${sim.catalogiUrl}/verkeerd`,
    });
    expect(await wrong.zaken({ natuurlijkPersoon: { bsn: wk().residentBsn } })).toEqual({
      ok: false,
      error: { kind: "rejected", status: 404, reason: "http_404" },
    });
    expect(await wrong.zakenBijObject(wk().objectWithOmgevingsvergunning)).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
    expect(await wrong.zaaktypen()).toMatchObject({ ok: false, error: { status: 404 } });
  });
});

describe("answers that cannot be trusted are errors", () => {
  const zakenUrl = "https://zaken.test/zaken/api/v1";
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const zaak = (n: number) => ({
    url: `${zakenUrl}/zaken/${uuid(n)}`,
    uuid: uuid(n),
    zaaktype: "https://catalogi.test/zaaktypen/1",
    startdatum: "2024-01-01",
  });
  const page = (results: unknown[], next: string | null = null) => ({
    count: results.length,
    next,
    previous: null,
    results,
  });
  const fake = (answer: (url: string, body: unknown) => unknown): PermitsClientOptions => ({
    zakenUrl,
    catalogiUrl: "https://catalogi.test/catalogi/api/v1",
    ...CLIENT,
    timeoutMs: 1000,
    fetch: async (input, init) =>
      jsonAnswer(answer(String(input), init?.body === undefined ? undefined : JSON.parse(String(init.body)))),
  });
  const object = (n: number, objectUrl: string) => ({
    url: `${zakenUrl}/zaakobjecten/${uuid(100 + n)}`,
    zaak: `${zakenUrl}/zaken/${uuid(n)}`,
    object: objectUrl,
    objectType: "terrein_gebouwd_object",
  });
  const AOID = "0935010000000001";
  const OBJECT = `https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2/adresseerbareobjecten/${AOID}`;

  it("a zaakobject for another object (an API that ignored the filter)", async () => {
    const c = createPermitsClient(
      fake(() => page([object(1, OBJECT), object(2, OBJECT.replace(/1$/, "2"))])),
    );
    expect(await c.zakenBijObject(AOID)).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "filter_not_applied" },
    });
  });

  it("a zaak outside uuid__in, or a named zaak that _zoek does not return", async () => {
    const extra = createPermitsClient(
      fake((url) => (url.includes("_zoek") ? page([zaak(1), zaak(2)]) : page([object(1, OBJECT)]))),
    );
    expect(await extra.zakenBijObject(AOID)).toMatchObject({
      ok: false,
      error: { reason: "filter_not_applied" },
    });
    const hidden = createPermitsClient(
      fake((url) => (url.includes("_zoek") ? page([zaak(1)]) : page([object(1, OBJECT), object(2, OBJECT)]))),
    );
    expect(await hidden.zakenBijObject(AOID)).toEqual({
      ok: false,
      error: { kind: "unauthorized", reason: "zaak_not_visible" },
    });
  });

  it("a next link that does not lead to a later page", async () => {
    const c = createPermitsClient(fake((url) => page([zaak(1)], `${url.split("?")[0]}?page=1`)));
    expect(await c.zaken({ natuurlijkPersoon: { bsn: "999993653" } })).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "unexpected_next_link" },
    });
  });

  it("a page that is no PaginatedZaakList", async () => {
    const c = createPermitsClient(fake(() => ({ results: [zaak(1)] })));
    expect(await c.zaken({ natuurlijkPersoon: { bsn: "999993653" } })).toEqual({
      ok: false,
      error: { kind: "malformed", status: 200, reason: "schema_mismatch" },
    });
  });

  it("takes only the page number from `next`: the token never goes to another host", async () => {
    const urls: string[] = [];
    const c = createPermitsClient({
      ...fake(() => undefined),
      fetch: async (input) => {
        urls.push(String(input));
        return jsonAnswer(
          urls.length === 1 ? page([zaak(1)], "https://elders.example/zaken?page=2") : page([zaak(2)]),
        );
      },
    });
    expect((await c.zaken({ natuurlijkPersoon: { bsn: "999993653" } })).ok).toBe(true);
    expect(urls.map((u) => new URL(u).origin)).toEqual(["https://zaken.test", "https://zaken.test"]);
    expect(new URL(urls[1] ?? "").searchParams.get("page")).toBe("2");
  });
});

describe("resilience", () => {
  it("runs every page as one idempotent call through the source's resilience", async () => {
    const runs: boolean[] = [];
    const recording: SourceResilience = {
      source: "permits",
      run: (call, options) => {
        runs.push(options.idempotent);
        return call(new AbortController().signal);
      },
    };
    const result = await client({ resilience: recording }).zakenBijObject(wk().objectWithHorecavergunning);
    expect(result.ok).toBe(true);
    expect(runs).toHaveLength(sim.requests.length);
    expect(runs.every((idempotent) => idempotent)).toBe(true);
  });

  it("is aborted by the resilience layer's signal: a timeout, not an answer", async () => {
    const giveUp: SourceResilience = {
      source: "permits",
      run: (call) => {
        const controller = new AbortController();
        controller.abort();
        return call(controller.signal);
      },
    };
    expect(await client({ resilience: giveUp }).zaaktypen()).toEqual({
      ok: false,
      error: { kind: "timeout", reason: "timeout" },
    });
  });
});
