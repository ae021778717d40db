import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { wellKnown, type Municipality, type Person } from "../../src/sources/synthetic/index.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { clearAllRequests, requestCounts, SOURCES } from "../utils/source-simulators.ts";

/**
 * Issue 11, purpose binding: a case answers only about whom it is about (Maastricht art. 3, 14,
 * 18; Delft art. 3). Every mode (verify, territory, hit, fields) refuses any other subject with
 * FORBIDDEN before any upstream call, with a flagged denial record, and the refusal reads the same
 * whether or not the registries know the subject. Subjects come from the signal (registerSignal),
 * from intake's BRP search, or from addCaseSubject; hops reach further only within the operation.
 */
let h: HttpApp;
let m: Municipality;
let analyst: string;
let resident: string;
/** A living person registered in the municipality whom no demo case names. */
let stranger: Person;

const iso = (gba: string) => `${gba.slice(0, 4)}-${gba.slice(4, 6)}-${gba.slice(6)}`;
const UNKNOWN_ELEVEN_PROOF = "999999023"; // passes the 11-check; no registry has it, no case names it

beforeAll(async () => {
  h = await startHttpApp();
  m = h.t.app.demo!.municipality;
  analyst = await h.t.token("analist.jansen", "analyst");
  resident = m.wellKnown.residentBsn;
  const demoNamed = new Set([resident, m.wellKnown.elsewhereBsn]);
  for (let i = 0; ; i++) {
    const p = m.personAt(i);
    if (!p) throw new Error("no stranger in the municipality");
    if (!demoNamed.has(p.bsn) && !p.overlijdensdatum && p.verblijfplaats?.kind === "adres") {
      stranger = p;
      break;
    }
  }
});
afterAll(() => h.close());
beforeEach(() => clearAllRequests(h.t.app));

const upstreamCalls = () => SOURCES.reduce((n, { source }) => n + requestCounts(h.t.app)[source], 0);

interface Mode {
  readonly mode: string;
  readonly phase: string;
  readonly field: string;
  readonly selection: string;
}
const MODES: readonly Mode[] = [
  {
    mode: "verify",
    phase: "intake",
    field: "verify",
    selection: `verify(input: { geslachtsnaam: "Jansen", geboortedatum: "1980-01-01" }) { overall }`,
  },
  { mode: "territory", phase: "weging", field: "binnenGemeente", selection: "binnenGemeente" },
  { mode: "hit", phase: "bronnenonderzoek", field: "hits", selection: "hits { probe result }" },
  { mode: "fields", phase: "regie", field: "brp", selection: "brp { naam { geslachtsnaam } }" },
];

const ask = async (caseId: string, bsn: string, selection: string, token = analyst) =>
  h.post(`query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { ${selection} } } }`, {
    token,
    variables: { id: caseId, bsn },
  });

const denials = async (caseId: string) =>
  (await h.t.app.audit.list({ caseId, limit: 100_000 })).filter((r) => r.kind === "denial");

describe("every mode answers only for the case's subjects", () => {
  for (const mode of MODES) {
    it(`${mode.mode} in ${mode.phase}: a subject of the case is answered, anyone else refused before any upstream call`, async () => {
      const caseId = (await h.t.demoCase(mode.phase)).id;
      const own = await ask(caseId, resident, mode.selection);
      expect(own.body.errors, JSON.stringify(own.body.errors)).toBeUndefined();
      clearAllRequests(h.t.app);
      const before = (await denials(caseId)).length;

      const known = await ask(caseId, stranger.bsn, mode.selection);
      const unknown = await ask(caseId, UNKNOWN_ELEVEN_PROOF, mode.selection);
      expect(upstreamCalls(), "no upstream call for a subject outside the case").toBe(0);
      for (const r of [known, unknown]) {
        expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
        expect(r.body.errors?.[0]?.path).toEqual(["case", "persoon", mode.field]);
      }
      // The same answer whether or not the registries know the person.
      expect(unknown.body).toEqual(known.body);
      const written = (await denials(caseId)).slice(before);
      expect(written).toHaveLength(2);
      for (const d of written)
        expect(d).toMatchObject({
          decision: "deny",
          detail: { flag: "notACaseSubject", rule: "binding.caseSubjects" },
        });
      expect(written[0]!.reason).toBe(written[1]!.reason);
    });
  }

  it("a case-wide privacy check concerns the case's subjects, never anyone (DEMO-regie)", async () => {
    const caseId = (await h.t.demoCase("regie")).id;
    const r = await ask(caseId, stranger.bsn, "brp { naam { geslachtsnaam voornamen } }");
    expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(JSON.stringify(r.body)).not.toContain(stranger.geslachtsnaam);
  });

  it("aliases and repeated subjects cannot smuggle a stranger in beside a subject", async () => {
    const caseId = (await h.t.demoCase("regie")).id;
    const r = await h.post(
      `query($id: ID!) { case(id: $id) {
        a: persoon(bsn: "${resident}") { ...P } b: persoon(bsn: "${stranger.bsn}") { ...P }
        c: persoon(bsn: "${resident}") { ...P } } }
       fragment P on PersoonView { brp { naam { geslachtsnaam } } }`,
      { token: analyst, variables: { id: caseId } },
    );
    const data = (r.body.data as { case: Record<string, { brp: unknown } | null> }).case;
    expect(data.a?.brp).not.toBeNull();
    expect(data.c?.brp).not.toBeNull();
    expect(data.b?.brp ?? null).toBeNull();
    expect(r.body.errors?.map((e) => e.path)).toEqual([["case", "b", "brp"]]);
  });
});

describe("hops reach further only within the operation", () => {
  it("the residents of a subject's address answer through the hop, recorded as reached via it, and not directly", async () => {
    const caseId = (await h.t.demoCase("regie")).id;
    const walk = await h.post(
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
        adres { bewoners { bsn brp { naam { geslachtsnaam } } } } } } }`,
      { token: analyst, variables: { id: caseId, bsn: resident } },
    );
    expect(walk.body.errors, JSON.stringify(walk.body.errors)).toBeUndefined();
    const bewoners = (
      walk.body.data as { case: { persoon: { adres: { bewoners: { bsn: string; brp: unknown }[] } } } }
    ).case.persoon.adres.bewoners;
    const housemate = bewoners.find((b) => b.bsn !== resident);
    expect(housemate, "the resident shares the address").toBeDefined();
    expect(housemate!.brp).not.toBeNull();
    const records = await h.t.app.audit.list({ caseId, limit: 100_000 });
    const pseudonym = h.t.app.audit.pseudonymise(housemate!.bsn, "bsn");
    const reached = records.filter((r) => r.subjectPseudonym === pseudonym && r.kind === "disclosure");
    expect(reached.at(-1)?.detail).toMatchObject({ reachedVia: "bewoning.bewoners" });

    const direct = await ask(caseId, housemate!.bsn, "brp { naam { geslachtsnaam } }");
    expect(direct.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });
});

const REGISTER = `mutation($input: OpenCaseInput!) { registerSignal(input: $input) {
  case { id phase subjects { key kind origin addedBy } signal { date channel } }
  resolutions { index outcome subject } } }`;
let n = 0;
const register = (input: Record<string, unknown>, token = analyst) =>
  h.post(REGISTER, {
    token,
    variables: { input: { reference: `SUBJECTS-${++n}`, motivation: "Signal received.", ...input } },
  });
const casesOwned = async () =>
  (await h.t.app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM cases"))[0]!.n;

describe("registerSignal: the subjects a signal names", () => {
  it("stores the named subjects, the date and channel, and answers about them at once", async () => {
    const r = await register({
      subjects: [`persoon:${resident}`, "onderneming:88888888", "adres:6200aa-91"],
      signalDate: "2026-11-30",
      channel: "PARTNER",
    });
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const reg = (
      r.body.data as {
        registerSignal: {
          case: { id: string; phase: string; subjects: { key: string; origin: string }[]; signal: unknown };
          resolutions: unknown[];
        };
      }
    ).registerSignal;
    expect(reg.case.phase).toBe("intake");
    expect(reg.case.subjects.map((s) => [s.key, s.origin])).toEqual(
      expect.arrayContaining([
        [`persoon:${resident}`, "SIGNAL"],
        ["onderneming:88888888", "SIGNAL"],
        ["adres:6200AA-91", "SIGNAL"],
      ]),
    );
    expect(reg.case.signal).toEqual({ date: "2026-11-30", channel: "PARTNER" });
    expect(reg.resolutions).toEqual([]);
    const verify = await ask(reg.case.id, resident, MODES[0]!.selection);
    expect(verify.body.errors).toBeUndefined();
    const other = await ask(reg.case.id, m.wellKnown.elsewhereBsn, MODES[0]!.selection);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it.each([
    [["persoon:123456789"], "subjects[0]"],
    [["onderneming:1234"], "subjects[0]"],
    [[`persoon:${wellKnown.residentBsn}`, "adres:0000AA-1"], "subjects[1]"],
    [["bsn:924691347"], "subjects[0]"],
  ])("refuses %j naming %s, before anything is written", async (subjects, where) => {
    const before = await casesOwned();
    const r = await register({ subjects });
    expect(r.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.body.errors?.[0]?.message).toContain(where);
    expect(await casesOwned()).toBe(before);
    expect(upstreamCalls()).toBe(0);
  });

  it("refuses a future signal date and an unknown channel", async () => {
    const before = await casesOwned();
    const future = await register({ signalDate: "2999-01-01" });
    expect(future.body.errors?.[0]?.message).toContain("signalDate");
    const channel = await register({ channel: "FAX" });
    expect(channel.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await casesOwned()).toBe(before);
  });
});

describe("registerSignal: a person named without a BSN is resolved with the BRP's search", () => {
  it("exactly one match becomes a subject, audited as a disclosure of the BSN only", async () => {
    const person = m.personByBsn(resident)!;
    const r = await register({
      persons: [{ geslachtsnaam: person.geslachtsnaam, geboortedatum: iso(person.geboortedatum) }],
    });
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const reg = (
      r.body.data as {
        registerSignal: {
          case: { id: string; subjects: { key: string; origin: string }[] };
          resolutions: { index: number; outcome: string; subject: string | null }[];
        };
      }
    ).registerSignal;
    expect(reg.resolutions).toEqual([{ index: 0, outcome: "MATCH", subject: `persoon:${resident}` }]);
    expect(reg.case.subjects).toEqual([
      expect.objectContaining({ key: `persoon:${resident}`, origin: "RESOLVED" }),
    ]);
    const records = await h.t.app.audit.list({ caseId: reg.case.id, limit: 1000 });
    const resolution = records.find((x) => x.operation === "brp.resolve");
    expect(resolution).toMatchObject({
      kind: "disclosure",
      fields: ["burgerservicenummer"],
      subjectPseudonym: h.t.app.audit.pseudonymise(resident, "bsn"),
    });
  });

  it("nobody or several: NO_MATCH / AMBIGUOUS, nothing attached, nothing else revealed", async () => {
    const address = m.wellKnown.residentAddress;
    const r = await register({
      persons: [
        { geslachtsnaam: "Nimmermeer", geboortedatum: "1901-02-03" },
        { postcode: address.postcode, huisnummer: address.huisnummer },
      ],
    });
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const reg = (
      r.body.data as {
        registerSignal: { case: { subjects: unknown[] }; resolutions: { outcome: string; subject: null }[] };
      }
    ).registerSignal;
    expect(reg.resolutions).toEqual([
      { index: 0, outcome: "NO_MATCH", subject: null },
      { index: 1, outcome: "AMBIGUOUS", subject: null },
    ]);
    expect(reg.case.subjects).toEqual([]);
  });

  it("a failing BRP answers UNKNOWN, never NO_MATCH; the case is registered", async () => {
    const brp = h.t.app.demo!.simulators.brp;
    brp.setFault("http503");
    try {
      const person = m.personByBsn(resident)!;
      const r = await register({
        persons: [{ geslachtsnaam: person.geslachtsnaam, geboortedatum: iso(person.geboortedatum) }],
      });
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      const reg = (r.body.data as { registerSignal: { resolutions: { outcome: string }[] } }).registerSignal;
      expect(reg.resolutions.map((x) => x.outcome)).toEqual(["UNKNOWN"]);
    } finally {
      brp.setFault("none");
    }
  });

  it("a description with a wildcard or without enough to search is refused before any call", async () => {
    const before = await casesOwned();
    const r = await register({ persons: [{ geslachtsnaam: "Jan*", geboortedatum: "1980-01-01" }] });
    expect(r.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.body.errors?.[0]?.message).toContain("persons[0].geslachtsnaam");
    const thin = await register({ persons: [{ voornamen: "Jan" }] });
    expect(thin.body.errors?.[0]?.message).toContain("persons[0]");
    expect(await casesOwned()).toBe(before);
    expect(requestCounts(h.t.app).brp).toBe(0);
  });
});

const ADD = `mutation($id: ID!, $subject: String!, $checkId: ID) {
  addCaseSubject(id: $id, subject: $subject, motivation: "The partner named a second person.", checkId: $checkId) {
    subjects { key origin } } }`;
const MOVE = `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next.") { phase } }`;

describe("addCaseSubject", () => {
  it("in intake a motivation suffices: audited, and the subject is answered from then on", async () => {
    const r = await register({ subjects: [`persoon:${resident}`] });
    const caseId = (r.body.data as { registerSignal: { case: { id: string } } }).registerSignal.case.id;
    const before = await ask(caseId, stranger.bsn, MODES[0]!.selection);
    expect(before.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const added = await h.post(ADD, {
      token: analyst,
      variables: { id: caseId, subject: `persoon:${stranger.bsn}` },
    });
    expect(added.body.errors, JSON.stringify(added.body.errors)).toBeUndefined();
    const after = await ask(caseId, stranger.bsn, MODES[0]!.selection);
    expect(after.body.errors).toBeUndefined();
    const records = await h.t.app.audit.list({ caseId, limit: 1000 });
    expect(
      records.filter(
        (x) =>
          x.operation === "case.subject" &&
          x.subjectPseudonym === h.t.app.audit.pseudonymise(stranger.bsn, "bsn"),
      ),
    ).toHaveLength(1);
    const again = await h.post(ADD, {
      token: analyst,
      variables: { id: caseId, subject: `persoon:${stranger.bsn}` },
    });
    expect(again.body.errors?.[0]?.message).toContain("already a subject");
  });

  it("from source research on only with a privacy check in effect that names the subject", async () => {
    const caseId = (await h.t.demoCase("bronnenonderzoek")).id;
    const subject = `persoon:${stranger.bsn}`;
    const refused = await h.post(ADD, { token: analyst, variables: { id: caseId, subject } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(refused.body.errors?.[0]?.message).toContain("checkId");
    const rows = await h.t.app.db.query(
      "SELECT 1 FROM case_subjects WHERE case_id = $1 AND subject_key = $2",
      [caseId, subject],
    );
    expect(rows).toEqual([]);

    // A check 1 naming the stranger, advised GO, lets the analyst add them.
    const officer = await h.t.token("privacy.officer", "privacy_officer");
    const requested = await h.post(
      `mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`,
      {
        token: analyst,
        variables: {
          input: {
            caseId,
            kind: "CHECK_1",
            source: "brp",
            probes: ["brp.ingeschreven"],
            subjects: [subject],
            motivation: "The partner's second person: may the BRP answer hit / no hit?",
          },
        },
      },
    );
    const checkId = (requested.body.data as { requestPrivacyCheck: { id: string } }).requestPrivacyCheck.id;
    const unapproved = await h.post(ADD, { token: analyst, variables: { id: caseId, subject, checkId } });
    expect(unapproved.body.errors?.[0]?.message).toContain("checkId");
    await h.post(
      `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Proportionate.") { status } }`,
      {
        token: officer,
        variables: { id: checkId },
      },
    );
    const added = await h.post(ADD, { token: analyst, variables: { id: caseId, subject, checkId } });
    expect(added.body.errors, JSON.stringify(added.body.errors)).toBeUndefined();
    const hits = await ask(caseId, stranger.bsn, MODES[2]!.selection);
    expect(hits.body.errors).toBeUndefined();
  });

  it("refuses an invalid subject key and a closed case", async () => {
    const caseId = (await h.t.demoCase("intake")).id;
    const bad = await h.post(ADD, {
      token: analyst,
      variables: { id: caseId, subject: "persoon:123456789" },
    });
    expect(bad.body.errors?.[0]?.message).toContain("subject:");
    const closed = (await h.t.demoCase("afgesloten")).id;
    const r = await h.post(ADD, {
      token: analyst,
      variables: { id: closed, subject: `persoon:${stranger.bsn}` },
    });
    expect(r.body.errors?.[0]?.extensions?.code).toBe("PHASE_CONFLICT");
    void MOVE;
  });
});
