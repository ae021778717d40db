import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_APPROVALS } from "../../../src/demo/index.ts";
import {
  buildCaseAbility,
  restrictedCaseAbility,
  unboundAbility,
  type Approval,
  type CaseAbility,
  type LoadedPolicySet,
} from "../../../src/policy/index.ts";
import { requestFieldGrant } from "../../../src/policy/guard/index.ts";
import { loadOk } from "../policy-fixtures.ts";

/**
 * The memo of field decisions (src/policy/guard/field-decisions.ts) answers exactly what the
 * policy answers without it, whatever the order of lookups: it never lends one case view's or one
 * subject's decision to another, and follows a subject whose standing changes within the request
 * (an approved hop reaching it). The oracle is an ability built afresh for every lookup, so no
 * memo of any kind (the ability's own included) stands between it and the policy.
 */
let policy: LoadedPolicySet;
beforeAll(async () => {
  policy = await loadOk();
});

const SUBJECTS = ["persoon:1", "persoon:2", "object:3", "onderneming:4"] as const;
type Standing = "bound" | "restricted" | "unbound";

interface ViewSpec {
  readonly phase: string;
  readonly owned: boolean;
  readonly caseWide: readonly Approval[];
  readonly perSubject: readonly (readonly Approval[])[];
  readonly standing: readonly Standing[];
}

const approvalPool = (): Approval[] =>
  DEMO_APPROVALS.flatMap((a, i) => [
    { checkId: `c${i}`, source: a.source, fields: a.fields, probes: [], recipients: [] },
    // Part of a check: the first field only, so subjects differ in what is approved.
    { checkId: `p${i}`, source: a.source, fields: a.fields.slice(0, 1), probes: [], recipients: [] },
  ]);

function pathPool(): string[] {
  const out = new Set<string>(["x.unknown", "naam.x", ""]);
  for (const source of policy.catalogue.sources)
    for (const unit of policy.catalogue.paths(source)) {
      const segments = unit.split(".");
      // The unit, every container above it, and a path inside it (as the guard asks them).
      segments.forEach((_, i) => out.add(segments.slice(0, i + 1).join(".")));
      out.add(`${unit}.code`);
    }
  return [...out].sort();
}

const ACTOR = { subject: "anna", roles: ["analyst" as const], amr: [], issuer: "t" };

/** The ability a case view would give the subject now, built afresh. */
function abilityFor(spec: ViewSpec, subject: number, standing: Standing): CaseAbility {
  const build = (approvals: readonly Approval[]) =>
    buildCaseAbility(policy, {
      actor: ACTOR,
      case: {
        id: "c",
        phase: spec.phase,
        status: "open",
        owner: spec.owned ? "anna" : "bob",
        substitute: null,
      },
      approvals,
    });
  if (standing === "unbound") return unboundAbility(build(spec.caseWide));
  const approved = build([...spec.caseWide, ...(spec.perSubject[subject] ?? [])]);
  return standing === "restricted" ? restrictedCaseAbility(approved, "restricted (GDPR art. 18)") : approved;
}

describe("property: memoised field decisions equal the policy's", () => {
  it("for random sequences of (case view, subject, source, path) lookups within one request", () => {
    const approvals = approvalPool();
    const paths = pathPool();
    const sources = [...policy.catalogue.sources, "nosuchsource"];
    const phases = policy.protocol.phases.map((p) => p.id);
    const approvalSet = fc.subarray(approvals, { maxLength: 4 });
    const view: fc.Arbitrary<ViewSpec> = fc.record({
      phase: fc.constantFrom(...phases, "regie", "regie"),
      owned: fc.boolean(),
      caseWide: approvalSet,
      perSubject: fc.array(approvalSet, { minLength: SUBJECTS.length, maxLength: SUBJECTS.length }),
      standing: fc.array(fc.constantFrom<Standing>("bound", "bound", "restricted", "unbound"), {
        minLength: SUBJECTS.length,
        maxLength: SUBJECTS.length,
      }),
    });
    const lookup = fc.record({
      view: fc.nat(),
      subject: fc.nat({ max: SUBJECTS.length - 1 }),
      source: fc.constantFrom(...sources),
      path: fc.constantFrom(...paths),
      // An approved hop reaches the subject before this lookup (unbound → bound).
      reach: fc.boolean(),
    });

    fc.assert(
      fc.property(
        fc.array(view, { minLength: 1, maxLength: 3 }),
        fc.array(lookup, { minLength: 1, maxLength: 60 }),
        (specs, lookups) => {
          const request = {};
          // Per case view: its key object, each subject's standing and the ability it gives now
          // (one per subject, as src/cases/case-access.ts keeps them).
          const views = specs.map((spec) => ({
            key: {},
            spec,
            standing: [...spec.standing],
            abilities: spec.standing.map((s, i) => abilityFor(spec, i, s)),
          }));
          for (const l of lookups) {
            const v = views[l.view % views.length]!;
            if (l.reach && v.standing[l.subject] === "unbound") {
              v.standing[l.subject] = "bound";
              v.abilities[l.subject] = abilityFor(v.spec, l.subject, "bound");
            }
            const memoised = requestFieldGrant(
              request,
              v.key,
              SUBJECTS[l.subject]!,
              l.source,
              v.abilities[l.subject]!,
            ).decide(l.path);
            const fresh = abilityFor(v.spec, l.subject, v.standing[l.subject]!).field(l.source, l.path);
            expect(memoised).toEqual(fresh);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is not vacuous: subjects and case views of one request get different decisions", () => {
    // The same path, one request: allowed for the subject with the approval, refused for the one
    // without it and for the same subject in another case view, each as the policy says.
    const request = {};
    const brp = approvalPool().find((a) => a.checkId === "c0")!;
    expect(brp.source).toBe("brp");
    const spec: ViewSpec = {
      phase: "regie",
      owned: true,
      caseWide: [],
      perSubject: [[brp], [], [], []],
      standing: ["bound", "bound", "bound", "bound"],
    };
    const other: ViewSpec = { ...spec, phase: "intake" };
    const [a, b] = [{}, {}];
    const decide = (view: object, s: ViewSpec, subject: number) =>
      requestFieldGrant(request, view, SUBJECTS[subject]!, "brp", abilityFor(s, subject, "bound")).decide(
        "naam.geslachtsnaam",
      );
    expect(decide(a, spec, 0).allowed).toBe(true);
    expect(decide(a, spec, 1).allowed).toBe(false);
    expect(decide(b, other, 0).allowed).toBe(false);
    expect(decide(a, spec, 0).allowed).toBe(true);
  });
});
