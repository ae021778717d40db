import { randomBytes } from "node:crypto";
import { getNamedType, getOperationAST, isObjectType, parse, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/index.ts";
import { buildSchema } from "../../src/server/index.ts";
import { operationLimitsPlugin } from "../../src/server/operation-limits.ts";
import { err } from "../../src/shared/index.ts";
import type { Municipality, Person } from "../../src/sources/synthetic/index.ts";
import { addSubjects, personKeys } from "../utils/case-subjects.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { clearAllRequests, requestCounts } from "../utils/source-simulators.ts";

/**
 * Issue 10, attack 3 "exponential hops": an operation that asks more than one request should
 * (hops, fan-out, aliases, subjects, depth, tokens) and every subscription are refused before
 * anything runs: BAD_USER_INPUT naming the limit and its setting, one audit record, no upstream
 * call. The ordinary workloads (50 persons with addresses, residents and permits; every BRP field
 * aliased) still pass.
 */
let h: HttpApp;
let caseId: string;

beforeAll(async () => {
  h = await startHttpApp();
  caseId = (await h.t.demoCase("regie")).id;
  // Limits are about many subjects: every person of the municipality is one of this case's.
  await addSubjects(h.t.app, caseId, personKeys([...h.t.app.demo!.municipality.persons()].map((p) => p.bsn)));
});
afterAll(() => h.close());

interface Sent {
  readonly status: number;
  readonly body: Awaited<ReturnType<HttpApp["post"]>>["body"];
  readonly traceId: string;
  readonly calls: number;
}

/** Posts an operation as the regie case's analyst, in a trace of its own, and counts the upstream calls. */
async function send(app: HttpApp, query: string, variables?: Record<string, unknown>): Promise<Sent> {
  const traceId = randomBytes(16).toString("hex");
  clearAllRequests(app.t.app);
  const { status, body } = await app.post(query, {
    token: await app.t.token("analist.jansen", "analyst"),
    ...(variables ? { variables } : {}),
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  const calls = Object.values(requestCounts(app.t.app)).reduce((a, b) => a + b, 0);
  return { status, body, traceId, calls };
}

/** The audit records written in one trace. */
const recordsOf = async (app: HttpApp, traceId: string) =>
  (await app.t.app.audit.list({ limit: 100_000 })).filter((r) => r.traceId === traceId);

/** Refused before it ran: 400 BAD_USER_INPUT naming `setting`, no data, no call, one denial record. */
async function expectRefused(sent: Sent, setting: string, app: HttpApp = h): Promise<string> {
  expect(sent.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  const message = sent.body.errors?.[0]?.message ?? "";
  expect(message).toContain(setting);
  expect(sent.status).toBe(400);
  expect(sent.body.data).toBeUndefined();
  expect(sent.calls).toBe(0);
  const records = await recordsOf(app, sent.traceId);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    kind: "denial",
    decision: "deny",
    operation: "graphql.limits",
    actor: "analist.jansen",
  });
  expect(records[0]?.reason).toContain(setting);
  return message;
}

/** Ran: no error of a refused operation. */
function expectAccepted(sent: Sent) {
  expect(sent.status, JSON.stringify(sent.body.errors?.[0])).toBe(200);
  expect(sent.body.errors?.filter((e) => e.extensions?.code === "BAD_USER_INPUT") ?? []).toEqual([]);
  expect(sent.body.data).toBeTruthy();
}

const caseQuery = (body: string) => `query($id: ID!) { case(id: $id) { ${body} } }`;

/** `persoon { adres { bewoners { adres { bewoners { … } } } } }`, `hops` hops deep. */
function hopChain(hops: number): string {
  let inner = "bsn";
  for (let i = 0; i < hops; i += 2) inner = `adres { bewoners { ${inner} } }`;
  return inner;
}
const bsnOf = (app: HttpApp) => app.t.app.demo!.municipality.wellKnown.residentBsn;

/** Living residents of the municipality, household by household (as test/server/call-counts.test.ts). */
function residents(m: Municipality, n: number): Person[] {
  const chosen: Person[] = [];
  for (let i = 0; i < m.addressCount && chosen.length < n; i++) {
    const address = m.addressAt(i);
    if (!address) continue;
    for (const p of m.residentsOf(address))
      if (chosen.length < n && !p.overlijdensdatum && p.gemeenteVanInschrijving.code === m.code)
        chosen.push(p);
  }
  return chosen;
}

describe("hops from one subject to the next", () => {
  it("refuses persoon { adres { bewoners { … } } } nested 8 deep (the review's 333-byte query)", async () => {
    const query = caseQuery(`persoon(bsn: "${bsnOf(h)}") { ${hopChain(8)} }`);
    const sent = await send(h, query, { id: caseId });
    const message = await expectRefused(sent, "LIMIT_MAX_HOPS");
    // As README "Limits on an operation" shows it.
    expect(message).toBe(
      "The operation asks too much: 8 hops deep, at most 3 (LIMIT_MAX_HOPS); an estimated 22223 field resolutions, at most 20000 (LIMIT_MAX_FANOUT).",
    );
  });

  it("counts hops through named and inline fragments", async () => {
    const query = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { ...P1 } } }
      fragment P1 on PersoonView { adres { ... on ObjectView { bewoners { ...P2 } } } }
      fragment P2 on PersoonView { ... { eerdereAdressen { ondernemingen { ...O } } } }
      fragment O on OndernemingView { vestigingen { bag { adres { postcode } } } }`;
    const sent = await send(h, query, { id: caseId, bsn: bsnOf(h) });
    const message = await expectRefused(sent, "LIMIT_MAX_HOPS");
    expect(message).toContain("5 hops deep");
  });

  it("answers three hops", async () => {
    const query = caseQuery(
      `persoon(bsn: "${bsnOf(h)}") { adres { bewoners { adres { bag { adres { postcode } } } } } }`,
    );
    expectAccepted(await send(h, query, { id: caseId }));
  });
});

describe("the estimated size of the answer", () => {
  it("refuses lists in lists within the hop limit", async () => {
    // Three hops, but every one a list: case + persoon + 10 x (1 + 10 x (1 + 10 x (1 + 54))), the 54
    // being bag 4, vergunningen 10 x 2 and hits 10 x 3 on each of 1,000 former addresses.
    const query = caseQuery(
      `persoon(bsn: "${bsnOf(h)}") { eerdereAdressen { bewoners { eerdereAdressen {
        bag { adres { postcode huisnummer } } vergunningen { soort } hits { probe result } } } } }`,
    );
    const message = await expectRefused(await send(h, query, { id: caseId }), "LIMIT_MAX_FANOUT");
    expect(message).toContain("an estimated 55112 field resolutions, at most 20000 (LIMIT_MAX_FANOUT)");
    expect(message).not.toContain("LIMIT_MAX_HOPS");
  });
});

describe("aliases", () => {
  it("refuses 1,000 aliases, and does not echo them", async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `secretAlias${i}: bsn`).join(" ");
    const query = caseQuery(`persoon(bsn: "${bsnOf(h)}") { ${aliases} }`);
    const message = await expectRefused(await send(h, query, { id: caseId }), "LIMIT_MAX_ALIASES");
    expect(message).toContain("1000 aliases, at most 400 (LIMIT_MAX_ALIASES)");
    expect(message).not.toContain("secretAlias");
  });

  it("counts the aliases of a fragment at every spread", async () => {
    const ten = Array.from({ length: 10 }, (_, i) => `a${i}: bsn`).join(" ");
    const query = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { ${"...Ten ".repeat(100)} } } }
      fragment Ten on PersoonView { ${ten} }`;
    const message = await expectRefused(
      await send(h, query, { id: caseId, bsn: bsnOf(h) }),
      "LIMIT_MAX_ALIASES",
    );
    expect(message).toContain("1000 aliases");
  });

  it("answers a query that aliases every BRP field through fragments (as test/server/field-matrix.test.ts)", async () => {
    const selection = (type: GraphQLObjectType, depth = 0): string =>
      Object.values(type.getFields())
        .map((f) => {
          const named = getNamedType(f.type);
          return isObjectType(named) && depth < 6
            ? `x_${f.name}: ${f.name} { ${selection(named, depth + 1)} }`
            : `x_${f.name}: ${f.name}`;
        })
        .join(" ");
    const brp = buildSchema().getType("BrpPersoon") as GraphQLObjectType;
    const query = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { ...Everything } } } }
      fragment Everything on BrpPersoon { ... on BrpPersoon { ${selection(brp)} } }`;
    const sent = await send(h, query, { id: caseId, bsn: bsnOf(h) });
    expectAccepted(sent);
    expect((await recordsOf(h, sent.traceId)).some((r) => r.operation === "graphql.limits")).toBe(false);
  });
});

describe("distinct subjects", () => {
  it("refuses 500 persons' names and birth dates in one request", async () => {
    const persons = [...h.t.app.demo!.municipality.persons()].slice(0, 500);
    expect(persons).toHaveLength(500);
    const query = caseQuery(
      persons
        .map(
          (p, i) =>
            `p${i}: persoon(bsn: "${p.bsn}") { brp { naam { geslachtsnaam } geboorte { datum { datum } } } }`,
        )
        .join(" "),
    );
    const message = await expectRefused(await send(h, query, { id: caseId }), "LIMIT_MAX_SUBJECTS");
    expect(message).toContain("500 distinct subjects, at most 50 (LIMIT_MAX_SUBJECTS)");
  });

  it("counts subjects given in variables", async () => {
    const persons = residents(h.t.app.demo!.municipality, 51);
    expect(persons).toHaveLength(51);
    const defs = persons.map((_, i) => `$b${i}: String!`).join(", ");
    const body = persons
      .map((_, i) => `p${i}: persoon(bsn: $b${i}) { brp { naam { geslachtsnaam } } }`)
      .join(" ");
    const variables = Object.fromEntries(persons.map((p, i) => [`b${i}`, p.bsn]));
    const query = `query($id: ID!, ${defs}) { case(id: $id) { ${body} } }`;
    const message = await expectRefused(
      await send(h, query, { id: caseId, ...variables }),
      "LIMIT_MAX_SUBJECTS",
    );
    expect(message).toContain("51 distinct subjects");
  });

  it("answers 50 persons with their addresses, residents and permits (as test/server/call-counts.test.ts)", async () => {
    const persons = residents(h.t.app.demo!.municipality, 50);
    const query = caseQuery(
      persons
        .map(
          (p, i) => `p${i}: persoon(bsn: "${p.bsn}") {
            brp { naam { geslachtsnaam } }
            adres { bag { adres { postcode } adresseerbaarObject { oppervlakte } } vergunningen { soort } bewoners { bsn } }
            vergunningen { soort } }`,
        )
        .join("\n"),
    );
    const sent = await send(h, query, { id: caseId });
    expectAccepted(sent);
    expect(sent.body.errors).toBeUndefined();
    expect(sent.calls).toBeGreaterThan(0);
  });
});

describe("documents too large to parse", () => {
  it("refuses 50,000 __typename and 5,000 directives at the parser", async () => {
    for (const query of [
      `{ ${"__typename ".repeat(50_000)} }`,
      `{ me { subject ${"@include(if: true) ".repeat(5_000)} } }`,
    ]) {
      const sent = await send(h, query);
      expect(sent.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
      expect(sent.body.errors?.[0]?.message).toBe(
        "The document has more than 20000 tokens (LIMIT_MAX_TOKENS).",
      );
      expect(sent.status).toBe(400);
      expect(sent.body.data).toBeUndefined();
      expect(sent.calls).toBe(0);
    }
  });
});

describe("subscriptions", () => {
  it("are refused as BAD_USER_INPUT, without an internal error in the log", async () => {
    const logged = vi.spyOn(h.t.app.logger, "error");
    try {
      const sent = await send(h, "subscription { me { subject } }");
      expect(sent.body.errors?.[0]?.message).toBe("Subscriptions are not supported.");
      expect(sent.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
      expect(sent.status).toBe(400);
      expect(sent.body.data).toBeUndefined();
      expect(logged).not.toHaveBeenCalled();
      expect(await recordsOf(h, sent.traceId)).toMatchObject([
        { kind: "denial", decision: "deny", operation: "graphql.limits" },
      ]);
    } finally {
      logged.mockRestore();
    }
  });
});

describe("the limits are settings", () => {
  let small: HttpApp;
  beforeAll(async () => {
    small = await startHttpApp({ env: { LIMIT_MAX_DEPTH: "5", LIMIT_MAX_HOPS: "0" } });
  });
  afterAll(() => small.close());

  it("refuses what its own settings exceed", async () => {
    const id = (await small.t.demoCase("regie")).id;
    const deep = caseQuery(
      `persoon(bsn: "${bsnOf(small)}") { brp { verblijfplaats { verblijfadres { postcode } } } }`,
    );
    const message = await expectRefused(await send(small, deep, { id }), "LIMIT_MAX_DEPTH", small);
    expect(message).toContain("6 fields deep, at most 5 (LIMIT_MAX_DEPTH)");
    const hop = caseQuery(`persoon(bsn: "${bsnOf(small)}") { adres { hits { probe } } }`);
    await expectRefused(await send(small, hop, { id }), "1 hop deep, at most 0 (LIMIT_MAX_HOPS)", small);
    expectAccepted(
      await send(small, caseQuery(`persoon(bsn: "${bsnOf(small)}") { brp { burgerservicenummer } }`), { id }),
    );
  });
});

describe("a refusal that cannot be recorded", () => {
  it("is INTERNAL_SERVER_ERROR: no log, no answer", async () => {
    const config = loadConfig({ DEMO_MODE: "true" });
    if (!config.ok) throw new Error(config.error.problems.join("; "));
    const plugin = operationLimitsPlugin(buildSchema(), config.value.limits);
    const listener = await plugin.requestDidStart?.({} as never);
    const document = parse(`{ case(id: "1") { persoon(bsn: "1") { ${hopChain(8)} } } }`);
    const append = vi.fn(() => Promise.resolve(err({ kind: "audit_write_failed", reason: "down" })));
    const contextValue = {
      actor: { subject: "analist.jansen", roles: ["analyst"] },
      traceId: "0".repeat(31) + "1",
      policy: {
        hash: "h",
        processingActivities: { forWork: () => "poortwachter.gateway.v1", forPhase: () => "x" },
      },
      audit: { append },
    };
    await expect(
      listener?.didResolveOperation?.({
        operation: getOperationAST(document),
        document,
        request: {},
        contextValue,
      } as never),
    ).rejects.toMatchObject({ extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(append).toHaveBeenCalledTimes(1);
  });
});
