import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Issue 13, "complete": a refused mutation or question is a processing fact too (Delft art. 6b).
 * A privacy check requested by a role that may not request one, and an `explain` asked by a role
 * that may not ask, each write one denial record before FORBIDDEN.
 */
let h: HttpApp;
let caseId: string;

beforeAll(async () => {
  h = await startHttpApp();
  caseId = (await h.t.demoCase("regie")).id;
});
afterAll(() => h.close());

const denials = async (operation: string) =>
  (await h.t.app.audit.list({ caseId, limit: 100_000 })).filter(
    (r) => r.operation === operation && r.decision === "deny",
  );

describe("refusals are audited (issue 13)", () => {
  it("a privacy check requested by the privacy officer: FORBIDDEN and one denial record", async () => {
    const before = (await denials("check.request")).length;
    const officer = await h.t.token("privacy.officer", "privacy_officer");
    const r = await h.post(
      `mutation($input: PrivacyCheckInput!) { requestPrivacyCheck(input: $input) { id } }`,
      {
        token: officer,
        variables: {
          input: {
            caseId,
            kind: "CHECK_2A",
            source: "brp",
            fields: ["naam"],
            motivation: "Not mine to ask.",
          },
        },
      },
    );
    expect(r.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const after = await denials("check.request");
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ actor: "privacy.officer", kind: "privacy_check" });
  });

  it("explain asked by an analyst: FORBIDDEN and one denial record", async () => {
    const before = (await denials("policy.explain")).length;
    const analyst = await h.t.token("analist.jansen", "analyst");
    const r = await h.post(
      `query($id: ID!) { explain(caseId: $id, role: "analyst", source: "brp") { mode } }`,
      { token: analyst, variables: { id: caseId } },
    );
    expect(r.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await denials("policy.explain")).toHaveLength(before + 1);
  });
});
