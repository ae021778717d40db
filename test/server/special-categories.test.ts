import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Maastricht art. 6.4: special personal data are not registered; a signal that carries them is
 * anonymised. `openCase` screens its signal text (the motivation) with the term lists of
 * policies/special-categories/ before anything is stored: a hit is BAD_USER_INPUT naming the
 * category and the span, never the words, and nothing is written. `anonymised: true` with a
 * motivation lets a reviewed text through, with an audit record of categories and spans.
 * Over real HTTP against the demo gateway.
 */
let h: HttpApp;
let owner: string;
let refs = 0;
beforeAll(async () => {
  h = await startHttpApp();
  owner = await h.t.token("analist.jansen", "analyst");
});
afterAll(() => h.close());

const OPEN = `mutation($in: OpenCaseInput!) { openCase(input: $in) { id reference phase } }`;

async function open(motivation: string, extra: Record<string, unknown> = {}) {
  const reference = `SPECIAL-${++refs}`;
  const r = await h.post(OPEN, { token: owner, variables: { in: { reference, motivation, ...extra } } });
  return { reference, body: r.body, text: JSON.stringify(r.body) };
}

/** Rows of every table a case opening writes to. */
async function written() {
  const n = async (table: string) =>
    Number((await h.t.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);
  return { cases: await n("cases"), events: await n("case_events"), audit: await n("audit_log") };
}

describe("a signal text with special personal data is refused", () => {
  // [category, signal text, the words the screening must find first, label and article]
  const cases: [string, string, string, string][] = [
    ["health", "Bewoner is verslaafd en woont boven de loods.", "verslaafd", "health data (GDPR art. 9(1))"],
    [
      "religion",
      "Melding: de moskeebestuurder huurt het pand.",
      "moskeebestuurder",
      "religious beliefs (GDPR art. 9(1))",
    ],
    [
      "ethnicity",
      "Huurders van Poolse afkomst in de loods.",
      "Poolse",
      "racial or ethnic origin (GDPR art. 9(1))",
    ],
    [
      "sexual orientation",
      "Een homostel huurt de bovenwoning.",
      "homostel",
      "sexual orientation or sex life (GDPR art. 9(1))",
    ],
    [
      "political opinion",
      "De huurder is partijlid en verhuurt door.",
      "partijlid",
      "political opinions (GDPR art. 9(1))",
    ],
    [
      "union membership",
      "Eigenaar is vakbondsleider, pand staat leeg.",
      "vakbondsleider",
      "trade union membership (GDPR art. 9(1))",
    ],
    [
      "biometrics",
      "Op de deur zijn vingerafdrukken gevonden.",
      "vingerafdrukken",
      "genetic or biometric data (GDPR art. 9(1))",
    ],
    [
      "criminal data",
      "Exploitant heeft een strafblad, zegt de buurt.",
      "strafblad",
      "criminal data (GDPR art. 10)",
    ],
  ];
  it.each(cases)(
    "%s: refused naming category and span, nothing written",
    async (_, motivation, words, label) => {
      const before = await written();
      const r = await open(motivation);
      expect(r.body.data).toBeNull();
      expect(r.body.errors).toHaveLength(1);
      const error = r.body.errors?.[0];
      expect(error?.extensions?.code).toBe("BAD_USER_INPUT");
      // The span as the analyst reads it: from 1, both ends included.
      const from = motivation.indexOf(words) + 1;
      expect(error?.message).toContain(
        `motivation: characters ${from}-${from + words.length - 1} look like ${label}`,
      );
      expect(error?.message).toMatch(/anonymise them or confirm the text is anonymised/);
      expect(r.text).not.toContain(words);
      expect(await written()).toEqual(before);
    },
  );

  it("an innocent signal opens as before", async () => {
    const r = await open("Melding over een café aan de Kerkstraat met veel bezoekers na sluitingstijd.");
    expect(r.body.errors, r.text).toBeUndefined();
  });
});

describe("the confirmed-anonymised path", () => {
  const motivation = "Bewoner van de Kerkstraat is ziek (diagnose onbekend), zegt de melder.";
  const ziek = motivation.indexOf("ziek");
  const diagnose = motivation.indexOf("diagnose");

  it("lets a reviewed text through, audited with categories and spans but not the words", async () => {
    const r = await open(motivation, {
      anonymised: true,
      anonymisedMotivation: "Reviewed: it names no person, the reporter is not identifiable.",
    });
    expect(r.body.errors, r.text).toBeUndefined();
    const id = (r.body.data as { openCase: { id: string } }).openCase.id;
    const rows = await h.t.app.db.query<{
      actor: string;
      kind: string;
      decision: string;
      reason: string;
      detail: unknown;
    }>("SELECT actor, kind, decision, reason, detail FROM audit_log WHERE case_id = $1 AND operation = $2", [
      id,
      "case.open.anonymised_confirmed",
    ]);
    expect(rows).toEqual([
      {
        actor: "analist.jansen",
        kind: "case",
        decision: "allow",
        reason: "Reviewed: it names no person, the reporter is not identifiable.",
        detail: {
          argument: "motivation",
          categories: ["health"],
          hits: [
            { category: "health", article: "GDPR art. 9(1)", start: ziek, end: ziek + 4 },
            { category: "health", article: "GDPR art. 9(1)", start: diagnose, end: diagnose + 8 },
          ],
        },
      },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/ziek|diagnose/);
    // Written with the case, in the same transaction as the opening.
    const opened = await h.t.app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND operation = 'case.open'",
      [id],
    );
    expect(opened[0]?.n).toBe(1);
  });

  it("a confirmation without motivation, or a motivation without confirmation, is refused", async () => {
    const before = await written();
    const bare = await open(motivation, { anonymised: true });
    expect(bare.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bare.body.errors?.[0]?.message).toBe(
      "anonymisedMotivation: required with anonymised: true (at least 3 characters).",
    );
    const loose = await open(motivation, { anonymisedMotivation: "Reviewed." });
    expect(loose.body.errors?.[0]?.message).toBe(
      "anonymisedMotivation: only together with anonymised: true.",
    );
    const no = await open(motivation, { anonymised: false, anonymisedMotivation: "Reviewed." });
    expect(no.body.errors?.[0]?.message).toBe("anonymisedMotivation: only together with anonymised: true.");
    const unconfirmed = await open(motivation, { anonymised: false });
    expect(unconfirmed.body.errors?.[0]?.message).toMatch(
      new RegExp(`^motivation: characters ${ziek + 1}-${ziek + 4} look like health data`),
    );
    expect(await written()).toEqual(before);
  });

  it("the confirmation itself is screened: it is stored in the audit log", async () => {
    const before = await written();
    const r = await open(motivation, { anonymised: true, anonymisedMotivation: "Only ziek, no name." });
    expect(r.body.errors?.[0]?.message).toMatch(
      /^anonymisedMotivation: characters 6-9 look like health data \(GDPR art\. 9\(1\)\); .*: the confirmation says how the text was reviewed without naming such data\.$/,
    );
    expect(r.text).not.toContain("ziek");
    expect(await written()).toEqual(before);
  });
});
