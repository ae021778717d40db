import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";

/** Never a false no-hit: whatever goes wrong upstream, the answer is UNKNOWN. */
let t: TestApp;
let owner: string;
let bsn: string;

beforeAll(async () => {
  // No retries and a breaker that stays closed: each fault is seen as it is (source-faults.test.ts
  // covers retries and the breaker).
  t = await startTestApp({
    env: { BRP_TIMEOUT_MS: "300", UPSTREAM_RETRIES: "0", UPSTREAM_BREAKER_FAILURES: "1000" },
  });
  owner = await t.token("analist.jansen", "analyst");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
});
afterEach(() => t.app.demo!.brpSimulator.setFault("none"));
afterAll(() => t.close());

const FAULTS = ["http500", "http503", "timeout", "reset", "malformed", "wrongContentType"] as const;

describe.each(FAULTS)("BRP fault %s", (fault) => {
  it("makes every probe UNKNOWN, never NO_HIT", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    t.app.demo!.brpSimulator.setFault(fault);
    const r = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["brp.ingeschreven", "brp.binnenGemeente"]) { probe result hit } } } }`,
      {
        id: c.id,
        bsn,
      },
    );
    expect(r.errors).toBeUndefined();
    const hits = (
      r.data as { case: { persoon: { hits: { probe: string; result: string; hit: boolean | null }[] } } }
    ).case.persoon.hits;
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h).toMatchObject({ result: "UNKNOWN", hit: null });
  });

  it("makes verify UNKNOWN", async () => {
    const c = await t.demoCase("intake");
    t.app.demo!.brpSimulator.setFault(fault);
    const r = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { verify(input: { geslachtsnaam: "Jansen" }) { overall naam } } } }`,
      { id: c.id, bsn },
    );
    expect(r.data).toEqual({ case: { persoon: { verify: { overall: "UNKNOWN", naam: "UNKNOWN" } } } });
  });

  it("makes fields and territory UPSTREAM_UNAVAILABLE, without upstream detail", async () => {
    t.app.demo!.brpSimulator.setFault(fault);
    const regie = await t.demoCase("regie");
    const fields = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      {
        id: regie.id,
        bsn,
      },
    );
    expect(errorCodes(fields)).toEqual({ "case.persoon.brp": "UPSTREAM_UNAVAILABLE" });
    expect(fields.errors?.[0]?.message).toBe("The source did not answer; the result is unknown.");
    const weging = await t.demoCase("weging");
    const territory = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { binnenGemeente } } }`,
      {
        id: weging.id,
        bsn,
      },
    );
    expect(errorCodes(territory)).toEqual({ "case.persoon.binnenGemeente": "UPSTREAM_UNAVAILABLE" });
  });
});
