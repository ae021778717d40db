import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VisibleCase } from "../../src/cases/index.ts";
import { objectBewoners, type DisclosureContext, type ObjectRef } from "../../src/disclosure/index.ts";
import { ARGUMENT_RULES } from "../../src/server/argument-rules.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { requestCounts } from "../utils/source-simulators.ts";

/**
 * Issue 10, attack 6: `bewoners(peildatum: "2026-02-30")` on an object given by address asked
 * the BAG before the date was refused, and answered UPSTREAM_UNAVAILABLE. Every argument is now
 * checked at the edge, before the operation runs (src/server/argument-rules.ts): one bad argument
 * anywhere in an operation and nothing happens at all (no upstream call, no audit record, no
 * data), with BAD_USER_INPUT naming the argument and its rule and never repeating the value.
 * Counted at the demo simulators, over real HTTP.
 */
let h: HttpApp;
let owner: string;
let resident: string;
let regie: string;
let intake: string;

beforeAll(async () => {
  h = await startHttpApp();
  owner = await h.t.token("analist.jansen", "analyst");
  resident = h.t.app.demo!.municipality.wellKnown.residentBsn;
  regie = (await h.t.demoCase("regie")).id;
  intake = (await h.t.demoCase("intake")).id;
});
afterAll(() => h.close());

const upstreamCalls = () => Object.values(requestCounts(h.t.app)).reduce((a, b) => a + b, 0);
const auditRecords = async () =>
  Number((await h.t.app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log"))[0]?.n);

/** Sends the operation and returns the answer with what it cost upstream and in the audit log. */
async function send(query: string, variables: Record<string, unknown> = {}) {
  const calls = upstreamCalls();
  const records = await auditRecords();
  const r = await h.post(query, { token: owner, variables });
  const perSource = requestCounts(h.t.app);
  return {
    ...r,
    text: JSON.stringify(r.body),
    upstream: upstreamCalls() - calls,
    perSource,
    audited: (await auditRecords()) - records,
  };
}

/** A refusal at the edge: 400, one BAD_USER_INPUT, no data, nothing asked upstream or written. */
function expectRefusedAtEdge(r: Awaited<ReturnType<typeof send>>, message: RegExp, value?: string) {
  expect(r.status, r.text).toBe(400);
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
  expect(r.body.errors?.[0]?.message).toMatch(message);
  expect(r.body.data ?? null).toBeNull();
  expect(r.upstream, `upstream calls ${JSON.stringify(r.perSource)}`).toBe(0);
  expect(r.audited, "audit records written").toBe(0);
  if (value !== undefined && value.length > 0)
    expect(r.text).not.toContain(JSON.stringify(value).slice(1, -1));
}

const bewoners = (peildatum: string) =>
  `query($id: ID!) { case(id: $id) { object(postcode: "6200AA", huisnummer: 91) { bewoners(peildatum: "${peildatum}") { bsn } } } }`;

describe("the peildatum attack", () => {
  it("answers a real date with the residents, so the attack below is not refused for another reason", async () => {
    const r = await send(bewoners("2026-01-15"), { id: regie });
    expect(r.body.errors, r.text).toBeUndefined();
    expect(r.upstream).toBeGreaterThan(0);
  });

  it.each([
    "2026-02-30",
    "../../x",
    "2025-02-29",
    "2026-13-01",
    "2026-1-5",
    "20260105",
    "2026-01-05T00:00:00Z",
    "",
    " 2026-01-05",
  ])("bewoners(peildatum: %j) is BAD_USER_INPUT before the BAG or Bewoning is asked", async (peildatum) => {
    const r = await send(bewoners(peildatum), { id: regie });
    expectRefusedAtEdge(r, /^peildatum: a calendar date that exists, written YYYY-MM-DD\.$/, peildatum);
    expect(r.body.errors?.[0]?.path).toEqual(["case", "object", "bewoners"]);
  });

  it("is refused the same through a variable, inside a fragment, next to valid fields", async () => {
    const r = await send(
      `query($id: ID!, $bsn: String!, $d: String) { case(id: $id) {
        persoon(bsn: $bsn) { hits { probe result } }
        object(postcode: "6200AA", huisnummer: 91) { ...residents }
      } }
      fragment residents on ObjectView { bag { adres { postcode } } bewoners(peildatum: $d) { bsn } }`,
      { id: regie, bsn: resident, d: "2026-02-30" },
    );
    expectRefusedAtEdge(r, /^peildatum:/, "2026-02-30");
  });
});

/**
 * One bad value per argument rule, each in an operation that is otherwise fine and would ask
 * registries. Every rule of ARGUMENT_RULES has a row here (checked below).
 */
const O = `object(postcode: "6200AA", huisnummer: 91)`;
const BAD: readonly { key: string; field: string; value: string; message: RegExp; root?: boolean }[] = [
  // Root fields (the privacy officer's queue): asked beside the case, refused before it runs too.
  {
    key: "Query.flaggedEvents.since",
    field: `flaggedEvents(since: "yesterday") { id }`,
    value: "yesterday",
    message: /^since: /,
    root: true,
  },
  {
    key: "Query.flaggedEvents.flag",
    field: `flaggedEvents(flag: "everything") { id }`,
    value: "everything",
    message: /^flag: /,
    root: true,
  },
  {
    key: "Query.flaggedEvents.first",
    field: `flaggedEvents(first: 100000) { id }`,
    value: "100000",
    message: /^first: /,
    root: true,
  },
  {
    key: "Query.auditLog.filter",
    field: `auditLog(filter: { subject: { type: bsn, id: "123456789" } }) { endCursor }`,
    value: "123456789",
    message: /^filter\.subject\.id: .*11-check/,
    root: true,
  },
  {
    key: "Query.auditLog.filter",
    field: `auditLog(filter: { from: "2026-02-30" }) { endCursor }`,
    value: "2026-02-30",
    message: /^filter\.from: /,
    root: true,
  },
  {
    key: "Query.auditLog.first",
    field: `auditLog(filter: {}, first: 100000) { endCursor }`,
    value: "100000",
    message: /^first: /,
    root: true,
  },
  {
    key: "Query.auditLog.after",
    field: `auditLog(filter: {}, after: "x; DROP") { endCursor }`,
    value: "x; DROP",
    message: /^after: /,
    root: true,
  },
  {
    key: "Query.destructionRecords.from",
    field: `destructionRecords(from: "2026-02-30") { endCursor }`,
    value: "2026-02-30",
    message: /^from: /,
    root: true,
  },
  {
    key: "Query.destructionRecords.to",
    field: `destructionRecords(from: "2026-03-01", to: "2026-02-01") { endCursor }`,
    value: "2026-02-01",
    message: /^from, to: /,
    root: true,
  },
  {
    key: "Query.destructionRecords.first",
    field: `destructionRecords(first: 100000) { endCursor }`,
    value: "100000",
    message: /^first: /,
    root: true,
  },
  {
    key: "Query.destructionRecords.after",
    field: `destructionRecords(after: "x; DROP") { endCursor }`,
    value: "x; DROP",
    message: /^after: /,
    root: true,
  },
  {
    key: "Query.policyDiff.from",
    field: `policyDiff(from: "/etc/poortwachter", to: "current") { to { ref } }`,
    value: "/etc/poortwachter",
    message: /^from: not a policy reference/,
    root: true,
  },
  {
    key: "Query.policyDiff.to",
    field: `policyDiff(from: "current", to: "../policies") { to { ref } }`,
    value: "../policies",
    message: /^to: not a policy reference/,
    root: true,
  },
  {
    key: "Query.policyReplay.candidate",
    field: `policyReplay(candidate: "/tmp/candidate", from: "2026-01-01", to: "2026-02-01") { replayed }`,
    value: "/tmp/candidate",
    message: /^candidate: not a policy reference/,
    root: true,
  },
  {
    key: "Query.policyReplay.from",
    field: `policyReplay(candidate: "files", from: "2026-02-30", to: "2026-03-01") { replayed }`,
    value: "2026-02-30",
    message: /^from: not a date/,
    root: true,
  },
  {
    key: "Query.policyReplay.to",
    field: `policyReplay(candidate: "files", from: "2026-03-01", to: "2026-02-01") { replayed }`,
    value: "2026-02-01",
    message: /^to must lie after from/,
    root: true,
  },
  {
    key: "Case.persoon.bsn",
    field: `persoon(bsn: "123456789") { hits { probe } }`,
    value: "123456789",
    message: /^bsn: .*11-check/,
  },
  {
    key: "Case.persoon.bsn",
    field: `persoon(bsn: "../x") { hits { probe } }`,
    value: "../x",
    message: /^bsn: .*9 digits/,
  },
  {
    key: "Case.onderneming.kvkNummer",
    field: `onderneming(kvkNummer: "1234") { hits { probe } }`,
    value: "1234",
    message: /^kvkNummer: .*8 digits/,
  },
  {
    key: "Case.object.postcode",
    field: `object(postcode: "0123AB", huisnummer: 1) { hits { probe } }`,
    value: "0123AB",
    message: /^postcode: /,
  },
  {
    key: "Case.object.huisnummer",
    field: `object(postcode: "6200AA", huisnummer: 0) { hits { probe } }`,
    value: "",
    message: /^huisnummer: between 1 and 99999/,
  },
  {
    key: "Case.object.huisletter",
    field: `object(postcode: "6200AA", huisnummer: 91, huisletter: "AB") { hits { probe } }`,
    value: "",
    message: /^huisletter: one letter/,
  },
  {
    key: "Case.object.huisnummertoevoeging",
    field: `object(postcode: "6200AA", huisnummer: 91, huisnummertoevoeging: "../x") { hits { probe } }`,
    value: "../x",
    message: /^huisnummertoevoeging: /,
  },
  {
    key: "Case.object.adresseerbaarObjectIdentificatie",
    field: `object(adresseerbaarObjectIdentificatie: "0935100000000001") { hits { probe } }`,
    value: "0935100000000001",
    message: /^adresseerbaarObjectIdentificatie: .*verblijfsobject/,
  },
  {
    key: "PersoonView.hits.probes",
    field: `persoon(bsn: "RESIDENT") { hits(probes: ["brp.ingeschreven", "../../admin"]) { probe } }`,
    value: "../../admin",
    message: /^probes: a name given cannot be asked about a person; probes for a person: brp\./,
  },
  {
    key: "PersoonView.hits.probes",
    field: `persoon(bsn: "RESIDENT") { hits(probes: []) { probe } }`,
    value: "",
    message: /^probes: give at least one probe/,
  },
  {
    key: "PersoonView.verify.input",
    field: `persoon(bsn: "RESIDENT") { verify(input: { geboortedatum: "1990-02-30" }) { overall } }`,
    value: "1990-02-30",
    message: /^geboortedatum: /,
  },
  {
    key: "PersoonView.verify.input",
    field: `persoon(bsn: "RESIDENT") { verify(input: {}) { overall } }`,
    value: "",
    message: /^input: give at least/,
  },
  {
    key: "PersoonView.verify.input",
    field: `persoon(bsn: "RESIDENT") { verify(input: { postcode: "6200AA" }) { overall } }`,
    value: "",
    message: /^adres: give postcode and huisnummer together/,
  },
  {
    key: "ObjectView.hits.probes",
    field: `${O} { hits(probes: ["brp.ingeschreven"]) { probe } }`,
    value: "",
    message: /^probes: a name given cannot be asked about an object/,
  },
  {
    key: "ObjectView.bewoners.peildatum",
    field: `${O} { bewoners(peildatum: "2026-02-30") { bsn } }`,
    value: "2026-02-30",
    message: /^peildatum: /,
  },
  {
    key: "OndernemingView.hits.probes",
    field: `onderneming(kvkNummer: "88888888") { hits(probes: ["bewoning.bewoondOpPeildatum"]) { probe } }`,
    value: "",
    message: /^probes: a name given cannot be asked about a company; probes for a company: hr\.ingeschreven/,
  },
  // Issue 16: the municipality's own registers.
  {
    key: "PersoonView.register.name",
    field: `persoon(bsn: "RESIDENT") { register(name: "erfpacht") { value(field: "soort") } }`,
    value: "",
    message: /^name: not a register that can be asked about a person; registers for a person: uitkeringen/,
  },
  {
    key: "OndernemingView.register.name",
    field: `onderneming(kvkNummer: "88888888") { register(name: "../admin") { value(field: "regeling") } }`,
    value: "../admin",
    message: /^name: not a register that can be asked about a company; registers for a company: subsidies/,
  },
  {
    key: "ObjectView.register.name",
    field: `${O} { register(name: "uitkeringen") { value(field: "regeling") } }`,
    value: "",
    message:
      /^name: not a register that can be asked about an object; registers for an object: boa, erfpacht/,
  },
  {
    key: "RegisterRecord.value.field",
    field: `persoon(bsn: "RESIDENT") { register(name: "uitkeringen") { value(field: "regeling\\" OR 1=1 --") } }`,
    value: "OR 1=1",
    message: /^field: a lower-camel-case word/,
  },
];

describe("every argument rule refuses a bad value before anything runs", () => {
  it("has a bad value for every rule", () => {
    expect([...new Set(BAD.map((b) => b.key))].sort()).toEqual(Object.keys(ARGUMENT_RULES).sort());
  });

  it.each(BAD)("$key: $field", async ({ field, value, message, root }) => {
    // A valid, upstream-asking field first: it must not run either.
    const query = `query($id: ID!) { case(id: $id) {
      first: persoon(bsn: "${resident}") { hits { probe } brp { naam { geslachtsnaam } } }
      ${root ? "" : field.replace("RESIDENT", resident)}
    } ${root ? field : ""} }`;
    for (const id of [regie, intake]) expectRefusedAtEdge(await send(query, { id }), message, value);
  });

  it("refuses the same values given as variables", async () => {
    const r = await send(
      `query($id: ID!, $bsn: String!, $in: VerifyInput!) { case(id: $id) { persoon(bsn: $bsn) { verify(input: $in) { overall } } } }`,
      { id: intake, bsn: resident, in: { geboortedatum: "2026-02-30" } },
    );
    expectRefusedAtEdge(r, /^geboortedatum: /, "2026-02-30");
  });

  it.each([
    [
      "a number for a String!",
      { id: "x", bsn: 123456789 },
      /^\$bsn: the value does not fit its type String!\.$/,
      "123456789",
    ],
    ["a missing required one", { bsn: "924691347" }, /^\$id: the value does not fit its type ID!\.$/, ""],
  ])(
    "refuses a variable that does not fit its type (%s) without repeating it",
    async (_, variables, message, value) => {
      const r = await send(
        `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits { probe } } } }`,
        variables,
      );
      expectRefusedAtEdge(r, message, value);
    },
  );

  it("refuses a bad argument on a case the caller cannot see the same way, so the refusal tells nothing about it", async () => {
    const foreign = await h.t.token("analist.bakker", "analyst");
    const r = await h.post(bewoners("2026-02-30"), { token: foreign, variables: { id: regie } });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
  });

  it("lets valid operations through unchanged", async () => {
    const hits = await send(
      `query($id: ID!) { case(id: $id) {
        persoon(bsn: "${resident}") { hits(probes: ["brp.ingeschreven"]) { result } }
        onderneming(kvkNummer: "88888888") { hits(probes: ["hr.ingeschreven"]) { result } }
        ${O} { hits(probes: ["bag.adresBestaat"]) { result } }
      } }`,
      { id: (await h.t.demoCase("bronnenonderzoek")).id },
    );
    const residents = await send(bewoners("2024-02-29"), { id: regie });
    for (const r of [hits, residents]) {
      expect(r.status).toBe(200);
      expect(r.body.errors, r.text).toBeUndefined();
      expect(r.upstream).toBeGreaterThan(0);
    }
  });
});

describe("objectBewoners checks the date itself, before anything else (defence in depth)", () => {
  /** A stand-in that fails the test on any use: nothing may be touched before the date is checked. */
  const untouchable = <T extends object>(name: string): T =>
    new Proxy({} as T, {
      get: (_, property) => {
        throw new Error(`${name}.${String(property)} was used before the date was checked`);
      },
    });

  it.each(["2026-02-30", "../../x", ""])(
    "refuses %j without the case, the sources or the audit log",
    async (peildatum) => {
      const ref = { postcode: "6200AA", huisnummer: 91 } as unknown as ObjectRef;
      const r = await objectBewoners(
        untouchable<DisclosureContext>("ctx"),
        untouchable<VisibleCase>("case"),
        ref,
        peildatum,
      );
      expect(r).toEqual({
        ok: false,
        error: { kind: "bad_input", message: "peildatum: a calendar date that exists, written YYYY-MM-DD." },
      });
    },
  );
});
