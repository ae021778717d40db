import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestFieldGrant, type FieldPolicy } from "../../../src/policy/guard/index.ts";
import { startTestApp, type TestApp } from "../../utils/test-app.ts";

/**
 * Field decisions are memoised within one request only (issue 15): a change of policy, case or
 * approval between two requests is decided afresh on the next one, even for the same case view
 * object and the same ability object.
 */
function switchable() {
  const state = { allowed: true, calls: 0 };
  const ability: FieldPolicy = {
    field: (source, path) => {
      state.calls++;
      return {
        allowed: state.allowed,
        reason: `${state.allowed ? "granted" : "revoked"}: ${source} ${path}`,
      };
    },
  };
  return { state, ability };
}

describe("memoised field decisions", () => {
  it("ask the policy once per source and path within a request", () => {
    const { state, ability } = switchable();
    const request = {};
    const view = {};
    for (let i = 0; i < 5; i++) {
      expect(requestFieldGrant(request, view, "persoon:1", "brp", ability).decide("naam").allowed).toBe(true);
      expect(
        requestFieldGrant(request, view, "persoon:1", "brp", ability).decide("naam.voornamen").allowed,
      ).toBe(true);
      requestFieldGrant(request, view, "persoon:1", "bag", ability).decide("naam");
    }
    expect(state.calls).toBe(3);
  });

  it("are not carried into the next request: a change between requests is decided afresh", () => {
    const { state, ability } = switchable();
    const view = {};
    const first = {};
    expect(requestFieldGrant(first, view, "persoon:1", "brp", ability).decide("naam")).toEqual({
      allowed: true,
      reason: "granted: brp naam",
    });
    state.allowed = false; // e.g. the approval is revoked between the two requests
    const second = {};
    expect(requestFieldGrant(second, view, "persoon:1", "brp", ability).decide("naam")).toEqual({
      allowed: false,
      reason: "revoked: brp naam",
    });
    // The first request goes on with what it decided: one request, one snapshot.
    expect(requestFieldGrant(first, view, "persoon:1", "brp", ability).decide("naam").allowed).toBe(true);
  });

  describe("through the gateway", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it("a privacy check revoked between two requests ends the access on the next one", async () => {
      const c = await t.demoCase("regie");
      const bsn = t.app.demo!.municipality.wellKnown.residentBsn;
      const analyst = await t.token("analist.jansen", "analyst");
      const officer = await t.token("privacy.officer", "privacy_officer");
      const NAAM = `query($id: ID!, $bsn: String!) {
        case(id: $id) { privacyChecks { id source status } persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`;
      type Answer = {
        case: {
          privacyChecks: { id: string; source: string; status: string }[];
          persoon: { brp: { naam: { geslachtsnaam: string } | null } };
        };
      };
      const before = await t.gql(analyst, NAAM, { id: c.id, bsn });
      const answer = before.data as Answer;
      expect(answer.case.persoon.brp.naam?.geslachtsnaam).toEqual(expect.any(String));
      const checks = answer.case.privacyChecks.filter((k) => k.source === "brp" && k.status === "APPROVED");
      expect(checks.length).toBeGreaterThan(0);
      for (const check of checks) {
        const revoked = await t.gql(
          officer,
          `mutation($id: ID!) { revokePrivacyCheck(id: $id, motivation: "The plan was dropped.") { status } }`,
          { id: check.id },
        );
        expect(revoked.errors).toBeUndefined();
      }
      const after = await t.gql(analyst, NAAM, { id: c.id, bsn });
      expect((after.data as Answer).case.persoon.brp.naam).toBeNull();
      expect((after.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code])).toContainEqual([
        "case.persoon.brp.naam",
        "FORBIDDEN",
      ]);
    });
  });
});
