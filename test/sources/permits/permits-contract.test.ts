import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKvkRegister } from "../../../src/sources/kvk/index.ts";
import {
  createPermitsClient,
  startPermitsSimulator,
  type PermitsSimulator,
} from "../../../src/sources/permits/index.ts";
import { createZgwTokenSource } from "../../../src/sources/permits/permits-jwt.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { systemClock } from "../../../src/shared/index.ts";
import {
  expectPermitsTrafficMatchesSpec,
  validateZaakType,
  validateZgwRequest,
  zgwSpecs,
} from "./permits-contract.ts";

const municipality = createMunicipality({ seed: 3, size: 400 });
const kvk = createKvkRegister(municipality);
const CLIENT = { clientId: "poortwachter", secret: "contract-secret" };
let sim: PermitsSimulator;
const json = "application/json";
const problem = "application/problem+json";

beforeAll(async () => {
  sim = await startPermitsSimulator({ municipality, kvkRegister: kvk, ...CLIENT, pageSize: 7 });
});
afterEach(() => sim.clearRequests());
afterAll(() => sim.close());

const client = () =>
  createPermitsClient({ zakenUrl: sim.zakenUrl, catalogiUrl: sim.catalogiUrl, ...CLIENT, timeoutMs: 10_000 });
const bearer = async () => {
  const token = await createZgwTokenSource(
    { ...CLIENT, userId: "t", userRepresentation: "t" },
    systemClock,
  ).token();
  if (!token.ok) throw new Error("no token");
  return `Bearer ${token.value}`;
};

describe("permits contract: every client request and simulator answer matches the ZGW specs", () => {
  it("for every zaak: the client's searches by BSN, RSIN, vestiging and object, and the zaaktypen", async () => {
    const c = client();
    const zaken = [...sim.register.zaken()];
    expect(zaken.length).toBeGreaterThan(20);
    const bsns = new Set<string>();
    const rsins = new Set<string>();
    const vestigingen = new Set<string>();
    const objecten = new Set<string>();
    for (const z of zaken) {
      for (const r of z.rollen) {
        const b = r.betrokkene;
        if (b.type === "natuurlijk_persoon") bsns.add(b.person.bsn);
        if (b.type === "niet_natuurlijk_persoon" && b.company.rsin) rsins.add(b.company.rsin);
        if (b.type === "vestiging") vestigingen.add(b.vestiging.vestigingsnummer);
      }
      for (const o of z.objecten) objecten.add(o.address.adresseerbaarObjectIdentificatie);
    }
    for (const bsn of bsns) expect((await c.zaken({ natuurlijkPersoon: { bsn } })).ok).toBe(true);
    for (const rsin of rsins) expect((await c.zaken({ nietNatuurlijkPersoon: { rsin } })).ok).toBe(true);
    for (const vestigingsnummer of vestigingen)
      expect((await c.zaken({ vestiging: { vestigingsnummer } })).ok).toBe(true);
    for (const id of objecten) expect((await c.zakenBijObject(id)).ok).toBe(true);
    expect((await c.zaken({ natuurlijkPersoon: { bsn: sim.register.wellKnown.bsnWithoutPermits } })).ok).toBe(
      true,
    );
    expect((await c.zakenBijObject(sim.register.wellKnown.objectWithoutPermits)).ok).toBe(true);
    expect((await c.zaaktypen()).ok).toBe(true);
    expect(new Set(sim.requests.map((r) => r.status))).toEqual(new Set([200]));
    expect(expectPermitsTrafficMatchesSpec(sim.requests)).toBeGreaterThan(2 * sim.requests.length);
  });

  it("for the resources the client does not read: zaak, rol and zaakobject by uuid, rollen, zaaktype", async () => {
    const z = sim.register.zakenVanRsin(sim.register.wellKnown.horecaRsin)[0];
    if (!z) throw new Error("expected a zaak");
    const auth = { Authorization: await bearer(), Accept: json };
    const crs = { ...auth, "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326" };
    const zaakUrl = `${sim.zakenUrl}/zaken/${z.uuid}`;
    const answers = await Promise.all([
      fetch(zaakUrl, { headers: crs }),
      ...z.rollen.map((r) => fetch(`${sim.zakenUrl}/rollen/${r.uuid}`, { headers: auth })),
      ...z.objecten.map((o) => fetch(`${sim.zakenUrl}/zaakobjecten/${o.uuid}`, { headers: auth })),
      fetch(`${sim.zakenUrl}/rollen?${new URLSearchParams({ zaak: zaakUrl })}`, { headers: auth }),
      fetch(`${sim.zakenUrl}/rollen?betrokkeneType=natuurlijk_persoon`, { headers: auth }),
      fetch(`${sim.zakenUrl}/zaakobjecten?${new URLSearchParams({ zaak: zaakUrl })}`, { headers: auth }),
      fetch(`${sim.zakenUrl}/zaken?rol__betrokkeneType=niet_natuurlijk_persoon`, { headers: crs }),
      fetch(`${sim.catalogiUrl}/zaaktypen/${sim.register.zaaktypen[0]?.uuid}`, { headers: auth }),
      fetch(`${sim.catalogiUrl}/zaaktypen?identificatie=HORECAVERGUNNING&status=alles`, { headers: auth }),
    ]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    // The three kinds of rol the simulator has, each checked through the spec's discriminator.
    const rollen = sim.requests.flatMap((r) => {
      const body = r.response.body as { betrokkeneType?: string; results?: { betrokkeneType?: string }[] };
      return [body, ...(body.results ?? [])].flatMap((b) => b.betrokkeneType ?? []);
    });
    expect(new Set(rollen)).toEqual(new Set(["vestiging", "niet_natuurlijk_persoon", "natuurlijk_persoon"]));
    expect(expectPermitsTrafficMatchesSpec(sim.requests)).toBeGreaterThanOrEqual(2 * answers.length);
  });

  it("for the errors, in the specs' Fout and ValidatieFout format", async () => {
    const auth = { Authorization: await bearer(), Accept: json };
    const crs = { ...auth, "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326" };
    const statuses = [];
    for (const [url, headers, init] of [
      [`${sim.zakenUrl}/zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=1234567890`, crs, {}],
      [`${sim.zakenUrl}/zaken?onbekend=1`, crs, {}],
      [`${sim.zakenUrl}/zaken`, auth, {}],
      [`${sim.zakenUrl}/zaken`, { ...auth, "Accept-Crs": "EPSG:28992" }, {}],
      [`${sim.zakenUrl}/zaken`, { Accept: json }, {}],
      [`${sim.zakenUrl}/zaken`, { ...crs, Authorization: "Bearer niet.een.token" }, {}],
      [`${sim.zakenUrl}/zaken/00000000-0000-4000-8000-000000000000`, crs, {}],
      [`${sim.zakenUrl}/zaken?page=99`, crs, {}],
      [`${sim.zakenUrl}/zaakobjecten?object=geen-url`, auth, {}],
      [`${sim.catalogiUrl}/zaaktypen?status=misschien`, auth, {}],
      [`${sim.catalogiUrl}/zaaktypen/00000000-0000-4000-8000-000000000000`, auth, {}],
      [`${sim.catalogiUrl}/zaaktypen`, {}, {}],
      [
        `${sim.zakenUrl}/zaken/_zoek`,
        { ...crs, "Content-Type": json },
        { method: "POST", body: JSON.stringify({ uuid__in: ["x"] }) },
      ],
    ] as const) {
      const answer = await fetch(url, { ...init, headers });
      expect(answer.headers.get("content-type")).toBe(problem);
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([400, 400, 412, 406, 401, 403, 404, 404, 400, 400, 404, 401, 400]);
    // Every answer, and the requests of the 404s (the others were malformed on purpose).
    expect(expectPermitsTrafficMatchesSpec(sim.requests)).toBe(statuses.length + 3);
  });
});

describe("the contract check can fail", () => {
  it("rejects requests outside the spec", () => {
    const headers = { "accept-crs": "EPSG:4326", "content-crs": "EPSG:4326" };
    const bsn = "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn";
    expect(validateZgwRequest("zaken", "/zaken", "GET", { [bsn]: "999993653" }, headers, undefined)).toEqual({
      valid: true,
    });
    expect(
      validateZgwRequest("zaken", "/zaken", "GET", { [bsn]: "9999936530" }, headers, undefined).valid,
    ).toBe(false);
    expect(validateZgwRequest("zaken", "/zaken", "GET", { bsn: "999993653" }, headers, undefined).valid).toBe(
      false,
    );
    expect(
      validateZgwRequest("zaken", "/zaken", "GET", {}, { "accept-crs": "EPSG:4326" }, undefined).valid,
    ).toBe(false);
    expect(
      validateZgwRequest("zaken", "/zaakobjecten", "GET", { object: "geen url" }, {}, undefined).valid,
    ).toBe(false);
    const zoek = { ...headers, "content-type": json };
    expect(validateZgwRequest("zaken", "/zaken/_zoek", "POST", {}, zoek, { uuid__in: [] })).toEqual({
      valid: true,
    });
    expect(validateZgwRequest("zaken", "/zaken/_zoek", "POST", {}, zoek, { uuid__in: ["x"] }).valid).toBe(
      false,
    );
    expect(validateZgwRequest("catalogi", "/zaaktypen", "GET", { page: "een" }, {}, undefined).valid).toBe(
      false,
    );
  });

  it("rejects wrong response bodies", () => {
    const z = zgwSpecs.zaken;
    expect(
      z.validateResponse("/zaken", "get", 200, json, { count: 0, next: null, previous: null, results: [] }),
    ).toEqual({
      valid: true,
    });
    expect(z.validateResponse("/zaken", "get", 200, json, { count: "0", results: [] }).valid).toBe(false);
    expect(z.validateResponse("/zaken", "get", 200, json, { count: 1, results: [{ uuid: "x" }] }).valid).toBe(
      false,
    );
    expect(
      z.validateResponse("/zaken", "get", 400, problem, { code: "invalid", title: "x", status: 400 }).valid,
    ).toBe(false);
    expect(
      z.validateResponse("/rollen/{uuid}", "get", 200, json, { betrokkeneType: "natuurlijk_persoon" }).valid,
    ).toBe(false);
    expect(z.validateResponse("/zaken", "get", 200, "text/html", "<html>").valid).toBe(false);
    expect(validateZaakType({ identificatie: "X" }).valid).toBe(false);
  });
});
