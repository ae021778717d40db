import { appendFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overlay } from "../policy/policy-fixtures.ts";
import type { GqlResult } from "../utils/test-app.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * Service accounts under the strictest settings (issue 12): OIDC_REQUIRE_MFA on, TRUSTED_DOCUMENTS
 * required, and a depth limit the trusted RegisterSignal exceeds, with a second client in
 * clients.yaml that has no MFA exemption.
 */
let app: HttpApp;
let policy: { dir: string; cleanup: () => void };

async function send(
  token: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: GqlResult }> {
  const res = await fetch(`${app.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as GqlResult };
}
const hashOf = (id: string) => {
  const d = [...app.t.app.policy.trustedDocuments.values()].find((x) => x.id === id);
  if (!d) throw new Error(`no trusted document ${id}`);
  return d.hash;
};
const persisted = (id: string, variables?: Record<string, unknown>) => ({
  extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(id) } },
  ...(variables ? { variables } : {}),
});
const mint = (clientId: string, amr?: string[]) =>
  app.t.app.demo!.issuer.mint({ sub: clientId, roles: [], clientId, ...(amr ? { amr } : {}) });

beforeAll(async () => {
  policy = overlay();
  appendFileSync(
    `${policy.dir}/clients.yaml`,
    `  - id: vth-systeem
    name: VTH-systeem (permits and enforcement)
    reason: Reads where the cases of its theme stand.
    article: Maastricht art. 8.2
    roles: [application]
    operations: [OpenCases]
    cases:
      themes: [horeca]
`,
  );
  app = await startHttpApp({
    env: {
      POLICY_DIR: policy.dir,
      OIDC_REQUIRE_MFA: "true",
      TRUSTED_DOCUMENTS: "required",
      LIMIT_MAX_DEPTH: "2",
    },
  });
});
afterAll(async () => {
  await app.close();
  policy.cleanup();
});

describe("the MFA requirement and service accounts", () => {
  it("lets a client without amr in only when clients.yaml exempts it", async () => {
    const exempt = await send(await mint("meldpunt-ondermijning"), persisted("OpenCases"));
    expect(exempt.status).toBe(200);
    expect(exempt.body.errors).toBeUndefined();

    const notExempt = await send(await mint("vth-systeem"), persisted("OpenCases"));
    expect(notExempt.status).toBe(401);
    expect(notExempt.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    // The same client showing a second factor meets the requirement like anyone else.
    const withMfa = await send(await mint("vth-systeem", ["pwd", "otp"]), persisted("OpenCases"));
    expect(withMfa.status).toBe(200);
  });

  it("runs a client only its own operations, even listed ones of another client", async () => {
    const r = await send(await mint("vth-systeem", ["otp"]), persisted("CaseStatus", { id: "x" }));
    expect(r.status).toBe(403);
    expect(r.body.errors?.[0]).toMatchObject({
      message: "Not permitted: client vth-systeem may run only OpenCases (clients.yaml), not CaseStatus.",
      extensions: { code: "FORBIDDEN" },
    });
  });
});

describe("TRUSTED_DOCUMENTS=required", () => {
  it("refuses an analyst's own document and runs a listed one", async () => {
    const analyst = await app.t.token("analist.jansen", "analyst");
    const own = await send(analyst, { query: "query { cases { id } }" });
    expect(own.status).toBe(400);
    expect(own.body.errors?.[0]?.message).toMatch(
      /TRUSTED_DOCUMENT_REQUIRED: only trusted documents are accepted/,
    );
    const listed = await send(analyst, persisted("OpenCases"));
    expect(listed.status).toBe(200);
    expect((listed.body.data as { cases: unknown[] }).cases.length).toBeGreaterThan(0);
  });

  it("applies the operation limits to trusted documents too", async () => {
    const r = await send(
      await mint("meldpunt-ondermijning"),
      persisted("RegisterSignal", { input: { reference: "MP-9", theme: "horeca", motivation: "Melding." } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(/3 fields deep, at most 2 \(LIMIT_MAX_DEPTH\)/);
    const after = await send(await mint("meldpunt-ondermijning"), persisted("OpenCases"));
    expect(
      (after.body.data as { cases: { reference: string }[] }).cases.map((c) => c.reference),
    ).not.toContain("MP-9");
  });
});
