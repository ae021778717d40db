import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Issue 10, attack 5: `verify` was an oracle. One request in DEMO-intake with an alias per day of
 * a decade, `verify(input: { geboortedatum: "<day>" })` on one BSN, answered MATCH for exactly one
 * date: the BRP's birth date, read out through the mode that exists never to reveal a BRP value.
 * Now each element of a person is verified in a case with its first value and at most
 * VERIFY_MAX_CHANGES (default 1) other values; a further value refuses the whole call (FORBIDDEN,
 * a denial record, nothing asked upstream). Over real HTTP, with 40 dates (the right one late)
 * so that no alias limit of the operation decides the outcome.
 */
let h: HttpApp;
let owner: string;
let resident: string;
let other: string;
let birth: string;
let cases = 0;

beforeAll(async () => {
  h = await startHttpApp();
  owner = await h.t.token("analist.jansen", "analyst");
  const m = h.t.app.demo!.municipality;
  resident = m.wellKnown.residentBsn;
  const d = m.personByBsn(resident)!.geboortedatum;
  birth = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  other = [...m.persons()].find((p) => p.bsn !== resident && p.overlijdensdatum === undefined)!.bsn;
});
afterAll(() => h.close());

/** A new case in intake, owned by the analyst: each test starts without verified values. */
async function newCase(): Promise<string> {
  const r = await h.post(
    `mutation($r: String!, $s: [String!]) { openCase(input: { reference: $r, motivation: "Signal received.", subjects: $s }) { id phase } }`,
    { token: owner, variables: { r: `VERIFY-${++cases}`, s: [`persoon:${resident}`, `persoon:${other}`] } },
  );
  expect(r.body.errors, JSON.stringify(r.body)).toBeUndefined();
  const opened = (r.body.data as { openCase: { id: string; phase: string } }).openCase;
  expect(opened.phase).toBe("intake");
  return opened.id;
}

/** Other days than the birth date: the same year, from 1 January on, skipping it. */
function wrongDates(n: number): string[] {
  const dates: string[] = [];
  for (let t = Date.UTC(Number(birth.slice(0, 4)), 0, 1); dates.length < n; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (day !== birth) dates.push(day);
  }
  return dates;
}

const brpCalls = () => h.t.app.demo!.simulators.brp.requestCount();

type Verification = {
  overall: string;
  naam: string | null;
  geboortedatum: string | null;
  adres: string | null;
};

/** One verify call in its own request. */
async function verify(caseId: string, input: Record<string, unknown>, bsn = resident) {
  const before = brpCalls();
  const r = await h.post(
    `query($id: ID!, $bsn: String!, $in: VerifyInput!) { case(id: $id) { persoon(bsn: $bsn) {
      verify(input: $in) { overall naam geboortedatum adres } } } }`,
    { token: owner, variables: { id: caseId, bsn, in: input } },
  );
  const data = r.body.data as { case: { persoon: { verify: Verification } } | null } | null | undefined;
  return {
    answer: data?.case?.persoon.verify ?? null,
    codes: (r.body.errors ?? []).map((e) => e.extensions?.code),
    brpCalls: brpCalls() - before,
    text: JSON.stringify(r.body),
  };
}

const denials = (caseId: string) =>
  h.t.app.db.query<{
    reason: string;
    fields: string[];
    detail: Record<string, unknown>;
    subject_pseudonym: string;
  }>(
    `SELECT reason, fields, detail, subject_pseudonym FROM audit_log
      WHERE case_id = $1 AND kind = 'denial' AND operation = 'brp.verify' ORDER BY seq`,
    [caseId],
  );

describe("verify is no oracle", () => {
  it("one request with 40 birth dates, the right one late, reads out nothing", async () => {
    const caseId = await newCase();
    const dates = wrongDates(39);
    dates.splice(35, 0, birth);
    const before = brpCalls();
    const r = await h.post(
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { ${dates
        .map((d, i) => `v${i}: verify(input: { geboortedatum: "${d}" }) { geboortedatum }`)
        .join(" ")} } } }`,
      { token: owner, variables: { id: caseId, bsn: resident } },
    );
    const text = JSON.stringify(r.body);
    // Without the limit every alias answered and exactly one said MATCH.
    expect(text).not.toContain('"MATCH"');
    // A refused verify is null in a non-null place: the case answers null, with FORBIDDEN.
    expect(r.body.data).toEqual({ case: null });
    expect(r.body.errors?.length).toBeGreaterThan(0);
    expect(r.body.errors?.every((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
    // At most one BRP call (the admitted values share the request's loader).
    expect(brpCalls() - before).toBeLessThanOrEqual(1);
    const records = await denials(caseId);
    expect(records).toHaveLength(dates.length - 2);
    for (const d of records) {
      expect(d.reason).toMatch(/geboortedatum of this person already verified with 2 different value\(s\)/);
      expect(d.reason).toMatch(/VERIFY_MAX_CHANGES=1/);
      expect(d.reason).toMatch(/Maastricht art\. 14/);
      expect(d.fields).toEqual(["geboortedatum"]);
      expect(d.detail).toEqual({
        setting: "VERIFY_MAX_CHANGES",
        maxChanges: 1,
        rule: "limits.verifyChanges",
        flag: "verifyChanges",
        // The asserted values only as a keyed fingerprint (issue 13, pattern.verifyVariants).
        valueSet: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(d.subject_pseudonym).toBe(h.t.app.audit.pseudonymise(resident, "bsn"));
    }
    // One fingerprint per date asked, none of them holding the date.
    expect(new Set(records.map((d) => d.detail["valueSet"])).size).toBe(records.length);
    for (const date of dates) expect(JSON.stringify(records)).not.toContain(date);
    // Asked one by one afterwards, exactly the two recorded dates answer; the birth date stays refused.
    const answered: string[] = [];
    for (const d of dates) if ((await verify(caseId, { geboortedatum: d })).answer) answered.push(d);
    expect(answered).toHaveLength(2);
    expect((await verify(caseId, { geboortedatum: birth })).codes).toEqual(
      answered.includes(birth) ? [] : ["FORBIDDEN"],
    );
  });

  it("one date after another: the first and one correction answer, the third is refused before the BRP is asked", async () => {
    const caseId = await newCase();
    const [a, b] = wrongDates(2);
    const first = await verify(caseId, { geboortedatum: a });
    expect(first.answer).toMatchObject({ overall: "NO_MATCH", geboortedatum: "NO_MATCH" });
    expect(first.brpCalls).toBe(1);
    expect((await verify(caseId, { geboortedatum: b })).answer).toMatchObject({ geboortedatum: "NO_MATCH" });

    const third = await verify(caseId, { geboortedatum: birth });
    expect(third.answer).toBeNull();
    expect(third.codes).toEqual(["FORBIDDEN"]);
    expect(third.brpCalls).toBe(0);
    expect(third.text).not.toContain("MATCH");
    expect(await denials(caseId)).toHaveLength(1);

    // The same values again are fine, as often as asked.
    for (const d of [a, b, a])
      expect((await verify(caseId, { geboortedatum: d })).answer?.geboortedatum).toBe("NO_MATCH");
    // Another element of the same person has its own count.
    expect((await verify(caseId, { geslachtsnaam: "Zzyzx" })).answer?.naam).toBe("NO_MATCH");
    // A call that gives a refused element is refused as a whole, and records none of its values.
    const mixed = await verify(caseId, { geslachtsnaam: "Qwerty", geboortedatum: birth });
    expect(mixed.codes).toEqual(["FORBIDDEN"]);
    expect(mixed.brpCalls).toBe(0);
    expect((await verify(caseId, { geslachtsnaam: "Asdfgh" })).answer?.naam).toBe("NO_MATCH");
    expect((await verify(caseId, { geslachtsnaam: "Qwerty" })).codes).toEqual(["FORBIDDEN"]);
    expect(await denials(caseId)).toHaveLength(3);
  });

  it("counts per subject and per case", async () => {
    const caseId = await newCase();
    for (const d of wrongDates(2)) expect((await verify(caseId, { geboortedatum: d })).answer).not.toBeNull();
    expect((await verify(caseId, { geboortedatum: birth })).codes).toEqual(["FORBIDDEN"]);
    // Another person in the same case.
    for (const d of wrongDates(2))
      expect((await verify(caseId, { geboortedatum: d }, other)).answer).not.toBeNull();
    // The same person in another case that names them too.
    const another = await newCase();
    expect((await verify(another, { geboortedatum: birth })).answer?.geboortedatum).toBe("MATCH");
  });

  it("keeps no value in the clear", async () => {
    const caseId = await newCase();
    await verify(caseId, {
      geslachtsnaam: "Zzyzx-Onbekend",
      geboortedatum: birth,
      postcode: "6211AB",
      huisnummer: 7,
    });
    const rows = await h.t.app.db.query("SELECT * FROM verify_values WHERE case_id = $1", [caseId]);
    expect(rows).toHaveLength(3);
    const text = JSON.stringify(rows).toLowerCase();
    for (const plain of ["zzyzx", birth, "6211ab", resident]) expect(text).not.toContain(plain.toLowerCase());
  });
});

describe("VERIFY_MAX_CHANGES", () => {
  it("defaults to 1 and takes 0 to 10", () => {
    const config = (env: Record<string, string>) => loadConfig({ DEMO_MODE: "true", ...env });
    const value = (env: Record<string, string>) => {
      const c = config(env);
      return c.ok ? c.value.verifyMaxChanges : c.error.problems.join("; ");
    };
    expect(value({})).toBe(1);
    expect(value({ VERIFY_MAX_CHANGES: "0" })).toBe(0);
    expect(value({ VERIFY_MAX_CHANGES: "10" })).toBe(10);
    expect(value({ VERIFY_MAX_CHANGES: "11" })).toMatch(/^VERIFY_MAX_CHANGES: /);
    expect(value({ VERIFY_MAX_CHANGES: "-1" })).toMatch(/^VERIFY_MAX_CHANGES: /);
  });
});
