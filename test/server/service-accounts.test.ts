import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/policy/index.ts";
import type { GqlResult } from "../utils/test-app.ts";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";
import { DEMO_SUBJECTS } from "../../src/demo/index.ts";

/**
 * Service accounts and trusted documents over real HTTP (issue 12): the demo's reporting system
 * `meldpunt-ondermijning` (policies/clients.yaml) with production-like settings
 * (TRUSTED_DOCUMENTS=roles, as outside demo mode): it runs only its signed-off documents, on the
 * cases of its themes, and every record it causes carries its client id.
 */
const CLIENT = "meldpunt-ondermijning";
const doc = (id: string) => readFileSync(`policies/trusted-documents/${id}.graphql`, "utf8");
const hashOf = (id: string) => sha256Hex(doc(id));
const BSN = DEMO_SUBJECTS.find((s) => s.startsWith("persoon:"))!;

type Body = Record<string, unknown>;
async function send(app: HttpApp, token: string, body: Body): Promise<{ status: number; body: GqlResult }> {
  const res = await fetch(`${app.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as GqlResult };
}
const persisted = (id: string, variables?: Body): Body => ({
  extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(id) } },
  ...(variables ? { variables } : {}),
});
const byDocumentId = (id: string, variables?: Body): Body => ({
  documentId: `sha256:${hashOf(id)}`,
  ...(variables ? { variables } : {}),
});
const signal = (reference: string, theme: string) => ({
  input: {
    reference,
    theme,
    motivation: "Melding via het meldpunt: mogelijk witwassen via een horecazaak.",
    subjects: [BSN],
    channel: "MELDING",
  },
});
const code = (r: { body: GqlResult }) => r.body.errors?.[0]?.extensions?.code;

let app: HttpApp;
let appToken: string;
const clientToken = (clientId: string, sub = clientId, roles: string[] = []) =>
  app.t.app.demo!.issuer.mint({ sub, roles, clientId });
const records = async () =>
  (await app.t.app.audit.list({ limit: 100_000 })).filter((r) => r.clientId === CLIENT);

beforeAll(async () => {
  app = await startHttpApp({ env: { TRUSTED_DOCUMENTS: "roles" } });
  appToken = await clientToken(CLIENT);
});
afterAll(() => app.close());

describe("trusted documents (TRUSTED_DOCUMENTS=roles)", () => {
  it("refuses a document of the application's own, before anything runs, audited with its client id", async () => {
    const before = (await records()).length;
    const r = await send(app, appToken, { query: "query { cases { id reference owner } }" });
    expect(r.status).toBe(400);
    expect(code(r)).toBe("BAD_USER_INPUT");
    expect(r.body.errors?.[0]?.message).toMatch(
      /^TRUSTED_DOCUMENT_REQUIRED: client meldpunt-ondermijning may send only its trusted documents/,
    );
    expect(r.body.data ?? null).toBeNull();
    const refusal = (await records()).slice(before);
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toMatchObject({
      operation: "graphql.trusted-documents",
      decision: "deny",
      actor: CLIENT,
      roles: ["application"],
      detail: { ask: "adHoc", mode: "roles" },
    });
  });

  it("refuses an unlisted hash with PERSISTED_QUERY_NOT_FOUND, and registers nothing", async () => {
    const unknown = sha256Hex("query Mine { cases { id owner } }");
    const r = await send(app, appToken, {
      extensions: { persistedQuery: { version: 1, sha256Hash: unknown } },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toBe(
      `PERSISTED_QUERY_NOT_FOUND: document sha256:${unknown} is not a trusted document (policies/trusted-documents/).`,
    );
    // Sending hash and text together (Apollo's automatic registration) is a document of its own.
    const register = await send(app, appToken, {
      query: "query Mine { cases { id owner } }",
      extensions: { persistedQuery: { version: 1, sha256Hash: unknown } },
    });
    expect(register.status).toBe(400);
    const again = await send(app, appToken, {
      extensions: { persistedQuery: { version: 1, sha256Hash: unknown } },
    });
    expect(again.body.errors?.[0]?.message).toMatch(/^PERSISTED_QUERY_NOT_FOUND/);
  });

  it("runs a listed document sent by hash (Apollo's extension) or by documentId", async () => {
    const a = await send(app, appToken, persisted("OpenCases"));
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
    expect(Array.isArray((a.body.data as { cases: unknown[] }).cases)).toBe(true);
    const b = await send(app, appToken, byDocumentId("OpenCases"));
    expect(b.body).toEqual(a.body);
  });

  it("lets an analyst's tool send its own document, and any listed one", async () => {
    const analyst = await app.t.token("analist.jansen", "analyst");
    const own = await send(app, analyst, { query: "query { cases { id } }" });
    expect(own.status).toBe(200);
    expect(own.body.errors).toBeUndefined();
    const listed = await send(app, analyst, persisted("OpenCases"));
    expect(listed.body.errors).toBeUndefined();
  });
});

describe("an application's flow on a case (clients.yaml: meldpunt-ondermijning)", () => {
  it("registers a signal, reads where it stands, and its records carry its client id", async () => {
    const before = (await records()).length;
    const opened = await send(
      app,
      appToken,
      byDocumentId("RegisterSignal", signal("MP-2026-0001", "horeca")),
    );
    expect(opened.body.errors).toBeUndefined();
    const c = (
      opened.body.data as { registerSignal: { case: { id: string; phase: string; status: string } } }
    ).registerSignal.case;
    expect(c).toMatchObject({ phase: "intake", status: "OPEN" });

    const status = await send(app, appToken, persisted("CaseStatus", { id: c.id }));
    expect(status.body).toEqual({
      data: {
        case: expect.objectContaining({
          id: c.id,
          reference: "MP-2026-0001",
          theme: "horeca",
          phase: "intake",
        }),
      },
    });
    const listed = await send(app, appToken, persisted("OpenCases"));
    expect((listed.body.data as { cases: { id: string }[] }).cases.map((x) => x.id)).toContain(c.id);

    const mine = (await records()).slice(before);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.actor === CLIENT && r.clientId === CLIENT)).toBe(true);
    expect(mine.find((r) => r.operation === "case.open")).toMatchObject({ decision: "allow", caseId: c.id });
    // The signal's subjects are recorded too, under the application's name.
    expect(mine.some((r) => r.caseId === c.id && r.operation !== "case.open")).toBe(true);
  });

  it("touches no case outside its themes: opening one is FORBIDDEN, reading one is NOT_FOUND", async () => {
    const refused = await send(
      app,
      appToken,
      persisted("RegisterSignal", signal("MP-2026-0002", "vastgoedfraude")),
    );
    expect(code(refused)).toBe("FORBIDDEN");
    expect((await records()).at(-1)).toMatchObject({
      operation: "case.open",
      decision: "deny",
      reason: expect.stringMatching(
        /may touch only cases of theme horeca, hennepteelt, mensenhandel \(clients.yaml\)/,
      ),
    });

    const analyst = await app.t.token("analist.jansen", "analyst");
    const other = await send(app, analyst, {
      query: "mutation($input: OpenCaseInput!) { registerSignal(input: $input) { case { id } } }",
      variables: signal("AN-2026-0777", "vastgoedfraude"),
    });
    const id = (other.body.data as { registerSignal: { case: { id: string } } }).registerSignal.case.id;
    const read = await send(app, appToken, persisted("CaseStatus", { id }));
    expect(code(read)).toBe("NOT_FOUND");
    const list = await send(app, appToken, persisted("OpenCases"));
    expect((list.body.data as { cases: { id: string }[] }).cases.map((x) => x.id)).not.toContain(id);
    expect(read.body.data).toEqual({ case: null });
  });
});

describe("an unknown client gets nothing", () => {
  it("claims the application role in vain: no roles, no case, no document of its own", async () => {
    const stranger = await clientToken("onbekende-app", "onbekende-app", ["application"]);
    const cases = await send(app, stranger, persisted("OpenCases"));
    expect(cases.body).toEqual({ data: { cases: [] } });
    const open = await send(app, stranger, persisted("RegisterSignal", signal("XX-1", "horeca")));
    expect(code(open)).toBe("FORBIDDEN");
    const me = await send(app, stranger, { query: "query { me { roles } }" });
    expect(me.status).toBe(400);
    expect(me.body.errors?.[0]?.message).toMatch(/role \(none\) may send only trusted documents/);
  });
});
