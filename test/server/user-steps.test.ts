import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SUBJECTS_ARG } from "../utils/case-subjects.ts";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";
import { weighBefore } from "../utils/weighing.ts";

/** The six user steps of issue 2, each as the analyst's tool would do it. */
let t: TestApp;
let owner: string;
let substitute: string;
let foreign: string;
let officer: string;
let resident: string;
let elsewhere: string;
let unknown: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.token("analist.jansen", "analyst");
  substitute = await t.token("analist.devries", "analyst");
  foreign = await t.token("analist.bakker", "analyst");
  officer = await t.token("privacy.officer", "privacy_officer");
  const wk = t.app.demo!.municipality.wellKnown;
  resident = wk.residentBsn;
  elsewhere = wk.elsewhereBsn;
  unknown = wk.unknownBsn;
});
afterAll(() => t.close());

const HITS = `query($id: ID!, $bsn: String!) { case(id: $id) { phase persoon(bsn: $bsn) { hits(probes: ["brp.ingeschreven", "brp.binnenGemeente"]) { source probe result hit } } } }`;
const NAAM = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;

describe("step 2: hit/no-hit in bronnenonderzoek", () => {
  it.each([
    ["resident", () => resident, { "brp.ingeschreven": "HIT", "brp.binnenGemeente": "HIT" }],
    ["registered elsewhere", () => elsewhere, { "brp.ingeschreven": "HIT", "brp.binnenGemeente": "NO_HIT" }],
    ["not in the BRP", () => unknown, { "brp.ingeschreven": "NO_HIT", "brp.binnenGemeente": "NO_HIT" }],
  ])("answers per probe for a %s", async (_, bsn, expected) => {
    const c = await t.demoCase("bronnenonderzoek");
    const r = await t.gql(owner, HITS, { id: c.id, bsn: bsn() });
    expect(r.errors).toBeUndefined();
    const hits = (
      r.data as { case: { persoon: { hits: { probe: string; result: string; hit: boolean }[] } } }
    ).case.persoon.hits;
    expect(Object.fromEntries(hits.map((h) => [h.probe, h.result]))).toEqual(expected);
    for (const h of hits) expect(h.hit).toBe(h.result === "HIT");
  });

  it("refuses BRP fields with null and FORBIDDEN at that path", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const r = await t.gql(owner, NAAM, { id: c.id, bsn: resident });
    expect((r.data as { case: { persoon: { brp: unknown } } }).case.persoon.brp).toBeNull();
    expect(errorCodes(r)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
  });

  it("refuses an invalid BSN before anything else, naming the problem", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const before = t.app.demo!.brpSimulator.requestCount();
    const r = await t.gql(owner, HITS, { id: c.id, bsn: "123456789" });
    expect(errorCodes(r)).toEqual({ "case.persoon": "BAD_USER_INPUT" });
    expect(r.errors?.[0]?.message).toMatch(/11-check/);
    expect(t.app.demo!.brpSimulator.requestCount()).toBe(before);
  });
});

describe("step 3: verify in intake", () => {
  const VERIFY = `query($id: ID!, $bsn: String!, $in: VerifyInput!) {
    case(id: $id) { persoon(bsn: $bsn) { verify(input: $in) { overall naam geboortedatum adres } } } }`;

  function signalFor(bsn: string) {
    const p = t.app.demo!.municipality.personByBsn(bsn)!;
    const adres = p.verblijfplaats?.kind === "adres" ? p.verblijfplaats.address : undefined;
    const d = p.geboortedatum;
    return {
      geslachtsnaam: p.geslachtsnaam,
      voorvoegsel: p.voorvoegsel ?? null,
      voornamen: p.voornamen,
      geboortedatum: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
      postcode: adres?.postcode ?? null,
      huisnummer: adres?.huisnummer ?? null,
      huisletter: adres?.huisletter ?? null,
      huisnummertoevoeging: adres?.huisnummertoevoeging ?? null,
    };
  }

  it("answers MATCH for what the BRP says, and returns no BRP value", async () => {
    const c = await t.demoCase("intake");
    const r = await t.gql(owner, VERIFY, { id: c.id, bsn: resident, in: signalFor(resident) });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      case: {
        persoon: { verify: { overall: "MATCH", naam: "MATCH", geboortedatum: "MATCH", adres: "MATCH" } },
      },
    });
  });

  it("answers NO_MATCH for a wrong name and null for what the signal did not give", async () => {
    const c = await t.demoCase("intake");
    const r = await t.gql(owner, VERIFY, {
      id: c.id,
      bsn: resident,
      in: { geslachtsnaam: "Zzyzx-Onbekend" },
    });
    expect(r.data).toEqual({
      case: {
        persoon: { verify: { overall: "NO_MATCH", naam: "NO_MATCH", geboortedatum: null, adres: null } },
      },
    });
  });

  it("refuses a bad postcode before any upstream call", async () => {
    const c = await t.demoCase("intake");
    const before = t.app.demo!.brpSimulator.requestCount();
    const r = await t.gql(owner, VERIFY, {
      id: c.id,
      bsn: resident,
      in: { postcode: "0123 AB", huisnummer: 1 },
    });
    expect(errorCodes(r)).toEqual({ "case.persoon.verify": "BAD_USER_INPUT" });
    expect(r.errors?.[0]?.message).toMatch(/postcode/);
    expect(t.app.demo!.brpSimulator.requestCount()).toBe(before);
  });

  it("gives no hits and no fields in intake", async () => {
    const c = await t.demoCase("intake");
    const hits = await t.gql(owner, HITS, { id: c.id, bsn: resident });
    expect(errorCodes(hits)).toEqual({ "case.persoon.hits": "FORBIDDEN" });
    const naam = await t.gql(owner, NAAM, { id: c.id, bsn: resident });
    expect(errorCodes(naam)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
  });
});

describe("step 4: transition, privacy check, approved fields only", () => {
  const FIELDS = `query($id: ID!, $bsn: String!) { case(id: $id) { phase persoon(bsn: $bsn) {
    brp { naam { geslachtsnaam voornamen } geboorte { datum { datum } } burgerservicenummer } } } }`;
  let caseId = "";

  it("walks a new case to regie along allowed transitions only", async () => {
    const open = await t.gql(
      owner,
      `mutation { openCase(input: { reference: "TEST-STEP4", theme: "horeca", substitute: "analist.devries", motivation: "Signal from the police.", ${DEMO_SUBJECTS_ARG} }) { id phase owner } }`,
    );
    expect(open.errors).toBeUndefined();
    const opened = (open.data as { openCase: { id: string; phase: string; owner: string } }).openCase;
    expect(opened).toMatchObject({ phase: "intake", owner: "analist.jansen" });
    caseId = opened.id;
    const move = (to: string, token = owner) =>
      t.gql(
        token,
        `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next phase per protocol.") { phase } }`,
        {
          id: caseId,
          to,
        },
      );
    expect(errorCodes(await move("regie"))).toEqual({ transitionCase: "PHASE_CONFLICT" });
    for (const to of ["weging", "bronnenonderzoek", "regie"]) {
      await weighBefore((q, v) => t.gql(owner, q, v), caseId, to);
      const r = await move(to);
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({ transitionCase: { phase: to } });
    }
    expect(errorCodes(await move("afgesloten"))).toEqual({ transitionCase: "PHASE_CONFLICT" });
    expect(errorCodes(await move("nergens"))).toEqual({ transitionCase: "BAD_USER_INPUT" });
  });

  it("releases nothing before approval, exactly the approved fields after", async () => {
    const before = await t.gql(owner, FIELDS, { id: caseId, bsn: resident });
    // Containers are refused at the container when nothing under them is permitted.
    expect(errorCodes(before)).toEqual({
      "case.persoon.brp.naam": "FORBIDDEN",
      "case.persoon.brp.geboorte": "FORBIDDEN",
      "case.persoon.brp.burgerservicenummer": "FORBIDDEN",
    });

    const requested = await t.gql(
      owner,
      `mutation($id: ID!) { requestPrivacyCheck(input: { caseId: $id, kind: CHECK_2A, source: "brp",
        fields: ["naam.geslachtsnaam", "geboorte.datum"], motivation: "Needed for the intervention plan." }) { id status requestedFields } }`,
      { id: caseId },
    );
    expect(requested.errors).toBeUndefined();
    const check = (
      requested.data as { requestPrivacyCheck: { id: string; status: string; requestedFields: string[] } }
    ).requestPrivacyCheck;
    expect(check.status).toBe("REQUESTED");
    expect(check.requestedFields).toEqual(["geboorte.datum", "naam.geslachtsnaam"]);

    const stillClosed = await t.gql(owner, FIELDS, { id: caseId, bsn: resident });
    expect(errorCodes(stillClosed)["case.persoon.brp.naam"]).toBe("FORBIDDEN");

    const ADVISE = `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Necessary and proportionate.") { status approvedFields } }`;
    const byAnalyst = await t.gql(owner, ADVISE, { id: check.id });
    // The analyst may read the check, so the refusal says only that advising is not theirs.
    expect(errorCodes(byAnalyst)).toEqual({ advisePrivacyCheck: "FORBIDDEN" });
    const advised = await t.gql(officer, ADVISE, { id: check.id });
    expect(advised.data).toEqual({
      advisePrivacyCheck: { status: "APPROVED", approvedFields: ["geboorte.datum", "naam.geslachtsnaam"] },
    });

    const after = await t.gql(owner, FIELDS, { id: caseId, bsn: resident });
    const person = t.app.demo!.municipality.personByBsn(resident)!;
    const d = person.geboortedatum;
    expect(after.data).toEqual({
      case: {
        phase: "regie",
        persoon: {
          brp: {
            naam: { geslachtsnaam: person.geslachtsnaam, voornamen: null },
            geboorte: { datum: { datum: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` } },
            burgerservicenummer: null,
          },
        },
      },
    });
    expect(errorCodes(after)).toEqual({
      "case.persoon.brp.naam.voornamen": "FORBIDDEN",
      "case.persoon.brp.burgerservicenummer": "FORBIDDEN",
    });
    // Data minimisation at the source: the BRP was asked for exactly the approved, requested
    // fields, plus the BSN the gateway already has, to match a batched answer to its question.
    const last = t.app.demo!.brpSimulator.requests.at(-1) as { body?: { fields?: string[] } };
    expect([...(last.body?.fields ?? [])].sort()).toEqual([
      "burgerservicenummer",
      "geboorte.datum",
      "naam.geslachtsnaam",
    ]);
  });

  it("refuses a check beyond the policy maximum, naming where the field is", async () => {
    const r = await t.gql(
      owner,
      `mutation($id: ID!) { requestPrivacyCheck(input: { caseId: $id, kind: CHECK_2B, source: "brp",
        fields: ["naam.bestaatNiet"], motivation: "Test." }) { id } }`,
      { id: caseId },
    );
    expect(errorCodes(r)).toEqual({ requestPrivacyCheck: "BAD_USER_INPUT" });
    // The argument and its position, not the caller's text (issue 10).
    expect(r.errors?.[0]?.message).toBe("fields[0]: not in the brp catalogue.");
  });
});

describe("step 5: a case of someone else is NOT_FOUND, like a case that does not exist", () => {
  const CASE = `query($id: ID!) { case(id: $id) { id reference } }`;

  it("answers the foreign analyst exactly as for a missing case", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const foreignView = await t.gql(foreign, CASE, { id: c.id });
    const missing = await t.gql(foreign, CASE, { id: "00000000-0000-4000-8000-000000000000" });
    expect(foreignView.data).toEqual({ case: null });
    expect(errorCodes(foreignView)).toEqual({ case: "NOT_FOUND" });
    expect(foreignView).toEqual(missing);
  });

  it("lets the substitute see the case, and lists only assigned cases", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    const r = await t.gql(substitute, CASE, { id: c.id });
    expect(r.data).toEqual({ case: { id: c.id, reference: c.reference } });
    const list = await t.gql(foreign, `{ cases { id } }`);
    expect(list.data).toEqual({ cases: [] });
  });
});

describe("step 6: every step, allowed or denied, is in the audit log", () => {
  it("records disclosures, denials, case changes and check steps with rule and policy hash", async () => {
    const records = await t.app.audit.list({ limit: 10_000 });
    const ops = new Set(records.map((r) => `${r.operation}:${r.decision}`));
    for (const expected of [
      "policy.load:allow",
      "case.open:allow",
      "case.transition:allow",
      "case.transition:deny",
      "check.request:allow",
      "check.advise:allow",
      "check.advise:deny",
      "brp.hits:allow",
      "brp.hits:deny",
      "brp.verify:allow",
      "brp.fields:allow",
      "brp.fields:deny",
      "case.read:deny",
    ])
      expect(ops, expected).toContain(expected);
    for (const r of records) {
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.policyHash).toBe(t.app.policy.hash);
    }
    const released = records.find(
      (r) => r.operation === "brp.fields" && r.decision === "allow" && r.fields?.length,
    );
    expect(released?.fields).toEqual(["geboorte.datum", "naam.geslachtsnaam"]);
    expect(released?.subjectPseudonym).toBe(t.app.audit.pseudonymise(resident, "bsn"));
    // No BSN in the clear anywhere in the log.
    expect(JSON.stringify(records)).not.toContain(resident);
    expect(await t.app.audit.verify()).toMatchObject({ ok: true });
  });
});
