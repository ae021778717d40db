import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../../../src/sources/synthetic/index.ts";
import { addSubjects, personKeys } from "../../utils/case-subjects.ts";
import { statementLog } from "../../utils/statement-log.ts";
import { startTestApp, type TestApp } from "../../utils/test-app.ts";

/**
 * design.md "Scale", for the municipality's own registers (issue 16): 50 persons in one query,
 * with repeated subjects and aliases, ask each register one statement per distinct subject and
 * question, every value a bind parameter.
 */
const statements = statementLog();
let t: TestApp;
let token: string;
let persons: Person[];

beforeAll(async () => {
  t = await startTestApp({ env: { LIMIT_MAX_SUBJECTS: "120" }, wrapDb: statements.wrap });
  token = await t.token("analist.jansen", "analyst");
  persons = [...t.app.demo!.municipality.persons()]
    .filter((p) => p.verblijfplaats?.kind === "adres" && !p.overlijdensdatum)
    .slice(0, 50);
  for (const phase of ["bronnenonderzoek", "regie"])
    await addSubjects(t.app, (await t.demoCase(phase)).id, personKeys(persons.map((p) => p.bsn)));
});
afterAll(() => t.close());

/** One query with two aliased views (`each`) of every person, in the demo case of `phase`. */
async function askAll(phase: string, each: (bsn: string, i: number) => string) {
  const c = await t.demoCase(phase);
  statements.log.length = 0;
  const query = `query($id: ID!) { case(id: $id) { ${persons.map((p, i) => each(p.bsn, i)).join("\n")} } }`;
  return t.gql(token, query, { id: c.id });
}

const registerStatements = () => statements.log.filter((s) => s.sql.includes('"registers_demo"'));
const distinct = (xs: readonly string[]) => new Set(xs).size;

describe("50 persons in one query", () => {
  it("register fields: one statement per distinct person, whatever the aliases", async () => {
    const each = (bsn: string, i: number) =>
      `p${i}: persoon(bsn: "${bsn}") { register(name: "uitkeringen") { value(field: "regeling") } }
       q${i}: persoon(bsn: "${bsn}") { register(name: "uitkeringen") { r: value(field: "regeling") } }`;
    const r = await askAll("regie", each);
    expect(r.errors).toBeUndefined();
    const asked = registerStatements();
    expect(asked.length).toBe(persons.length);
    expect(distinct(asked.map((s) => JSON.stringify(s.params)))).toBe(persons.length);
    // No subject key in the text of any statement: only in its parameters.
    for (const s of asked) for (const p of persons) expect(s.sql).not.toContain(p.bsn);
  });

  it("register probes: one statement per distinct person and probe", async () => {
    const each = (bsn: string, i: number) =>
      `p${i}: persoon(bsn: "${bsn}") { hits(probes: ["uitkeringen.lopend", "uitkeringen.bekend"]) { result } }
       q${i}: persoon(bsn: "${bsn}") { hits(probes: ["uitkeringen.lopend"]) { result } }`;
    const r = await askAll("bronnenonderzoek", each);
    expect(r.errors).toBeUndefined();
    expect(JSON.stringify(r.data)).not.toContain("UNKNOWN");
    const asked = registerStatements();
    expect(asked.length).toBe(persons.length * 2);
    expect(distinct(asked.map((s) => `${s.sql}|${JSON.stringify(s.params)}`))).toBe(persons.length * 2);
  });
});
