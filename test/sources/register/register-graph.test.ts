import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerDemoRows } from "../../../src/demo/index.ts";
import { wellKnown } from "../../../src/sources/synthetic/index.ts";
import { addSubjects } from "../../utils/case-subjects.ts";
import { startTestApp, type TestApp } from "../../utils/test-app.ts";

/**
 * Issue 16: registers configured only by YAML (policies/registers) answer through the graph as
 * the policy says: probes hit / no hit in source research, fields after checks 2a/2b, open
 * erfpacht data in every working phase, everything else FORBIDDEN, and each answer audited.
 */
let t: TestApp;
let known: ReturnType<typeof registerDemoRows>["wellKnown"];
let analyst: string;
beforeAll(async () => {
  t = await startTestApp();
  known = registerDemoRows(t.app.demo!.municipality, new Date().toISOString().slice(0, 10)).wellKnown;
  analyst = await t.token("analist.jansen", "analyst");
  for (const phase of ["intake", "bronnenonderzoek", "regie"])
    await addSubjects(t.app, (await t.demoCase(phase)).id, [
      `onderneming:${known.kvkWithSubsidy}`,
      `onderneming:${known.kvkWithRevokedSubsidy}`,
    ]);
});
afterAll(() => t.close());

const HITS = `query($id: ID!, $bsn: String!, $kvk: String!, $aoid: String!) { case(id: $id) {
  persoon(bsn: $bsn) { hits(probes: ["uitkeringen.lopend", "uitkeringen.bekend"]) { source probe result hit } }
  onderneming(kvkNummer: $kvk) { hits(probes: ["subsidies.verleend", "subsidies.ingetrokken"]) { probe result } }
  object(adresseerbaarObjectIdentificatie: $aoid) { hits(probes: ["boa.registratieOpAdres", "erfpacht.inErfpacht"]) { probe result } }
} }`;

const resultsOf = (v: unknown) =>
  Object.fromEntries(((v ?? []) as { probe: string; result: string }[]).map((h) => [h.probe, h.result]));

describe("register probes through hits", () => {
  it("answer HIT / NO_HIT in source research about the case's subjects", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const r = await t.gql(analyst, HITS, {
      id: c.id,
      bsn: known.bsnWithBenefit,
      kvk: known.kvkWithSubsidy,
      aoid: known.objectInErfpacht,
    });
    expect(r.errors).toBeUndefined();
    const data = r.data?.case as Record<string, { hits: unknown }>;
    expect(resultsOf(data["persoon"]?.hits)).toEqual({
      "uitkeringen.lopend": "HIT",
      "uitkeringen.bekend": "HIT",
    });
    expect(resultsOf(data["onderneming"]?.hits)).toEqual({
      "subsidies.verleend": "HIT",
      "subsidies.ingetrokken": "NO_HIT",
    });
    expect(resultsOf(data["object"]?.hits)).toEqual({
      "boa.registratieOpAdres": "HIT",
      "erfpacht.inErfpacht": "HIT",
    });
  });

  it("answer NO_HIT for a subject the register has no record of", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const r = await t.gql(
      analyst,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["uitkeringen.lopend"]) { result } } } }`,
      { id: c.id, bsn: wellKnown.deceasedBsn },
    );
    expect(r.errors).toBeUndefined();
    expect(JSON.stringify(r.data)).toContain("NO_HIT");
  });

  it("are refused before source research (intake: closed registers are not consulted)", async () => {
    const c = await t.demoCase("intake");
    const r = await t.gql(
      analyst,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["uitkeringen.lopend"]) { result } } } }`,
      { id: c.id, bsn: known.bsnWithBenefit },
    );
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });
});

const FIELDS = `query($id: ID!, $bsn: String!, $aoid: String!) { case(id: $id) {
  persoon(bsn: $bsn) { register(name: "uitkeringen") { regeling: value(field: "regeling") status: value(field: "status") soort: value(field: "soort") } }
  object(adresseerbaarObjectIdentificatie: $aoid) { erfpacht: register(name: "erfpacht") { soort: value(field: "soort") canon: value(field: "canon") } }
} }`;

type FieldsData = Record<string, Record<string, Record<string, unknown>[] | null>>;
/** The FIELDS query about the benefit receiver and the leased object, in the demo case of `phase`. */
async function askFields(phase: string) {
  const c = await t.demoCase(phase);
  const r = await t.gql(analyst, FIELDS, {
    id: c.id,
    bsn: known.bsnWithBenefit,
    aoid: known.objectInErfpacht,
  });
  return { r, data: r.data?.case as FieldsData, caseId: c.id };
}

describe("register fields through register(name:)", () => {
  it("release in regie only what check 2a approved, each other value FORBIDDEN at its path", async () => {
    const { r, data } = await askFields("regie");
    const benefit = data["persoon"]?.["register"]?.[0];
    expect(benefit?.["regeling"]).toBe("Participatiewet");
    expect(benefit?.["status"]).toBe("lopend");
    expect(benefit?.["soort"]).toBeNull();
    const lease = data["object"]?.["erfpacht"]?.[0];
    expect(lease?.["soort"]).toBe("voortdurend");
    expect(lease?.["canon"]).toBeNull();
    const forbidden = (r.errors ?? []).map((e) => [
      e.path?.filter((p) => typeof p === "string").join("."),
      e.extensions?.code,
    ]);
    expect(forbidden).toEqual(
      expect.arrayContaining([
        ["case.persoon.register.soort", "FORBIDDEN"],
        ["case.object.erfpacht.canon", "FORBIDDEN"],
      ]),
    );
    expect(forbidden.every(([, code]) => code === "FORBIDDEN")).toBe(true);
  });

  it("give a closed register nothing in source research (mode hit), but open erfpacht data", async () => {
    const { r, data } = await askFields("bronnenonderzoek");
    expect(data["persoon"]?.["register"]).toBeNull();
    expect(data["object"]?.["erfpacht"]?.[0]?.["soort"]).toBe("voortdurend");
    expect(
      r.errors?.some(
        (e) => e.path?.join(".") === "case.persoon.register" && e.extensions?.code === "FORBIDDEN",
      ),
    ).toBe(true);
  });

  it("refuse an unknown register and a register about another kind of subject before anything runs", async () => {
    const c = await t.demoCase("regie");
    for (const name of ["onbekend", "erfpacht"]) {
      const r = await t.gql(
        analyst,
        `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { register(name: "${name}") { value(field: "regeling") } } } }`,
        { id: c.id, bsn: known.bsnWithBenefit },
      );
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
      expect(r.data ?? null).toBeNull();
    }
  });

  it("are audited under the register's source with the released and the refused fields", async () => {
    const { caseId } = await askFields("regie");
    const rows = await t.app.db.query<{ decision: string; fields: unknown; operation: string }>(
      "SELECT decision, fields, operation FROM audit_log WHERE case_id = $1 AND source = 'uitkeringen' ORDER BY seq DESC LIMIT 2",
      [caseId],
    );
    const byDecision = Object.fromEntries(rows.map((r) => [r.decision, r]));
    expect(byDecision["allow"]?.fields).toEqual(["regeling", "status"]);
    expect(byDecision["deny"]?.fields).toEqual(["soort"]);
    expect(rows.every((r) => r.operation === "uitkeringen.fields")).toBe(true);
  });
});
