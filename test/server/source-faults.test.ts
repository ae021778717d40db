import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  clearAllRequests,
  FAULTS,
  requestCounts,
  resetAllFaults,
  simulatorOf,
  SOURCES,
  timeoutsEnv,
  type SourceName,
} from "../utils/source-simulators.ts";
import { errorCodes, startTestApp, type GqlResult, type TestApp } from "../utils/test-app.ts";

/**
 * design.md "Hit semantics": a fault in one source leaves the other sources' answers intact and
 * makes its own UNKNOWN (hits) or UPSTREAM_UNAVAILABLE (fields), never NO_HIT or an empty list;
 * for every source and every fault kind of the simulators. Then retries and the circuit breaker,
 * each with an app of its own (the breaker's half-open trial is left to
 * test/sources/http/resilience-breaker.test.ts, which controls time).
 */

// ---------------------------------------------------------------------------------------------
// One query about a person, an object (by address and by BAG id) and a company

const SUBJECTS = ["persoon", "byAddress", "byId", "onderneming"] as const;
type SubjectKey = (typeof SUBJECTS)[number];
/** How the audit log names each subject's kind. */
const SUBJECT_TYPE = { persoon: "bsn", byAddress: "adres", byId: "bagId", onderneming: "kvkNummer" } as const;

const HITS = `query($id: ID!, $bsn: String!, $postcode: String!, $huisnummer: Int!, $aoid: String!, $kvk: String!) {
  case(id: $id) {
    persoon(bsn: $bsn) { hits { source probe result hit } }
    byAddress: object(postcode: $postcode, huisnummer: $huisnummer) { hits { source probe result hit } }
    byId: object(adresseerbaarObjectIdentificatie: $aoid) { hits { source probe result hit } }
    onderneming(kvkNummer: $kvk) { hits { source probe result hit } }
  }
}`;

interface Answer {
  readonly subject: SubjectKey;
  readonly source: string;
  readonly probe: string;
  readonly result: string;
  readonly hit: boolean | null;
}

function answersOf(r: GqlResult): Answer[] {
  expect(r.errors).toBeUndefined();
  const c = (r.data as { case: Record<SubjectKey, { hits: Omit<Answer, "subject">[] } | null> }).case;
  return SUBJECTS.flatMap((subject) => (c[subject]?.hits ?? []).map((h) => ({ subject, ...h })));
}

/**
 * Probes that go through another source first, by design; with that source down they may be
 * UNKNOWN as well, but never NO_HIT (nor anything but what they answer without the fault).
 */
const GOES_THROUGH: readonly { subject: SubjectKey; source: string; via: SourceName }[] = [
  // An object asked by address: the BAG gives the BAG id that Bewoning and the zaakobjecten are asked by.
  { subject: "byAddress", source: "permits", via: "bag" },
  { subject: "byAddress", source: "bewoning", via: "bag" },
  // An object asked by BAG id: the BAG gives the address KVK Zoeken searches (hr.vestigingOpAdres).
  { subject: "byId", source: "hr", via: "bag" },
  // The same for the Kadaster's search by address.
  { subject: "byId", source: "brk", via: "bag" },
  // A company: the Zaken API finds its zaken by RSIN and vestigingsnummers, which only KVK knows.
  { subject: "onderneming", source: "permits", via: "hr" },
  // Issue 16: registers by address (boa) or by BAG id (erfpacht), asked about an object named the other way.
  { subject: "byId", source: "boa", via: "bag" },
  { subject: "byAddress", source: "erfpacht", via: "bag" },
];

/** The municipality's own registers (policies/registers, issue 16) with probes about these subjects. */
const REGISTER_SOURCES = ["uitkeringen", "subsidies", "boa", "erfpacht"];

const viaOf = (a: Answer): SourceName | undefined =>
  GOES_THROUGH.find((d) => d.subject === a.subject && d.source === a.source)?.via;
const outcome = (a: Answer) => ({ result: a.result, hit: a.hit });
const UNKNOWN = { result: "UNKNOWN", hit: null };

/** Every probe of a source in `down` is UNKNOWN; every other one answers as in the baseline. */
function expectOnlyDownSourcesUnknown(
  baseline: readonly Answer[],
  answers: readonly Answer[],
  down: ReadonlySet<string>,
) {
  const key = (a: Answer) => `${a.subject} ${a.probe}`;
  expect(answers.map(key)).toEqual(baseline.map(key));
  answers.forEach((a, i) => {
    const before = baseline[i] as Answer;
    const via = viaOf(a);
    if (down.has(a.source)) expect(outcome(a), key(a)).toEqual(UNKNOWN);
    else if (via !== undefined && down.has(via)) {
      expect(a.result, `${key(a)} goes through ${via}`).not.toBe("NO_HIT");
      expect(outcome(a), `${key(a)} goes through ${via}`).toEqual(
        a.result === "UNKNOWN" ? UNKNOWN : outcome(before),
      );
    } else expect(outcome(a), key(a)).toEqual(outcome(before));
  });
}

// ---------------------------------------------------------------------------------------------
// Fields of every source in the regie case, in one query

const FIELDS_QUERY = `query($id: ID!, $bsn: String!, $aoid: String!, $kvk: String!) {
  case(id: $id) {
    persoon(bsn: $bsn) {
      brp { naam { geslachtsnaam } }
      verblijfplaatshistorie { adresseerbaarObjectIdentificatie datumVan { datum } }
      vergunningen { soort startdatum }
      brk { identificatie }
    }
    object(adresseerbaarObjectIdentificatie: $aoid) {
      bag { adres { postcode huisnummer } adresseerbaarObject { oppervlakte } }
      bewoners { bsn }
      vergunningen { soort startdatum }
      woz { identificatie waarden { vastgesteldeWaarde } }
      kadaster { identificatie }
      brk { identificatie hypotheken { identificatie } }
    }
    onderneming(kvkNummer: $kvk) { handelsregister { naam } vergunningen { soort startdatum } }
  }
}`;

/** Each field of FIELDS_QUERY, the source that answers it and (by design) the source it goes through. */
const FIELDS: readonly { path: readonly string[]; source: SourceName; via?: SourceName }[] = [
  { path: ["persoon", "brp"], source: "brp" },
  { path: ["persoon", "verblijfplaatshistorie"], source: "historie" },
  { path: ["persoon", "vergunningen"], source: "permits" },
  { path: ["object", "bag"], source: "bag" },
  { path: ["object", "bewoners"], source: "bewoning" },
  { path: ["object", "vergunningen"], source: "permits" },
  { path: ["object", "woz"], source: "woz" },
  { path: ["persoon", "brk"], source: "brk" },
  // The Kadaster is searched by the address the BAG gives for the BAG id.
  { path: ["object", "kadaster"], source: "brk", via: "bag" },
  { path: ["object", "brk"], source: "brk", via: "bag" },
  { path: ["onderneming", "handelsregister"], source: "hr" },
  // A company's zaken are found through KVK (RSIN, vestigingsnummers).
  { path: ["onderneming", "vergunningen"], source: "permits", via: "hr" },
];

const valueAt = (r: GqlResult, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (o, k) => (o as Record<string, unknown> | null | undefined)?.[k],
    (r.data as { case?: unknown } | null | undefined)?.case,
  );

// ---------------------------------------------------------------------------------------------

const owner = (t: TestApp) => t.token("analist.jansen", "analyst");

async function subjectVars(t: TestApp) {
  const demo = t.app.demo!;
  const { residentBsn, residentAddress } = demo.municipality.wellKnown;
  return {
    bsn: residentBsn,
    postcode: residentAddress.postcode,
    huisnummer: residentAddress.huisnummer,
    aoid: residentAddress.adresseerbaarObjectIdentificatie,
    kvk: demo.simulators.kvk.register.wellKnown.horecaKvkNummer,
    bronnenonderzoek: (await t.demoCase("bronnenonderzoek")).id,
    regie: (await t.demoCase("regie")).id,
  };
}
type Vars = Awaited<ReturnType<typeof subjectVars>>;

const askHits = async (t: TestApp, token: string, v: Vars) =>
  answersOf(await t.gql(token, HITS, { ...v, id: v.bronnenonderzoek }));

/**
 * Asks everything once and throws the answers away. The first call to each simulator after
 * start-up (connections, lazily built registers, JIT) can take longer than the short timeouts of
 * these tests, all the more when they come in one query; a baseline taken cold may show UNKNOWN.
 */
async function warmUp(t: TestApp, token: string, v: Vars) {
  await t.gql(token, HITS, { ...v, id: v.bronnenonderzoek });
  await t.gql(token, FIELDS_QUERY, { ...v, id: v.regie });
}

describe("a fault in one source", () => {
  let t: TestApp;
  let token: string;
  let v: Vars;
  let baseline: Answer[];
  let fieldsBaseline: GqlResult;

  beforeAll(async () => {
    // No retries and a breaker that stays closed: each fault is seen as it is, and fast.
    t = await startTestApp({
      env: { UPSTREAM_RETRIES: "0", UPSTREAM_BREAKER_FAILURES: "1000", ...timeoutsEnv(800) },
    });
    token = await owner(t);
    v = await subjectVars(t);
    await warmUp(t, token, v);
    baseline = await askHits(t, token, v);
    fieldsBaseline = await t.gql(token, FIELDS_QUERY, { ...v, id: v.regie });
  });
  afterEach(() => resetAllFaults(t.app));
  afterAll(() => t.close());

  it("the baseline: every source answers every subject it can, without UNKNOWN", () => {
    expect(new Set(baseline.map((a) => a.source))).toEqual(
      new Set([...SOURCES.map((s) => s.source), ...REGISTER_SOURCES]),
    );
    expect(baseline.filter((a) => a.result === "UNKNOWN")).toEqual([]);
    for (const subject of SUBJECTS) expect(baseline.some((a) => a.subject === subject)).toBe(true);
    for (const d of GOES_THROUGH)
      expect(baseline.some((a) => a.subject === d.subject && a.source === d.source)).toBe(true);
    expect(fieldsBaseline.errors).toBeUndefined();
    for (const { path } of FIELDS) {
      const value = valueAt(fieldsBaseline, path);
      expect(value, path.join(".")).toBeTruthy();
      if (Array.isArray(value)) expect(value.length, path.join(".")).toBeGreaterThan(0);
    }
  });

  describe.each(SOURCES)("in $source", ({ source }) => {
    it.each(FAULTS)(
      "%s makes its probes UNKNOWN, never NO_HIT, and leaves the others intact",
      async (fault) => {
        clearAllRequests(t.app);
        simulatorOf(t.app, source).setFault(fault);
        const answers = await askHits(t, token, v);
        // The fault was met, not avoided.
        expect(requestCounts(t.app)[source]).toBeGreaterThan(0);
        expect(answers.some((a) => a.source === source)).toBe(true);
        expectOnlyDownSourcesUnknown(baseline, answers, new Set([source]));
      },
    );

    it.each(FAULTS)(
      "%s makes its fields null with UPSTREAM_UNAVAILABLE there, the others intact",
      async (fault) => {
        simulatorOf(t.app, source).setFault(fault);
        const r = await t.gql(token, FIELDS_QUERY, { ...v, id: v.regie });
        const codes = errorCodes(r);
        const failed = new Set<string>();
        for (const field of FIELDS) {
          const at = ["case", ...field.path].join(".");
          const value = valueAt(r, field.path);
          if (field.source === source || (field.via === source && codes[at] !== undefined)) {
            // Never an empty list or an empty record in place of "unknown".
            expect(value, at).toBeNull();
            expect(codes[at], at).toBe("UPSTREAM_UNAVAILABLE");
            failed.add(at);
          } else expect(value, at).toEqual(valueAt(fieldsBaseline, field.path));
        }
        expect(failed.size).toBeGreaterThan(0);
        expect(Object.keys(codes).sort()).toEqual([...failed].sort());
        for (const e of r.errors ?? [])
          expect(e.message).toBe("The source did not answer; the result is unknown.");
      },
    );
  });
});

/** Asks one source's probes about the one subject they concern. */
const PROBE_OF: Record<SourceName, { subject: SubjectKey; probe: string }> = {
  brp: { subject: "persoon", probe: "brp.ingeschreven" },
  bag: { subject: "byId", probe: "bag.adresBestaat" },
  hr: { subject: "onderneming", probe: "hr.ingeschreven" },
  permits: { subject: "persoon", probe: "permits.horeca" },
  bewoning: { subject: "byId", probe: "bewoning.bewoondOpPeildatum" },
  historie: { subject: "persoon", probe: "historie.eerderAdresInGemeente" },
  woz: { subject: "byId", probe: "woz.objectBekend" },
  brk: { subject: "persoon", probe: "brk.eigendomBekend" },
};

const ONE_PROBE: Record<SubjectKey, string> = {
  persoon: `query($id: ID!, $bsn: String!, $probes: [String!]) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: $probes) { probe result hit } } } }`,
  byAddress: `query($id: ID!, $postcode: String!, $huisnummer: Int!, $probes: [String!]) { case(id: $id) { object(postcode: $postcode, huisnummer: $huisnummer) { hits(probes: $probes) { probe result hit } } } }`,
  byId: `query($id: ID!, $aoid: String!, $probes: [String!]) { case(id: $id) { object(adresseerbaarObjectIdentificatie: $aoid) { hits(probes: $probes) { probe result hit } } } }`,
  onderneming: `query($id: ID!, $kvk: String!, $probes: [String!]) { case(id: $id) { onderneming(kvkNummer: $kvk) { hits(probes: $probes) { probe result hit } } } }`,
};

describe("retries", () => {
  let t: TestApp;
  let token: string;
  let v: Vars;

  beforeAll(async () => {
    t = await startTestApp({
      env: { UPSTREAM_RETRIES: "2", UPSTREAM_BREAKER_FAILURES: "1000", ...timeoutsEnv(2000) },
    });
    token = await owner(t);
    v = await subjectVars(t);
    await warmUp(t, token, v);
  });
  afterEach(() => resetAllFaults(t.app));
  afterAll(() => t.close());

  async function ask(source: SourceName) {
    const { subject, probe } = PROBE_OF[source];
    const { bronnenonderzoek, regie: _, ...subjects } = v;
    const r = await t.gql(token, ONE_PROBE[subject], { ...subjects, id: bronnenonderzoek, probes: [probe] });
    expect(r.errors).toBeUndefined();
    const view = Object.values((r.data as { case: Record<string, { hits: unknown[] }> }).case)[0];
    return view?.hits;
  }

  it.each(SOURCES)(
    "$source: a 503 for only the next request is retried, and the probe answers HIT",
    async ({ source }) => {
      const simulator = simulatorOf(t.app, source);
      simulator.clearRequests();
      const probe = PROBE_OF[source].probe;
      expect(await ask(source)).toEqual([{ probe, result: "HIT", hit: true }]);
      const without = simulator.requestCount();
      expect(without).toBeGreaterThan(0);

      simulator.clearRequests();
      simulator.setFault("http503", 1);
      expect(await ask(source)).toEqual([{ probe, result: "HIT", hit: true }]);
      expect(simulator.requestCount()).toBe(without + 1);
      expect(simulator.requests.map((r) => r.status).filter((s) => s !== 200)).toEqual([503]);
    },
  );
});

/**
 * The breaker with a cooldown longer than the test: once open, a source's circuit stays open for
 * the app's life, so each group opens its sources one after the other and checks every time that
 * the circuits opened before stay open and the sources not opened still answer.
 */
describe.each([
  ["brp", "bag", "hr"],
  ["permits", "bewoning", "historie", "brk"],
] as const)("circuit breaker (%s, %s, %s …)", (...group) => {
  let t: TestApp;
  let token: string;
  let v: Vars;
  let baseline: Answer[];
  const open = new Set<SourceName>();

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        UPSTREAM_RETRIES: "0",
        UPSTREAM_BREAKER_FAILURES: "2",
        UPSTREAM_BREAKER_COOLDOWN_MS: "600000",
        ...timeoutsEnv(2000),
      },
    });
    token = await owner(t);
    v = await subjectVars(t);
    await warmUp(t, token, v);
    baseline = await askHits(t, token, v);
    expect(baseline.filter((a) => a.result === "UNKNOWN")).toEqual([]);
  });
  afterEach(() => resetAllFaults(t.app));
  afterAll(() => t.close());

  const circuit = (source: SourceName) => {
    const r = t.app.resilience.find((s) => s.source === source);
    if (!r) throw new Error(`no resilience for ${source}`);
    return r.state().circuit;
  };

  it.each(group)(
    "%s: after failing calls it answers UNKNOWN without calling, the others still answer",
    async (source) => {
      expect(circuit(source)).toBe("closed");
      simulatorOf(t.app, source).setFault("http503");
      for (let i = 0; i < 5 && circuit(source) !== "open"; i++) await askHits(t, token, v);
      expect(circuit(source)).toBe("open");
      open.add(source);

      // The upstream is well again, but the circuit is open: nothing reaches it.
      simulatorOf(t.app, source).setFault("none");
      clearAllRequests(t.app);
      const [last] = await t.app.audit
        .list({ caseId: v.bronnenonderzoek, limit: 100_000 })
        .then((l) => l.slice(-1));
      const answers = await askHits(t, token, v);
      const counts = requestCounts(t.app);
      for (const s of open) expect(counts[s], `requests to ${s}`).toBe(0);
      expectOnlyDownSourcesUnknown(baseline, answers, open);
      for (const s of SOURCES.map((x) => x.source).filter((x) => !open.has(x)))
        expect(circuit(s), `circuit of ${s}`).toBe("closed");

      // The audit log says why: the circuit was open (its own, or that of the source a probe goes
      // through first, e.g. `bag_circuit_open`).
      const records = (
        await t.app.audit.list({ caseId: v.bronnenonderzoek, afterSeq: last?.seq ?? 0 })
      ).filter((r) => r.source === source && r.operation === `${source}.hits`);
      const subjects = SUBJECTS.filter((s) => answers.some((a) => a.subject === s && a.source === source));
      expect(records.map((r) => r.subjectType).sort()).toEqual(subjects.map((s) => SUBJECT_TYPE[s]).sort());
      for (const r of records) {
        const subject = subjects.find((s) => SUBJECT_TYPE[s] === r.subjectType);
        const via = GOES_THROUGH.find((d) => d.subject === subject && d.source === source)?.via;
        const reason = via !== undefined && open.has(via) ? `${via}_circuit_open` : "circuit_open";
        const detail = r.detail as { unknown?: Record<string, string> };
        expect(r.probes?.length).toBeGreaterThan(0);
        expect(detail.unknown, `${subject}`).toEqual(
          Object.fromEntries((r.probes ?? []).map((p) => [p, reason])),
        );
      }
    },
  );
});
