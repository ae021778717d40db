import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicySet } from "../../src/policy/index.ts";
import { DEFAULT_CASE_DESTROYERS, RETENTION_RUN_SETTING } from "../../src/retention/index.ts";
import { overlay } from "../policy/policy-fixtures.ts";
import { startHttpApp } from "../utils/http-app.ts";
import { errorCodes, type GqlResult } from "../utils/test-app.ts";

/**
 * Issue 11, the weighing checklist (Maastricht art. 15, 16.1, 16.3, bijlage C; Delft art. 12-15):
 * the steps are data in the protocol file; in the weighing phase the case's RO/AVO records one
 * answer per step; a move from there into source research needs every step answered; the answers
 * are part of the case history. Over real HTTP.
 */
const MAASTRICHT_STEPS = [
  "categorie_personen",
  "kenmerk_ondermijning",
  "lokale_verankering",
  "betrokkenen",
  "signalering",
];
const DELFT_STEPS = [
  "eerste_weging",
  "gemeentelijke_taak",
  "grondgebied",
  "prioriteit",
  "actualiteit",
  "risico_openbare_orde",
  "herkomst",
];

const OPEN = `mutation($r: String!) { openCase(input: { reference: $r, substitute: "analist.devries", motivation: "A signal." }) { id } }`;
const MOVE = `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Per protocol.") { phase } }`;
const CLOSE = `mutation($id: ID!) { closeCase(id: $id, outcome: "ongegrond", motivation: "Not heavy enough.") { status } }`;
const RECORD = `mutation($id: ID!, $answers: [WeighingAnswerInput!]!, $m: String!) {
  recordWeighing(id: $id, answers: $answers, motivation: $m) { id phase } }`;
const WEIGHING = `query($id: ID!) { case(id: $id) {
  weighing { phase gates article complete missing
    steps { id question answers article answer { answer note actor at } history { answer note actor } } }
  transitions { kind from to actor motivation } } }`;

type Weighing = {
  phase: string;
  gates: string[];
  complete: boolean;
  missing: string[];
  steps: {
    id: string;
    answers: string[];
    article: string | null;
    answer: { answer: string; note: string | null; actor: string } | null;
    history: { answer: string; note: string | null; actor: string }[];
  }[];
};
type CaseView = {
  weighing: Weighing | null;
  transitions: { kind: string; from: string | null; to: string | null; actor: string; motivation: string }[];
};

function dataOf<T>(r: { body: GqlResult }, field: string): T {
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  return (r.body.data as Record<string, T>)[field]!;
}

const messages = (r: { body: GqlResult }) => (r.body.errors ?? []).map((e) => e.message).join(" | ");

/** One gateway per protocol file, with an owner and a way to open and move cases. */
async function world(protocolFile?: string) {
  const h = await startHttpApp(protocolFile ? { env: { PROTOCOL_FILE: protocolFile } } : {});
  const owner = await h.t.token("analist.jansen", "analyst");
  const as = (token: string) => ({
    gql: (query: string, variables: Record<string, unknown> = {}) => h.post(query, { token, variables }),
  });
  let n = 0;
  const open = async (through: readonly string[]) => {
    const id = dataOf<{ id: string }>(await as(owner).gql(OPEN, { r: `WEIGH-${++n}` }), "openCase").id;
    for (const to of through) dataOf(await as(owner).gql(MOVE, { id, to }), "transitionCase");
    return id;
  };
  const view = async (id: string, token = owner) =>
    dataOf<CaseView>(await as(token).gql(WEIGHING, { id }), "case");
  /** What a refused call must leave untouched: the answers, the history and the case's version. */
  const footprint = async (id: string) => ({
    answers: (await h.t.app.db.query("SELECT seq FROM weighing_answers WHERE case_id = $1", [id])).length,
    events: (await h.t.app.db.query("SELECT seq FROM case_events WHERE case_id = $1", [id])).length,
    version: (
      await h.t.app.db.query<{ version: number }>("SELECT version FROM cases WHERE id = $1", [id])
    )[0]!.version,
  });
  return { h, owner, as, open, view, footprint };
}

describe("the weighing checklist under Maastricht (bijlage C)", () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.h.close());

  it("is data of the protocol file, shown in ProtocolInfo", async () => {
    const r = await w
      .as(w.owner)
      .gql(`{ protocol { weighing { phase gates article steps { id answers article } } } }`);
    const weighing = dataOf<{ weighing: Weighing }>(r, "protocol").weighing;
    expect(weighing).toMatchObject({ phase: "weging", gates: ["bronnenonderzoek"] });
    expect(weighing.steps.map((s) => s.id)).toEqual(MAASTRICHT_STEPS);
    expect(weighing.steps[0]!.answers).toContain("hennepteelt_drugs");
    expect(weighing.steps.every((s) => s.article?.startsWith("Maastricht bijlage C"))).toBe(true);
  });

  it("gates the move to source research, naming every missing step, and writes nothing", async () => {
    const id = await w.open(["weging"]);
    const before = await w.footprint(id);
    const r = await w.as(w.owner).gql(MOVE, { id, to: "bronnenonderzoek" });
    expect(errorCodes(r.body)).toEqual({ transitionCase: "PHASE_CONFLICT" });
    for (const step of MAASTRICHT_STEPS) expect(messages(r)).toContain(step);
    expect(await w.footprint(id)).toEqual(before);
    const denial = (await w.h.t.app.audit.list({ caseId: id, limit: 100 })).find(
      (a) => a.operation === "case.transition" && a.decision === "deny",
    );
    expect(denial?.detail).toMatchObject({
      from: "weging",
      to: "bronnenonderzoek",
      missing: MAASTRICHT_STEPS,
    });
  });

  it("records answers, names only the steps still missing, and lets the case on once complete", async () => {
    const id = await w.open(["weging"]);
    const first = await w.as(w.owner).gql(RECORD, {
      id,
      answers: [
        { step: "categorie_personen", answer: "openbare_inrichtingen", note: "Exploitant van een bar." },
        { step: "kenmerk_ondermijning", answer: "aantasting_openbare_orde" },
      ],
      m: "First weighing of the signal.",
    });
    expect(dataOf(first, "recordWeighing")).toEqual({ id, phase: "weging" });
    const partial = (await w.view(id)).weighing!;
    expect(partial).toMatchObject({ complete: false, missing: MAASTRICHT_STEPS.slice(2) });
    expect(partial.steps[0]!.answer).toMatchObject({
      answer: "openbare_inrichtingen",
      note: "Exploitant van een bar.",
      actor: "analist.jansen",
    });

    const refused = await w.as(w.owner).gql(MOVE, { id, to: "bronnenonderzoek" });
    expect(errorCodes(refused.body)).toEqual({ transitionCase: "PHASE_CONFLICT" });
    expect(messages(refused)).toContain("lokale_verankering, betrokkenen, signalering");
    expect(messages(refused)).not.toContain("categorie_personen");

    // The substitute is one of the case's analysts too; a later answer supersedes, history kept.
    const substitute = await w.h.t.token("analist.devries", "analyst");
    dataOf(
      await w.as(substitute).gql(RECORD, {
        id,
        answers: [
          { step: "categorie_personen", answer: "hennepteelt_drugs" },
          { step: "lokale_verankering", answer: "zakelijke_omgeving" },
          { step: "betrokkenen", answer: "netwerk" },
          { step: "signalering", answer: "incongruenties", note: "Omzet past niet bij de bezoekers." },
        ],
        m: "Rest of the checklist.",
      }),
      "recordWeighing",
    );
    const done = await w.view(id);
    expect(done.weighing).toMatchObject({ complete: true, missing: [] });
    const step1 = done.weighing!.steps[0]!;
    expect(step1.answer).toMatchObject({ answer: "hennepteelt_drugs", note: null, actor: "analist.devries" });
    expect(step1.history.map((a) => [a.answer, a.actor])).toEqual([
      ["openbare_inrichtingen", "analist.jansen"],
      ["hennepteelt_drugs", "analist.devries"],
    ]);

    expect(dataOf(await w.as(w.owner).gql(MOVE, { id, to: "bronnenonderzoek" }), "transitionCase")).toEqual({
      phase: "bronnenonderzoek",
    });
    // Part of the case history: two weighings, then the move.
    const history = (await w.view(id)).transitions.map((e) => [e.kind, e.from, e.to, e.actor, e.motivation]);
    expect(history.slice(-3)).toEqual([
      ["weighed", "weging", null, "analist.jansen", "First weighing of the signal."],
      ["weighed", "weging", null, "analist.devries", "Rest of the checklist."],
      ["transitioned", "weging", "bronnenonderzoek", "analist.jansen", "Per protocol."],
    ]);
    // The privacy officer reads the history (case.history): the weighing is context for the advice.
    const officer = await w.h.t.token("privacy.officer", "privacy_officer");
    expect((await w.view(id, officer)).weighing).toMatchObject({ complete: true });
    // Audited as case.weighing, with the answer ids but not the notes.
    const audited = (await w.h.t.app.audit.list({ caseId: id, limit: 100 })).filter(
      (a) => a.operation === "case.weighing" && a.decision === "allow",
    );
    expect(audited.map((a) => a.detail)).toEqual([
      {
        phase: "weging",
        answers: {
          categorie_personen: "openbare_inrichtingen",
          kenmerk_ondermijning: "aantasting_openbare_orde",
        },
        complete: false,
        missing: MAASTRICHT_STEPS.slice(2),
      },
      {
        phase: "weging",
        answers: {
          categorie_personen: "hennepteelt_drugs",
          lokale_verankering: "zakelijke_omgeving",
          betrokkenen: "netwerk",
          signalering: "incongruenties",
        },
        complete: true,
        missing: [],
      },
    ]);
    expect(JSON.stringify(audited)).not.toContain("Omzet past niet");
    // After the move the checklist is closed for new answers.
    const late = await w.as(w.owner).gql(RECORD, {
      id,
      answers: [{ step: "betrokkenen", answer: "persoon" }],
      m: "Too late.",
    });
    expect(errorCodes(late.body)).toEqual({ recordWeighing: "BAD_USER_INPUT" });
    expect(messages(late)).toMatch(
      /phase bronnenonderzoek; the weighing checklist is answered in phase weging/,
    );
  });

  it("refuses an unknown step, an answer the step does not allow, a BSN in a note or the wrong phase, before any write", async () => {
    const id = await w.open(["weging"]);
    const before = await w.footprint(id);
    const bsn = w.h.t.app.demo!.municipality.wellKnown.residentBsn;
    const ok = { step: "betrokkenen", answer: "persoon" };
    const cases: [Record<string, unknown>[], RegExp][] = [
      [
        [ok, { step: "stap_9", answer: "ja" }],
        /answers\[1\]\.step: "stap_9" is not a step of the checklist; it has categorie_personen/,
      ],
      [
        [ok, { step: "signalering", answer: "misschien" }],
        /answers\[1\]\.answer: "misschien" is not an answer of step signalering; it allows incongruenties/,
      ],
      [[ok, { ...ok, answer: "groep" }], /answers\[1\]\.step: betrokkenen is answered twice/],
      [[{ ...ok, note: `Zie ${bsn}.` }], /answers\[0\]\.note: must not contain a BSN/],
      [[{ ...ok, note: "x".repeat(501) }], /answers\[0\]\.note: at most 500 characters/],
      [[], /answers: give at least one answer/],
    ];
    for (const [answers, message] of cases) {
      const r = await w.as(w.owner).gql(RECORD, { id, answers, m: "Weighing." });
      expect(errorCodes(r.body), JSON.stringify(answers)).toEqual({ recordWeighing: "BAD_USER_INPUT" });
      expect(messages(r)).toMatch(message);
    }
    const noMotivation = await w.as(w.owner).gql(RECORD, { id, answers: [ok], m: " " });
    expect(errorCodes(noMotivation.body)).toEqual({ recordWeighing: "BAD_USER_INPUT" });
    expect(await w.footprint(id)).toEqual(before);

    const intake = await w.open([]);
    const inIntake = await w.footprint(intake);
    const early = await w.as(w.owner).gql(RECORD, { id: intake, answers: [ok], m: "Too early." });
    expect(errorCodes(early.body)).toEqual({ recordWeighing: "BAD_USER_INPUT" });
    expect(messages(early)).toMatch(
      /id: the case is in phase intake; the weighing checklist is answered in phase weging/,
    );
    expect(await w.footprint(intake)).toEqual(inIntake);
  });

  it("is answered only by the case's own analysts: other analysts and other roles are refused, nothing written", async () => {
    const id = await w.open(["weging"]);
    const before = await w.footprint(id);
    const answers = [{ step: "betrokkenen", answer: "persoon" }];
    for (const [sub, role, code] of [
      ["analist.bakker", "analyst", "NOT_FOUND"],
      ["privacy.officer", "privacy_officer", "FORBIDDEN"],
      ["coordinator", "coordinator", "FORBIDDEN"],
      ["fg", "dpo", "FORBIDDEN"],
      ["beheerder", "beheerder", "FORBIDDEN"],
    ] as const) {
      const token = await w.h.t.token(sub, role);
      const r = await w.as(token).gql(RECORD, { id, answers, m: "Not mine." });
      expect(errorCodes(r.body), `${sub} (${role})`).toEqual({ recordWeighing: code });
    }
    expect(await w.footprint(id)).toEqual(before);
    // The foreign analyst does not even learn the case exists, and reads no checklist.
    const foreign = await w.h.t.token("analist.bakker", "analyst");
    expect(errorCodes((await w.as(foreign).gql(WEIGHING, { id })).body)).toEqual({ case: "NOT_FOUND" });
  });

  it("does not gate closing from weging (art. 16.2), and a closed case takes no answers", async () => {
    const id = await w.open(["weging"]);
    expect(dataOf(await w.as(w.owner).gql(CLOSE, { id }), "closeCase")).toEqual({ status: "CLOSED" });
    const r = await w.as(w.owner).gql(RECORD, {
      id,
      answers: [{ step: "betrokkenen", answer: "persoon" }],
      m: "After closing.",
    });
    expect(errorCodes(r.body)).toEqual({ recordWeighing: "PHASE_CONFLICT" });
  });

  it("keeps the answers append-only; the purge blanks notes and actors and keeps the answers", async () => {
    const id = await w.open(["weging"]);
    dataOf(
      await w.as(w.owner).gql(RECORD, {
        id,
        answers: [{ step: "betrokkenen", answer: "familie", note: "Broers." }],
        m: "Weighing.",
      }),
      "recordWeighing",
    );
    const db = w.h.t.app.db;
    await expect(
      db.query("UPDATE weighing_answers SET answer = 'netwerk' WHERE case_id = $1", [id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query("DELETE FROM weighing_answers WHERE case_id = $1", [id])).rejects.toThrow(
      /append-only/,
    );
    const destroyed = await db.transaction(async (tx) => {
      await tx.query("SELECT set_config($1, 'test-run', true)", [RETENTION_RUN_SETTING]);
      const counts: Record<string, number> = {};
      for (const destroy of DEFAULT_CASE_DESTROYERS) Object.assign(counts, await destroy(tx, id));
      return counts;
    });
    expect(destroyed.weighing_answers).toBe(1);
    expect(
      await db.query("SELECT step, answer, note, actor FROM weighing_answers WHERE case_id = $1", [id]),
    ).toEqual([{ step: "betrokkenen", answer: "familie", note: null, actor: "[destroyed]" }]);
  });
});

describe("the weighing checklist under Delft (art. 12-15)", () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world("protocol-delft.yaml");
  });
  afterAll(() => w.h.close());

  it("gates zwaarte -> bronnenonderzoek with Delft's own steps and lets the case on once complete", async () => {
    const id = await w.open(["zwaarte"]);
    const refused = await w.as(w.owner).gql(MOVE, { id, to: "bronnenonderzoek" });
    expect(errorCodes(refused.body)).toEqual({ transitionCase: "PHASE_CONFLICT" });
    for (const step of DELFT_STEPS) expect(messages(refused)).toContain(step);
    expect(messages(refused)).toContain("Delft art. 12-15");

    const wrong = await w.as(w.owner).gql(RECORD, {
      id,
      answers: [{ step: "categorie_personen", answer: "geen" }],
      m: "Maastricht's step.",
    });
    expect(errorCodes(wrong.body)).toEqual({ recordWeighing: "BAD_USER_INPUT" });
    expect(messages(wrong)).toMatch(
      /"categorie_personen" is not a step of the checklist; it has eerste_weging/,
    );

    const answers = [
      { step: "eerste_weging", answer: "ja" },
      { step: "gemeentelijke_taak", answer: "ja" },
      { step: "grondgebied", answer: "subject_binnen_gemeente" },
      { step: "prioriteit", answer: "ja" },
      { step: "actualiteit", answer: "nee" },
      { step: "risico_openbare_orde", answer: "ja" },
      { step: "herkomst", answer: "riec_informatieverzoek" },
    ];
    dataOf(await w.as(w.owner).gql(RECORD, { id, answers, m: "Derde weging." }), "recordWeighing");
    expect((await w.view(id)).weighing).toMatchObject({ phase: "zwaarte", complete: true, missing: [] });
    expect(dataOf(await w.as(w.owner).gql(MOVE, { id, to: "bronnenonderzoek" }), "transitionCase")).toEqual({
      phase: "bronnenonderzoek",
    });
  });
});

describe("the weighing key of a protocol file", () => {
  /** Loads the policy folder with protocol.yaml's `weighing:` block edited; the problems it gives. */
  async function problemsWith(edit: (block: string) => string) {
    const { dir, cleanup } = overlay();
    try {
      const file = join(dir, "protocol.yaml");
      const text = readFileSync(file, "utf8");
      const start = text.indexOf("weighing:\n");
      const end = text.indexOf("\n# Only forward moves.");
      expect(start).toBeGreaterThan(0);
      writeFileSync(file, text.slice(0, start) + edit(text.slice(start, end)) + text.slice(end));
      const result = await loadPolicySet(dir);
      return result.ok ? [] : result.error.problems;
    } finally {
      cleanup();
    }
  }

  it.each([
    [
      "an unknown phase",
      (b: string) => b.replace("phase: weging", "phase: wegen"),
      "weighing.phase",
      /unknown phase wegen/,
    ],
    [
      "the closed phase",
      (b: string) => b.replace("phase: weging", "phase: afgesloten"),
      "weighing.phase",
      /a closed case is not weighed/,
    ],
    [
      "an unknown gate",
      (b: string) => b.replace("gates: [bronnenonderzoek]", "gates: [bronnen]"),
      "weighing.gates[0]",
      /unknown phase bronnen/,
    ],
    [
      "a gate no move from weging reaches",
      (b: string) => b.replace("gates: [bronnenonderzoek]", "gates: [regie]"),
      "weighing.gates[0]",
      /no transition leads from weging to regie/,
    ],
    [
      "the weighing phase as its own gate",
      (b: string) => b.replace("gates: [bronnenonderzoek]", "gates: [weging]"),
      "weighing.gates[0]",
      /cannot gate itself/,
    ],
    [
      "a duplicate step id",
      (b: string) => b.replace("id: signalering", "id: betrokkenen"),
      "weighing.steps[4].id",
      /duplicate step id betrokkenen/,
    ],
    [
      "a duplicate answer",
      (b: string) => b.replace("[locatie, persoon,", "[locatie, locatie,"),
      "weighing.steps[3].answers[1]",
      /duplicate answer locatie in step betrokkenen/,
    ],
    [
      "an answer that is not an id",
      (b: string) => b.replace("[locatie, persoon,", "[Locatie!, persoon,"),
      "weighing.steps[3].answers[0]",
      /lower-case word/,
    ],
  ])("refuses %s, naming file and place", async (_, edit, path, reason) => {
    const problems = await problemsWith(edit);
    const problem = problems.find((p) => p.file === "protocol.yaml" && p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.reason).toMatch(reason);
  });

  it("accepts both protocol files as they are", async () => {
    expect(await problemsWith((b) => b)).toEqual([]);
    const delft = await loadPolicySet(join(import.meta.dirname, "../../policies"), {
      protocolFile: "protocol-delft.yaml",
    });
    expect(delft.ok ? delft.value.protocol.weighing?.steps.map((s) => s.id) : delft.error.problems).toEqual(
      DELFT_STEPS,
    );
  });
});
