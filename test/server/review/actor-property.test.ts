import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseRepository, type CaseRecord, type PrivacyCheckRecord } from "../../../src/cases/index.ts";
import type { LoadedPolicySet } from "../../../src/policy/index.ts";
import { ROLES, type Role } from "../../../src/shared/index.ts";
import { startTestApp, type GqlResult, type TestApp } from "../../utils/test-app.ts";

/**
 * Issue 10, "done when": over random actors (every role and pairs of roles, with and without the
 * case's owner or substitute as `sub`, every department and an unknown one) and random operations
 * (aliases, named and inline fragments, hops, repeated subjects), no actor ever receives a leaf,
 * a hit or a verify element that its own roles' rules and the approvals naming it do not allow.
 *
 * The oracle below is written from the policy files' data (rules, maxima, probes) and the case's
 * checks as stored, not from the gateway's ability: for each of the actor's roles, that role's
 * standing alone (scope `assigned`: the actor is owner or substitute; scope `shared`: the check
 * names the actor's department), and a check's subjects. It is an upper bound: the gateway may
 * give less (several roles decided by different rules get nothing), never more.
 */
let t: TestApp;
let policy: LoadedPolicySet;
let cases: CaseRecord[];
let checks: Map<string, PrivacyCheckRecord[]>;
let resident: string;
let other: string;
let relative: string;

const SUBS = ["analist.jansen", "analist.devries", "analist.bakker", "medewerker.x"] as const;

beforeAll(async () => {
  t = await startTestApp();
  policy = t.app.policy;
  const m = t.app.demo!.municipality;
  resident = m.wellKnown.residentBsn;
  other = m.wellKnown.elsewhereBsn;
  const person = m.personByBsn(resident)!;
  relative = person.partners[0]?.bsn ?? person.ouders[0]?.bsn ?? person.kinderen[0] ?? other;
  cases = await Promise.all(
    ["intake", "weging", "bronnenonderzoek", "regie", "afgesloten"].map((p) => t.demoCase(p)),
  );
  checks = new Map();
  for (const c of cases) checks.set(c.id, await caseRepository.checksForCase(t.app.db, c.id));
});
afterAll(() => t.close());

interface Actor {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly department: string | undefined;
}

/** Approvals in effect: approved (in part) and the case inside the check kind's phases. */
const inEffect = (c: CaseRecord): PrivacyCheckRecord[] =>
  (checks.get(c.id) ?? []).filter(
    (k) =>
      (k.status === "approved" || k.status === "partially_approved") &&
      (policy.protocol.checks.find((d) => d.kind === k.kind)?.phases ?? []).includes(c.phase),
  );

const scopeOf = (role: Role) => policy.roles[role].caseScope;
const assigned = (a: Actor, c: CaseRecord) => a.sub === c.owner || a.sub === c.substitute;

/** Whether a role counts at all for this case, without any approval (open data, verify, …). */
const roleStands = (a: Actor, c: CaseRecord, role: Role): boolean => {
  const scope = scopeOf(role);
  if (scope === "all") return true;
  if (scope === "assigned") return assigned(a, c);
  if (scope === "shared")
    return a.department !== undefined && inEffect(c).some((k) => k.recipients.includes(a.department!));
  return false;
};

/** Whether an approval counts for a role of the actor about a subject. */
const approvalCounts = (a: Actor, c: CaseRecord, role: Role, k: PrivacyCheckRecord, subject: string) => {
  if (k.subjects.length > 0 && !k.subjects.includes(subject) && !subject.startsWith("object:")) return false;
  const scope = scopeOf(role);
  if (scope === "assigned") return assigned(a, c);
  if (scope === "shared") return a.department !== undefined && k.recipients.includes(a.department);
  return false;
};

const rulesFor = (a: Actor, c: CaseRecord, source: string) =>
  policy.rules.flatMap((r) =>
    r.source === source && r.phases.includes(c.phase)
      ? r.roles.filter((role) => a.roles.includes(role)).map((role) => ({ rule: r, role }))
      : [],
  );

function fieldAllowed(a: Actor, c: CaseRecord, source: string, subject: string, path: string): boolean {
  const unit = policy.catalogue.unitFor(source, path);
  if (!unit) return false;
  return rulesFor(a, c, source).some(
    ({ rule, role }) =>
      rule.mode === "fields" &&
      rule.maxUnits.includes(unit) &&
      ((rule.openData === true && roleStands(a, c, role)) ||
        inEffect(c).some(
          (k) =>
            k.source === source &&
            k.approvedFields.some((f) => policy.catalogue.grantableUnder(source, f).includes(unit)) &&
            approvalCounts(a, c, role, k, subject),
        )),
  );
}

function probeAllowed(a: Actor, c: CaseRecord, probe: string, subject: string): boolean {
  const source = policy.probes.find((p) => p.id === probe)?.source;
  if (!source) return false;
  return rulesFor(a, c, source).some(
    ({ rule, role }) =>
      (rule.mode === "hit" || rule.mode === "fields") &&
      (rule.probes ?? []).includes(probe) &&
      ((rule.mode === "fields" && rule.openData === true && roleStands(a, c, role)) ||
        inEffect(c).some((k) => k.approvedProbes.includes(probe) && approvalCounts(a, c, role, k, subject))),
  );
}

const modeAllowed = (a: Actor, c: CaseRecord, source: string, mode: string) =>
  rulesFor(a, c, source).some(({ rule, role }) => rule.mode === mode && roleStands(a, c, role));

// ---------------------------------------------------------------------------------------------
// Random operations: parts of a person view, in aliases and fragments.

const BRP_PARTS = [
  "burgerservicenummer",
  "naam { geslachtsnaam voornamen }",
  "geboorte { datum { datum } }",
  "geslacht { code }",
  "verblijfplaats { verblijfadres { officieleStraatnaam postcode } }",
  "gemeenteVanInschrijving { code }",
  "nationaliteiten { nationaliteit { code } }",
  "partners { burgerservicenummer naam { geslachtsnaam } }",
  "ouders { burgerservicenummer geboorte { datum { datum } } }",
  "kinderen { naam { voornamen } }",
];
const VIEW_PARTS = [
  "hits { probe result }",
  `verify(input: { geslachtsnaam: "Jansen", geboortedatum: "1960-12-16" }) { overall naam geboortedatum adres }`,
  "binnenGemeente",
  "vergunningen { soort zaaktype startdatum }",
  "verblijfplaatshistorie { datumVan { datum } gemeenteVanInschrijving { code } }",
  "adres { hits { probe result } bag { adres { postcode huisnummer } } bewoners { bsn brp { naam { geslachtsnaam } geboorte { datum { datum } } } } }",
];

interface Operation {
  readonly caseIndex: number;
  readonly persons: readonly {
    bsn: string;
    brp: string[];
    view: string[];
    wrap: "plain" | "named" | "inline";
  }[];
}

const operationArb: fc.Arbitrary<Operation> = fc.record({
  // Regie, where approvals unlock fields, weighs most.
  caseIndex: fc.oneof({ arbitrary: fc.constant(3), weight: 3 }, { arbitrary: fc.nat({ max: 4 }), weight: 2 }),
  persons: fc.array(
    fc.record({
      bsn: fc.constantFrom("resident", "other", "relative"),
      brp: fc.subarray(BRP_PARTS),
      view: fc.subarray(VIEW_PARTS),
      wrap: fc.constantFrom("plain" as const, "named" as const, "inline" as const),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

function render(op: Operation): string {
  const bsnOf = (b: string) => (b === "resident" ? resident : b === "other" ? other : relative);
  const fragments: string[] = [];
  const fields = op.persons.map((p, i) => {
    const body = [p.brp.length > 0 ? `brp { ${p.brp.join(" ")} }` : "", ...p.view, "bsn"].join(" ");
    const selection =
      p.wrap === "named"
        ? (fragments.push(`fragment P${i} on PersoonView { ${body} }`), `...P${i}`)
        : p.wrap === "inline"
          ? `... on PersoonView { ${body} }`
          : body;
    return `p${i}: persoon(bsn: "${bsnOf(p.bsn)}") { ${selection} }`;
  });
  return `query($id: ID!) { case(id: $id) { ${fields.join(" ")} } } ${fragments.join(" ")}`;
}

// ---------------------------------------------------------------------------------------------
// The check: every value in the answer must be allowed by the oracle.

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };

/** Every non-null leaf under a registry value, with its dotted path (list indices dropped). */
function leaves(value: Json, prefix = ""): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => leaves(v, prefix));
  if (typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

function checkPerson(a: Actor, c: CaseRecord, bsn: string, view: Record<string, Json>): void {
  const subject = `persoon:${bsn}`;
  const why = `actor ${JSON.stringify(a)} case ${c.reference} person ${bsn}`;
  for (const path of leaves(view.brp ?? null))
    expect(fieldAllowed(a, c, "brp", subject, path), `${why}: brp ${path}`).toBe(true);
  for (const hit of (view.hits ?? []) as { probe: string; result: string }[])
    if (hit.result !== "UNKNOWN")
      expect(probeAllowed(a, c, hit.probe, subject), `${why}: ${hit.probe}`).toBe(true);
  const verify = view.verify as Record<string, Json> | null | undefined;
  if (verify) expect(modeAllowed(a, c, "brp", "verify"), `${why}: verify`).toBe(true);
  if (view.binnenGemeente !== undefined && view.binnenGemeente !== null)
    expect(modeAllowed(a, c, "brp", "territory"), `${why}: territory`).toBe(true);
  for (const path of leaves(view.vergunningen ?? null))
    expect(fieldAllowed(a, c, "permits", subject, path), `${why}: permits ${path}`).toBe(true);
  for (const path of leaves(view.verblijfplaatshistorie ?? null))
    expect(fieldAllowed(a, c, "historie", subject, path), `${why}: historie ${path}`).toBe(true);
  const adres = view.adres as Record<string, Json> | null | undefined;
  if (adres) {
    expect(
      fieldAllowed(a, c, "brp", subject, "verblijfplaats.adresseerbaarObjectIdentificatie"),
      `${why}: adres hop`,
    ).toBe(true);
    for (const path of leaves(adres.bag ?? null))
      expect(fieldAllowed(a, c, "bag", "object:", path), `${why}: bag ${path}`).toBe(true);
    for (const hit of (adres.hits ?? []) as { probe: string; result: string }[])
      if (hit.result !== "UNKNOWN")
        expect(probeAllowed(a, c, hit.probe, "object:"), `${why}: ${hit.probe}`).toBe(true);
    const bewoners = (adres.bewoners ?? null) as { bsn: string; brp: Json }[] | null;
    if (bewoners) {
      expect(fieldAllowed(a, c, "bewoning", "object:", "bewoners"), `${why}: bewoners hop`).toBe(true);
      for (const b of bewoners)
        for (const path of leaves(b.brp ?? null))
          expect(
            fieldAllowed(a, c, "brp", `persoon:${b.bsn}`, path),
            `${why}: resident ${b.bsn} ${path}`,
          ).toBe(true);
    }
  }
}

// Weighted towards the actors that matter most: the case's own people under other roles.
const actorArb: fc.Arbitrary<Actor> = fc.record({
  sub: fc.oneof(
    { arbitrary: fc.constant(SUBS[0]), weight: 3 },
    { arbitrary: fc.constantFrom(...SUBS), weight: 2 },
  ),
  roles: fc.oneof(
    { arbitrary: fc.constant<Role[]>(["analyst"]), weight: 2 },
    { arbitrary: fc.constant<Role[]>(["department_member"]), weight: 2 },
    { arbitrary: fc.subarray([...ROLES], { minLength: 1, maxLength: 2 }), weight: 4 },
  ),
  department: fc.oneof(
    { arbitrary: fc.constant("vergunningen"), weight: 2 },
    { arbitrary: fc.constantFrom(undefined, "marketing", "handhaving", "wonen"), weight: 2 },
  ),
});

describe("no actor receives more than its own roles and the approvals naming it allow (issue 10)", () => {
  it("holds over random actors and operations", async () => {
    let answeredSomething = 0;
    await fc.assert(
      fc.asyncProperty(actorArb, operationArb, async (a, op) => {
        const c = cases[op.caseIndex]!;
        const token = await t.app.demo!.issuer.mint({ sub: a.sub, roles: a.roles, department: a.department });
        const result: GqlResult = await t.gql(token, render(op), { id: c.id });
        const data = (result.data ?? null) as {
          case: Record<string, Record<string, Json> | null> | null;
        } | null;
        if (!data?.case) return;
        for (const [i, p] of op.persons.entries()) {
          const view = data.case[`p${i}`];
          if (!view) continue;
          const bsn = p.bsn === "resident" ? resident : p.bsn === "other" ? other : relative;
          checkPerson(a, c, bsn, view);
          answeredSomething += leaves(view.brp ?? null).length;
        }
      }),
      { numRuns: 300 },
    );
    // The property is not vacuous: some random actors did get data.
    expect(answeredSomething).toBeGreaterThan(0);
  });

  it("the oracle is not vacuous: the case's own analyst reads approved fields in regie, a foreign analyst nothing", async () => {
    const regie = cases[3]!;
    const owner: Actor = { sub: regie.owner, roles: ["analyst"], department: undefined };
    const stranger: Actor = { sub: "analist.bakker", roles: ["analyst"], department: undefined };
    expect(fieldAllowed(owner, regie, "brp", `persoon:${resident}`, "naam.geslachtsnaam")).toBe(true);
    expect(fieldAllowed(stranger, regie, "brp", `persoon:${resident}`, "naam.geslachtsnaam")).toBe(false);
    const ownerAsDepartment: Actor = {
      sub: regie.owner,
      roles: ["department_member"],
      department: "vergunningen",
    };
    expect(fieldAllowed(ownerAsDepartment, regie, "brp", `persoon:${resident}`, "geboorte.datum")).toBe(
      false,
    );
    expect(fieldAllowed(ownerAsDepartment, regie, "brp", `persoon:${resident}`, "naam.geslachtsnaam")).toBe(
      true,
    );
  });
});
