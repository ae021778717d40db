import { beforeAll, describe, expect, it } from "vitest";
import type { Actor, Role } from "../../src/shared/index.ts";
import {
  buildActorAbility,
  buildCaseAbility,
  CASE_ACTIONS,
  explain,
  MUTATING_ACTIONS,
  type Approval,
  type CaseFacts,
  type LoadedPolicySet,
} from "../../src/policy/index.ts";
import { loadFixture, loadOk, policiesDir } from "./policy-fixtures.ts";

let policy: LoadedPolicySet;
let delft: LoadedPolicySet;
beforeAll(async () => {
  policy = await loadOk();
  delft = await loadOk(policiesDir, { protocolFile: "protocol-delft.yaml" });
});

const actor = (subject: string, ...roles: Role[]): Actor => ({
  subject,
  roles,
  amr: ["pwd", "otp"],
  issuer: "test",
});
const caseIn = (phase: string, extra: Partial<CaseFacts> = {}): CaseFacts => ({
  id: "c1",
  phase,
  status: phase === "afgesloten" ? "closed" : "open",
  owner: "anna",
  substitute: "bram",
  ...extra,
});
const approval = (checkId: string, fields: string[], source = "brp"): Approval => ({
  checkId,
  source,
  fields,
  probes: [],
});
const ability = (
  p: LoadedPolicySet,
  who: Actor,
  phase: string,
  approvals: Approval[] = [],
  extra: Partial<CaseFacts> = {},
) => buildCaseAbility(p, { actor: who, case: caseIn(phase, extra), approvals });

const MODEL_ANALYST = [
  ["intake", "verify", "brp.intake.analyst"],
  ["weging", "territory", "brp.weging.analyst"],
  ["bronnenonderzoek", "hit", "brp.bronnenonderzoek.analyst"],
  ["regie", "fields", "brp.regie.analyst"],
  ["afgesloten", "none", "brp.afgesloten.analyst"],
] as const;
const OTHER_ROLES: Role[] = [
  "privacy_officer",
  "coordinator",
  "dpo",
  "department_member",
  "legal",
  "application",
];

describe("mode per role x phase x source (model protocol)", () => {
  it.each(MODEL_ANALYST)("analyst (owner) in %s gets %s from brp by %s", (phase, mode, ruleId) => {
    const m = ability(policy, actor("anna", "analyst"), phase).mode("brp");
    expect(m.mode).toBe(mode);
    expect(m.decision.ruleId).toBe(ruleId);
    expect(m.decision.allowed).toBe(mode !== "none");
  });

  it.each(OTHER_ROLES.flatMap((role) => MODEL_ANALYST.map(([phase]) => [role, phase] as const)))(
    "%s in %s gets none from brp",
    (role, phase) => {
      const m = ability(policy, actor("anna", role), phase).mode("brp");
      expect(m.mode).toBe("none");
      expect(m.decision.allowed).toBe(false);
    },
  );

  it.each(MODEL_ANALYST.map(([phase]) => phase))("an unknown source answers none in %s", (phase) => {
    expect(ability(policy, actor("anna", "analyst"), phase).mode("kvk").mode).toBe("none");
  });

  it.each([
    ["ontvangst", "territory"],
    ["zwaarte", "none"],
    ["bronnenonderzoek", "hit"],
    ["plan_van_aanpak", "fields"],
    ["actie", "fields"],
    ["afgesloten", "none"],
  ])("Delft: analyst in %s gets %s", (phase, mode) => {
    expect(ability(delft, actor("anna", "analyst"), phase).mode("brp").mode).toBe(mode);
  });
});

describe("assignment (Maastricht art. 8.2)", () => {
  it.each([
    ["owner", "anna", true],
    ["substitute", "bram", true],
    ["foreign analyst", "carla", false],
  ])("%s", (_label, subject, assigned) => {
    const a = ability(policy, actor(subject, "analyst"), "regie", [approval("k1", ["naam"])]);
    expect(a.can("case.read").allowed).toBe(assigned);
    expect(a.can("case.transition").allowed).toBe(assigned);
    expect(a.mode("brp").mode).toBe(assigned ? "fields" : "none");
    expect(a.field("brp", "naam.geslachtsnaam").allowed).toBe(assigned);
    expect(a.permittedFields("brp").length > 0).toBe(assigned);
    if (!assigned) {
      expect(a.can("case.read").reason).toMatch(/owner or substitute.*art\. 8\.2/);
      expect(a.mode("brp").decision.reason).toMatch(/assigned/);
    }
  });

  it("lets scope-all roles read metadata of any case but grants no registry data", () => {
    const a = ability(policy, actor("pieter", "privacy_officer"), "regie", [approval("k1", ["naam"])]);
    expect(a.can("case.read")).toMatchObject({ allowed: true, ruleId: "roles.privacy_officer.case.read" });
    expect(a.can("check.advise").allowed).toBe(true);
    expect(a.can("case.transition")).toMatchObject({
      allowed: false,
      reason: "no rule grants case.transition to privacy_officer",
    });
    expect(a.field("brp", "naam").allowed).toBe(false);
  });

  it("gives scope-none roles nothing", () => {
    const a = ability(policy, actor("anna", "application"), "regie");
    for (const action of CASE_ACTIONS) expect(a.can(action).allowed).toBe(false);
  });

  it("gives a scope-shared role only case.read, and only while a check shares the case with it", () => {
    const notShared = ability(policy, actor("dora", "department_member"), "regie");
    for (const action of CASE_ACTIONS) expect(notShared.can(action).allowed).toBe(false);
    const shared = ability(policy, actor("dora", "department_member"), "regie", [], {
      sharedWithDepartment: true,
    });
    for (const action of CASE_ACTIONS) expect(shared.can(action).allowed).toBe(action === "case.read");
  });
});

describe("closed case", () => {
  it.each(MUTATING_ACTIONS)("refuses %s on a closed case, even for the owner", (action) => {
    const roles = ["analyst", "privacy_officer", "coordinator", "beheerder"] as const;
    const open = ability(policy, actor("anna", ...roles), "regie");
    const closed = ability(policy, actor("anna", ...roles), "afgesloten");
    expect(closed.can(action)).toMatchObject({ allowed: false, ruleId: "case.closed" });
    if (action !== "case.open") expect(open.can(action).allowed).toBe(true);
  });

  it("still lets the owner read the closed case", () => {
    expect(ability(policy, actor("anna", "analyst"), "afgesloten").can("case.read").allowed).toBe(true);
  });
});

describe("probes", () => {
  it.each([
    ["bronnenonderzoek", "brp.ingeschreven", true],
    ["bronnenonderzoek", "brp.binnenGemeente", true],
    ["bronnenonderzoek", "brp.onbekend", false],
    ["intake", "brp.ingeschreven", false],
    ["regie", "brp.ingeschreven", false],
  ])("in %s probe %s allowed=%s with a check 1 approving it", (phase, probe, allowed) => {
    const checkOne: Approval = { checkId: "c1", source: "brp", fields: [], probes: [probe] };
    const d = ability(policy, actor("anna", "analyst"), phase, [checkOne]).probe(probe);
    expect(d.allowed).toBe(allowed);
    if (allowed) expect(d.ruleId).toBe("brp.bronnenonderzoek.analyst");
  });

  it("answers no probe of a closed source without a check 1 approving it (Maastricht art. 18.1)", () => {
    const none = ability(policy, actor("anna", "analyst"), "bronnenonderzoek").probe("brp.ingeschreven");
    expect(none).toMatchObject({
      allowed: false,
      ruleId: "brp.bronnenonderzoek.analyst",
      reason: expect.stringMatching(/not approved by a privacy check 1/) as unknown,
    });
    const other: Approval = { checkId: "c1", source: "brp", fields: [], probes: ["brp.binnenGemeente"] };
    const a = ability(policy, actor("anna", "analyst"), "bronnenonderzoek", [other]);
    expect(a.probe("brp.ingeschreven").allowed).toBe(false);
    expect(a.probe("brp.binnenGemeente").allowed).toBe(true);
  });

  it("explains a probe refused outside mode hit", () => {
    expect(ability(policy, actor("anna", "analyst"), "intake").probe("brp.ingeschreven").reason).toMatch(
      /mode is verify in intake/,
    );
  });
});

describe("fields", () => {
  const regie = (approvals: Approval[]) => ability(policy, actor("anna", "analyst"), "regie", approvals);

  it("allows nothing without an approval and says so", () => {
    const d = regie([]).field("brp", "naam.geslachtsnaam");
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/not approved by a privacy check/);
    expect(regie([]).permittedFields("brp")).toEqual([]);
  });

  it.each([
    ["naam.geslachtsnaam", true],
    ["naam", true],
    ["geboorte.datum", true],
    ["geboorte.datum.jaar", true],
    ["geboorte", true],
    ["geboorte.plaats", false],
    ["verblijfplaats", false],
    ["naam.inOnderzoek.geslachtsnaam", false],
  ])("with approval of naam and geboorte.datum: %s allowed=%s", (path, allowed) => {
    expect(regie([approval("k2a", ["naam", "geboorte.datum"])]).field("brp", path).allowed).toBe(allowed);
  });

  it("gives distinct reasons", () => {
    const a = regie([approval("k2a", ["naam", "burgerservicenummer"])]);
    expect(a.field("brp", "naam.voornamen").reason).toMatch(/approved by privacy check k2a/);
    expect(a.field("brp", "burgerservicenummer").reason).toMatch(
      /outside the maximum of rule brp\.regie\.analyst/,
    );
    expect(a.field("brp", "geslacht").reason).toMatch(/not approved by a privacy check/);
    expect(a.field("brp", "naam.inOnderzoek").reason).toMatch(/delivered automatically/);
    expect(a.field("brp", "beroep").reason).toMatch(/unknown field/);
    const hit = ability(policy, actor("anna", "analyst"), "bronnenonderzoek", [approval("k2a", ["naam"])]);
    expect(hit.field("brp", "naam").reason).toMatch(
      /mode is hit in bronnenonderzoek \(rule brp\.bronnenonderzoek\.analyst\)/,
    );
    expect(hit.permittedFields("brp")).toEqual([]);
  });

  it("permits rule maximum ∩ approvals, ignoring approvals for other sources", () => {
    const a = regie([approval("k1", ["geslacht", "burgerservicenummer"]), approval("k2", ["naam"], "kvk")]);
    expect(a.permittedFields("brp")).toEqual(["geslacht"]);
  });
});

describe("several roles", () => {
  let multi: LoadedPolicySet;
  beforeAll(async () => {
    multi = await loadFixture("multi-role");
  });

  it("refuses when the roles are decided by rules with different modes", () => {
    const m = ability(multi, actor("anna", "analyst", "legal"), "regie", [approval("k", ["naam"])]).mode(
      "brp",
    );
    expect(m.mode).toBe("none");
    expect(m.decision).toMatchObject({ allowed: false, ruleId: "roles.conflict" });
    expect(m.decision.reason).toMatch(/brp\.regie\.analyst: fields, brp\.regie\.legal: hit/);
  });

  it("uses the only deciding rule when the other role has none", () => {
    expect(ability(multi, actor("anna", "analyst", "legal"), "bronnenonderzoek").mode("brp").mode).toBe(
      "hit",
    );
    expect(ability(multi, actor("anna", "analyst", "privacy_officer"), "regie").mode("brp").mode).toBe(
      "fields",
    );
  });

  it("ignores the rules of a role outside its assignment", () => {
    expect(ability(multi, actor("carla", "analyst", "legal"), "regie").mode("brp")).toMatchObject({
      mode: "hit",
    });
  });
});

describe("actor ability", () => {
  it.each([
    [["analyst"], "assigned"],
    [["privacy_officer"], "all"],
    [["department_member"], "shared"],
    [["legal"], "all"],
    [["application"], "client"],
    [["analyst", "dpo"], "all"],
  ] as [Role[], string][])("%j has case scope %s", (roles, scope) => {
    expect(buildActorAbility(policy, actor("x", ...roles)).caseScope).toBe(scope);
  });

  it.each([
    ["analyst", "case.open", true],
    ["analyst", "check.decide", false],
    ["privacy_officer", "check.advise", true],
    ["coordinator", "check.decide", true],
    ["dpo", "audit.read", true],
    ["dpo", "check.advise", false],
    ["legal", "case.read", true],
    ["legal", "subject.access", true],
    ["legal", "check.read", false],
    ["analyst", "subject.record", false],
  ] as [Role, (typeof CASE_ACTIONS)[number], boolean][])("%s %s allowed=%s", (role, action, allowed) => {
    const d = buildActorAbility(policy, actor("x", role)).can(action);
    expect(d.allowed).toBe(allowed);
    if (allowed) expect(d.ruleId).toBe(`roles.${role}.${action}`);
  });

  it("maximum is the union of the fields rules of the actor's roles in the phases", () => {
    const phases = policy.protocol.phases.map((p) => p.id);
    const max = [...buildActorAbility(policy, actor("x", "analyst")).maximum("brp", phases).fields];
    expect(max).toContain("naam.geslachtsnaam");
    expect(max).toContain("nationaliteiten.nationaliteit");
    expect(max).not.toContain("burgerservicenummer");
    expect(max.some((u) => u.includes("inOnderzoek"))).toBe(false);
    expect(buildActorAbility(policy, actor("x", "privacy_officer")).maximum("brp", phases).fields.size).toBe(
      0,
    );
    expect([...buildActorAbility(policy, actor("x", "analyst")).maximum("brp", ["intake"]).fields]).toEqual(
      [],
    );
    expect(
      [
        ...buildActorAbility(policy, actor("x", "analyst")).maximum("brp", ["bronnenonderzoek"]).probes,
      ].sort(),
    ).toEqual(["brp.binnenGemeente", "brp.ingeschreven"]);
  });
});

describe("caching and explain", () => {
  it("reuses compiled rules for the same key and keeps the case status per call", () => {
    const a = ability(policy, actor("anna", "analyst"), "regie");
    const b = ability(policy, actor("bram", "analyst"), "regie", [], { status: "closed" });
    expect(a.can("case.close").allowed).toBe(true);
    expect(b.can("case.close").allowed).toBe(false);
  });

  it("memoises inside one policy set only", async () => {
    let builds = 0;
    policy.memo("test|key", () => ++builds);
    policy.memo("test|key", () => ++builds);
    expect(builds).toBe(1);
    const reloaded = await loadOk();
    reloaded.memo("test|key", () => ++builds);
    expect(builds).toBe(2);
  });

  it("explains a field decision with the rule id", () => {
    const answer = explain(policy, {
      roles: ["analyst"],
      phase: "regie",
      source: "brp",
      field: "naam",
      approvals: [approval("k", ["naam"])],
    });
    expect(answer.mode).toBe("fields");
    expect(answer.decisions.map((d) => d.decision.ruleId)).toEqual([
      "brp.regie.analyst",
      "brp.regie.analyst",
    ]);
    expect(answer.decisions[1]?.decision.allowed).toBe(true);
    expect(
      explain(policy, { roles: ["analyst"], phase: "fase9", source: "brp" }).decisions[0]?.decision.reason,
    ).toMatch(/unknown phase/);
  });
});

describe("open data and probes in mode fields", () => {
  const anna = actor("anna", "analyst");

  it.each(["intake", "weging", "bronnenonderzoek", "regie"])(
    "%s: BAG and open HR fields need no privacy check",
    (phase) => {
      const a = ability(policy, anna, phase);
      expect(a.mode("bag").mode).toBe("fields");
      expect(a.field("bag", "adresseerbaarObject.gebruiksdoelen")).toMatchObject({
        allowed: true,
        ruleId: "bag.open.analyst",
      });
      expect(a.field("hr", "vestigingen.adres.postcode").allowed).toBe(true);
      expect(a.permittedFields("hr")).toContain("kvkNummer");
      expect(a.probe("bag.adresBestaat").allowed).toBe(true);
      expect(a.probe("hr.vestigingOpAdres").allowed).toBe(true);
    },
  );

  it("closed sources: hit in bronnenonderzoek, fields only after approval in regie, none when closed", () => {
    expect(ability(policy, anna, "weging").probe("permits.horeca").allowed).toBe(false);
    expect(ability(policy, anna, "bronnenonderzoek").probe("permits.horeca").allowed).toBe(false);
    const checkOne: Approval = { checkId: "c1", source: "permits", fields: [], probes: ["permits.horeca"] };
    expect(ability(policy, anna, "bronnenonderzoek", [checkOne]).probe("permits.horeca").allowed).toBe(true);
    expect(ability(policy, anna, "bronnenonderzoek").probe("bag.adresBestaat").allowed).toBe(true);
    expect(ability(policy, anna, "bronnenonderzoek").field("permits", "soort").allowed).toBe(false);
    expect(ability(policy, anna, "regie").field("permits", "soort")).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/not approved by a privacy check/) as unknown,
    });
    expect(
      ability(policy, anna, "regie", [approval("k1", ["soort"], "permits")]).field("permits", "soort")
        .allowed,
    ).toBe(true);
    for (const source of ["bag", "hr", "permits"])
      expect(ability(policy, anna, "afgesloten").mode(source).mode).toBe("none");
  });

  it("a foreign analyst gets no open data either (Maastricht art. 8.2)", () => {
    const a = ability(policy, actor("carl", "analyst"), "intake");
    expect(a.mode("bag").mode).toBe("none");
    expect(a.field("bag", "adres.postcode").allowed).toBe(false);
  });
});
