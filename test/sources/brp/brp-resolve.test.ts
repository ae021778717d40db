import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { err, ok } from "../../../src/shared/index.ts";
import {
  createBrpClient,
  describePersonProblems,
  resolvePerson,
  startBrpSimulator,
  type BrpClient,
  type BrpPersoonBeperkt,
  type BrpSimulator,
  type PersonDescription,
} from "../../../src/sources/brp/index.ts";
import { createMunicipality, type Person } from "../../../src/sources/synthetic/index.ts";
import { expectTrafficMatchesSpec } from "./brp-contract.ts";

/*
 * Signal intake's person resolution over the BRP simulator: exactly one person who fits
 * everything the signal says is a match; none or several reveal nothing else; a failure is a
 * SourceError, never NO_MATCH. The BRP is asked for `burgerservicenummer` only.
 */
const municipality = createMunicipality({ seed: 1, size: 200 });
let sim: BrpSimulator;
const client = () => createBrpClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 2000 });

const person = (bsn: string): Person => {
  const p = municipality.personByBsn(bsn);
  if (!p) throw new Error(`fixture ${bsn} missing`);
  return p;
};
const iso = (gba: string) => `${gba.slice(0, 4)}-${gba.slice(4, 6)}-${gba.slice(6)}`;
const resident = person(municipality.wellKnown.residentBsn);
const address = municipality.wellKnown.residentAddress;
const deceased = person("906938806");
const residentByName: PersonDescription = {
  geslachtsnaam: resident.geslachtsnaam,
  geboortedatum: iso(resident.geboortedatum),
};
const residentAddress: PersonDescription = { postcode: address.postcode, huisnummer: address.huisnummer };
const bodies = () => sim.requests.map((r) => r.body as Record<string, unknown>);

beforeAll(async () => {
  sim = await startBrpSimulator({ municipality });
});
afterEach(() => {
  sim.setFault("none");
  expectTrafficMatchesSpec(sim.requests);
  sim.clearRequests();
});
afterAll(() => sim.close());

describe("resolvePerson over the BRP simulator", () => {
  it("geslachtsnaam and geboortedatum of one person: a match, asking only burgerservicenummer", async () => {
    expect(await resolvePerson(client(), residentByName)).toEqual(ok({ kind: "match", bsn: resident.bsn }));
    expect(bodies()).toEqual([
      {
        type: "ZoekMetGeslachtsnaamEnGeboortedatum",
        geslachtsnaam: resident.geslachtsnaam,
        geboortedatum: iso(resident.geboortedatum),
        fields: ["burgerservicenummer"],
      },
    ]);
    expect(sim.requests[0]?.response.body).toEqual({
      type: "ZoekMetGeslachtsnaamEnGeboortedatum",
      personen: [{ burgerservicenummer: resident.bsn }],
    });
  });

  it("case, diacritics and surrounding spaces of the signal do not count", async () => {
    const d = { geslachtsnaam: "  dautzenbérg ", geboortedatum: iso(resident.geboortedatum) };
    expect(await resolvePerson(client(), d)).toEqual(ok({ kind: "match", bsn: resident.bsn }));
  });

  it("nobody with that name and birth date: no_match", async () => {
    const d = { ...residentByName, geboortedatum: "1900-01-01" };
    expect(await resolvePerson(client(), d)).toEqual(ok({ kind: "no_match" }));
  });

  it("an address with several residents: ambiguous, and no BSN in the answer", async () => {
    expect(municipality.residentsOf(address).length).toBeGreaterThan(1);
    const answer = await resolvePerson(client(), residentAddress);
    expect(answer).toEqual(ok({ kind: "ambiguous" }));
    expect(JSON.stringify(answer)).not.toMatch(/[0-9]{9}/);
  });

  it("address with name and birth date: one postcode search narrowed by them, a match", async () => {
    expect(await resolvePerson(client(), { ...residentAddress, ...residentByName })).toEqual(
      ok({ kind: "match", bsn: resident.bsn }),
    );
    expect(bodies().map((b) => b["type"])).toEqual(["ZoekMetPostcodeEnHuisnummer"]);
    expect(bodies()[0]).toMatchObject({
      geslachtsnaam: resident.geslachtsnaam,
      geboortedatum: iso(resident.geboortedatum),
      fields: ["burgerservicenummer"],
    });
  });

  it("voornamen with an address: both searches, and the match must be in both", async () => {
    const d = { ...residentAddress, ...residentByName, voornamen: resident.voornamen };
    expect(await resolvePerson(client(), d)).toEqual(ok({ kind: "match", bsn: resident.bsn }));
    expect(
      bodies()
        .map((b) => b["type"])
        .sort(),
    ).toEqual(["ZoekMetGeslachtsnaamEnGeboortedatum", "ZoekMetPostcodeEnHuisnummer"]);
    expect(await resolvePerson(client(), { ...d, voornamen: "Pieter" })).toEqual(ok({ kind: "no_match" }));
  });

  it("the right name at another address: no_match (every element the signal gives must fit)", async () => {
    const other = municipality.addressAt(5);
    if (!other) throw new Error("fixture: address 5");
    const d = { ...residentByName, postcode: other.postcode, huisnummer: other.huisnummer };
    expect(await resolvePerson(client(), d)).toEqual(ok({ kind: "no_match" }));
  });

  it("a deceased person is not resolved (living persons only)", async () => {
    const d = { geslachtsnaam: deceased.geslachtsnaam, geboortedatum: iso(deceased.geboortedatum) };
    expect(await resolvePerson(client(), d)).toEqual(ok({ kind: "no_match" }));
  });

  it.each(["http503", "timeout", "malformed"] as const)(
    "an upstream failure (%s) is a SourceError, never no_match",
    async (fault) => {
      sim.setFault(fault);
      const c = createBrpClient({ baseUrl: sim.url, auth: { kind: "none" }, timeoutMs: 300 });
      const answer = await resolvePerson(c, residentByName);
      expect(answer.ok).toBe(false);
    },
  );
});

describe("resolvePerson: the rules of the answer", () => {
  const found = (personen: BrpPersoonBeperkt[]): BrpClient => ({
    raadpleeg: () => Promise.reject(new Error("not used")),
    zoek: () => Promise.resolve(ok(personen)),
  });

  it("two persons with the same name and birth date: ambiguous", async () => {
    const two = found([{ burgerservicenummer: "999993653" }, { burgerservicenummer: resident.bsn }]);
    expect(await resolvePerson(two, residentByName)).toEqual(ok({ kind: "ambiguous" }));
  });

  it("one search failing while the other answers: the failure", async () => {
    let calls = 0;
    const half: BrpClient = {
      raadpleeg: () => Promise.reject(new Error("not used")),
      zoek: () =>
        Promise.resolve(
          calls++ === 0
            ? ok([{ burgerservicenummer: resident.bsn }])
            : err({ kind: "unavailable" as const, status: 503, reason: "http_503" }),
        ),
    };
    const d = { ...residentAddress, ...residentByName, voornamen: resident.voornamen };
    expect(await resolvePerson(half, d)).toEqual(
      err({ kind: "unavailable", status: 503, reason: "http_503" }),
    );
  });

  it("a person in the answer without a BSN, or a BSN failing the 11-check: malformed", async () => {
    expect(await resolvePerson(found([{ naam: {} }]), residentByName)).toEqual(
      err({ kind: "malformed", reason: "no_bsn" }),
    );
    expect(await resolvePerson(found([{ burgerservicenummer: "123456789" }]), residentByName)).toEqual(
      err({ kind: "malformed", reason: "invalid_bsn" }),
    );
  });
});

describe("describePersonProblems: refused before anything is asked", () => {
  it.each<[string, PersonDescription, string[]]>([
    ["nothing", {}, ["person"]],
    ["only a name", { geslachtsnaam: "Jansen" }, ["person"]],
    [
      "a wildcard in the geslachtsnaam",
      { geslachtsnaam: "Jan*", geboortedatum: "1983-05-26" },
      ["geslachtsnaam"],
    ],
    [
      "a wildcard in the voornamen",
      { geslachtsnaam: "Jansen", geboortedatum: "1983-05-26", voornamen: "P*" },
      ["voornamen"],
    ],
    [
      "a date that does not exist",
      { geslachtsnaam: "Jansen", geboortedatum: "1983-02-30" },
      ["geboortedatum"],
    ],
    [
      "a postcode without huisnummer",
      { postcode: "6200AA", geslachtsnaam: "Jansen", geboortedatum: "1983-05-26" },
      ["postcode"],
    ],
    [
      "voornamen without a birth date",
      { postcode: "6200AA", huisnummer: 1, voornamen: "Jan" },
      ["voornamen"],
    ],
    [
      "a huisletter without an address",
      { geslachtsnaam: "Jansen", geboortedatum: "1983-05-26", huisletter: "a" },
      ["huisletter"],
    ],
    ["an ill-formed postcode", { postcode: "0200 AA", huisnummer: 1 }, ["postcode"]],
    ["a huisnummer of 0", { postcode: "6200AA", huisnummer: 0 }, ["huisnummer"]],
    [
      "a geslacht other than M, V, O",
      { geslachtsnaam: "Jansen", geboortedatum: "1983-05-26", geslacht: "X" },
      ["geslacht"],
    ],
  ])("%s", async (_name, d, elements) => {
    expect(describePersonProblems(d).map((p) => p.element)).toEqual(elements);
    expect(await resolvePerson(client(), d)).toEqual(
      err({ kind: "rejected", reason: "invalid_description" }),
    );
    expect(sim.requests).toHaveLength(0);
  });

  it("no rule repeats the value it refuses", () => {
    const problems = describePersonProblems({ geslachtsnaam: "Geheim*", geboortedatum: "1999-99-99" });
    expect(JSON.stringify(problems)).not.toMatch(/Geheim|1999/);
  });

  it("a complete description has no problems", () => {
    expect(
      describePersonProblems({ ...residentAddress, ...residentByName, voorvoegsel: "van", geslacht: "m" }),
    ).toEqual([]);
  });
});
