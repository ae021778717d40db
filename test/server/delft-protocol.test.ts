import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";

/** The protocol is data: the same gateway runs Delft's steps from protocol-delft.yaml. */
let t: TestApp;
let owner: string;
let bsn: string;

beforeAll(async () => {
  t = await startTestApp({ env: { PROTOCOL_FILE: "protocol-delft.yaml" } });
  owner = await t.token("analist.jansen", "analyst");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(() => t.close());

describe("Delft protocol", () => {
  it("loads Delft's phases and seeds a demo case in each", async () => {
    const r = await t.gql(owner, `{ protocol { id phases { id } } cases { reference phase } }`);
    const data = r.data as {
      protocol: { id: string; phases: { id: string }[] };
      cases: { reference: string; phase: string }[];
    };
    expect(data.protocol.id).toBe("delft");
    expect(data.protocol.phases.map((p) => p.id)).toContain("plan_van_aanpak");
    expect(data.cases.map((c) => c.phase).sort()).toEqual(data.protocol.phases.map((p) => p.id).sort());
  });

  it("answers by Delft's rules: territory at ontvangst, hits in bronnenonderzoek, fields later", async () => {
    const ontvangst = await t.demoCase("ontvangst");
    const territory = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { binnenGemeente } } }`,
      {
        id: ontvangst.id,
        bsn,
      },
    );
    expect(territory.data).toEqual({ case: { persoon: { binnenGemeente: true } } });
    const evaluatie = await t.demoCase("evaluatie");
    const person = t.app.demo!.municipality.personByBsn(bsn)!;
    const fields = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      {
        id: evaluatie.id,
        bsn,
      },
    );
    expect(fields.data).toEqual({
      case: { persoon: { brp: { naam: { geslachtsnaam: person.geslachtsnaam } } } },
    });
  });

  it("allows Delft's move back to an earlier step, and access follows the phase at once", async () => {
    const evaluatie = await t.demoCase("evaluatie");
    const back = await t.gql(
      owner,
      `mutation($id: ID!) { transitionCase(id: $id, to: "bronnenonderzoek", motivation: "New facts; back to source research.") { phase } }`,
      {
        id: evaluatie.id,
      },
    );
    expect(back.data).toEqual({ transitionCase: { phase: "bronnenonderzoek" } });
    const fields = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      {
        id: evaluatie.id,
        bsn,
      },
    );
    expect(errorCodes(fields)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
  });
});
