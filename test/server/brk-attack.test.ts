import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearAllRequests, requestCounts } from "../utils/source-simulators.ts";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";

/**
 * Attacks on the Kadaster's closed data (issue 16): aliases, fragments, hops to an owner and back
 * and repeated subjects never release a brk field the phase and the approvals do not, nor anything
 * about a person outside the case. The demo regie case approves only identificatie,
 * adresseerbaarObjectIdentificaties, zakelijkGerechtigden, hypotheken and beslagen
 * (src/demo/seed-demo.ts); koopsom, beperkingen and stukken stay closed.
 */
let t: TestApp;
let token: string;
let resident: string;
let objectId: string;
let stranger: string;

beforeAll(async () => {
  // The attack nests lists of lists; the fan-out limit (which would refuse it outright) is raised so
  // that the policy itself is what is tested.
  t = await startTestApp({ env: { LIMIT_MAX_FANOUT: "1000000" } });
  token = await t.token("analist.jansen", "analyst");
  const m = t.app.demo!.municipality;
  resident = m.wellKnown.residentBsn;
  objectId = m.wellKnown.residentAddress.adresseerbaarObjectIdentificatie;
  // An owner the Kadaster knows, but not a subject of any demo case.
  const brk = t.app.demo!.simulators.brk.register;
  const subjects = new Set([resident, m.wellKnown.elsewhereBsn, m.wellKnown.deceasedBsn]);
  stranger =
    [...m.persons()]
      .map((p) => p.bsn as string)
      .find((bsn) => !subjects.has(bsn) && brk.zakenVanPersoon(bsn).length > 0 && !partnerOfResident(bsn)) ??
    "";
  function partnerOfResident(bsn: string) {
    return m.personByBsn(resident)?.partners.some((l) => l.bsn === bsn) ?? false;
  }
  expect(stranger).not.toBe("");
});
afterAll(() => t.close());

/** Every closed unit the demo approvals leave out, as leaf names that must never carry a value. */
const CLOSED = [
  "koopsom",
  "koopjaar",
  "privaatrechtelijkeBeperkingen",
  "publiekrechtelijkeBeperkingen",
  "stukken",
  "aard",
  "deel",
  "nummer",
  "grondslag",
];
const ZAAK_ALL = `identificatie koopsom { koopsom koopjaar }
  zakelijkGerechtigden { burgerservicenummer kvkNummer omschrijving aandeel }
  hypotheken { bedragZekerheidsstelling } beslagen { aard bedragVordering }
  privaatrechtelijkeBeperkingen { aard omschrijving } publiekrechtelijkeBeperkingen { grondslag }
  stukken { identificatie aard deel nummer }`;

const ATTACK = `query($id: ID!, $bsn: String!, $obj: String!) { case(id: $id) {
  a: object(adresseerbaarObjectIdentificatie: $obj) { brk { ${ZAAK_ALL} } }
  b: object(adresseerbaarObjectIdentificatie: $obj) { ...Closed }
  c: object(adresseerbaarObjectIdentificatie: $obj) {
    eigenaren { bsn brk { ${ZAAK_ALL} } eigendommen { ...Closed } }
  }
  d: persoon(bsn: $bsn) { x: brk { ${ZAAK_ALL} } y: brk { ...Zaak } eigendommen { ...Closed } }
  e: persoon(bsn: $bsn) { brk { ...Zaak } }
} }
fragment Zaak on BrkOnroerendeZaak { ${ZAAK_ALL} }
fragment Closed on ObjectView { brk { ...Zaak } kadaster { identificatie } }`;

/** Every non-null leaf with its path (list indexes kept). */
function leaves(value: unknown, path: string[] = [], out: [string[], unknown][] = []): [string[], unknown][] {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, String(i)], out));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  else if (value !== null && value !== undefined) out.push([path, value]);
  return out;
}

async function attack(phase: string): Promise<{ r: GqlResult; found: [string[], unknown][] }> {
  const c = await t.demoCase(phase);
  const r = await t.gql(token, ATTACK, { id: c.id, bsn: resident, obj: objectId });
  for (const e of r.errors ?? []) expect(e.extensions?.code, e.message).toBe("FORBIDDEN");
  return { r, found: leaves(r.data) };
}

const underBrk = (path: readonly string[]) => path.some((p) => p === "brk" || p === "x" || p === "y");

describe("attacks on the Kadaster's closed data", () => {
  it.each(["intake", "weging", "bronnenonderzoek", "afgesloten"])(
    "%s: no brk field, no owner, no owned object, however asked",
    async (phase) => {
      const { found } = await attack(phase);
      expect(
        found.filter(([p]) => underBrk(p) || p.includes("eigenaren") || p.includes("eigendommen")),
      ).toEqual([]);
    },
  );

  it("regie: only the approved fields, under every alias, fragment and hop; the closed ones never", async () => {
    const { r, found } = await attack("regie");
    const brkLeaves = found.filter(([p]) => underBrk(p));
    // The approved data are there, by every route...
    for (const alias of ["a", "b", "d", "e"])
      expect(
        brkLeaves.some(([p]) => p[1] === alias && p.includes("burgerservicenummer")),
        alias,
      ).toBe(true);
    expect(brkLeaves.some(([p]) => p.includes("eigenaren") && p.includes("bedragZekerheidsstelling"))).toBe(
      true,
    );
    // ...and nothing closed on any of them.
    expect(brkLeaves.filter(([p]) => p.some((s) => CLOSED.includes(s)) && !p.includes("beslagen"))).toEqual(
      [],
    );
    expect(JSON.stringify(r.data)).not.toMatch(/NL\\.IMKAD\\.TIAStuk/);
    // Every closed leaf asked is refused at its own path.
    const denied = Object.keys(errorCodes(r));
    expect(denied.some((p) => p.endsWith("koopsom"))).toBe(true);
    expect(denied.some((p) => p.endsWith("stukken"))).toBe(true);
  });

  it("a person outside the case is refused before any Kadaster call, by every route", async () => {
    for (const phase of ["bronnenonderzoek", "regie"]) {
      const c = await t.demoCase(phase);
      clearAllRequests(t.app);
      const r = await t.gql(
        token,
        `query($id: ID!, $bsn: String!) { case(id: $id) {
          a: persoon(bsn: $bsn) { hits { probe result } brk { identificatie } eigendommen { kadaster { identificatie } } }
          b: persoon(bsn: $bsn) { brk { zakelijkGerechtigden { burgerservicenummer } } }
        } }`,
        { id: c.id, bsn: stranger },
      );
      expect(requestCounts(t.app).brk, phase).toBe(0);
      expect(
        leaves(r.data).filter(
          ([p]) => p.includes("brk") || p.includes("eigendommen") || p.includes("result"),
        ),
      ).toEqual([]);
      expect(new Set(Object.values(errorCodes(r)))).toEqual(new Set(["FORBIDDEN"]));
    }
  });

  it("the same subject under many aliases costs the Kadaster no more calls than once", async () => {
    const c = await t.demoCase("regie");
    const one = `persoon(bsn: $bsn) { brk { identificatie hypotheken { identificatie } } }`;
    const query = (n: number) =>
      `query($id: ID!, $bsn: String!) { case(id: $id) { ${Array.from({ length: n }, (_, i) => `p${i}: ${one}`).join(" ")} } }`;
    clearAllRequests(t.app);
    const once = await t.gql(token, query(1), { id: c.id, bsn: resident });
    const calls = requestCounts(t.app).brk;
    expect(calls).toBeGreaterThan(0);
    clearAllRequests(t.app);
    const many = await t.gql(token, query(5), { id: c.id, bsn: resident });
    expect(requestCounts(t.app).brk).toBe(calls);
    const first = (once.data as { case: Record<string, unknown> }).case["p0"];
    expect(Object.values((many.data as { case: Record<string, unknown> }).case)).toEqual(
      Array(5).fill(first),
    );
  });
});
