import { auditServer, type AuditResult } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../utils/http-app.ts";

/**
 * The GraphQL-over-HTTP working group's audit suite (graphql-http `serverAudits`) against the
 * real HTTP server: media types, status codes, GET and POST, request parameters. The audits send
 * no token; every request here carries a demo analyst's, as any client's would. Demo mode, since
 * some audits ask `__type` and introspection is off outside it (graphql-surface.test.ts).
 */
let h: HttpApp;
let results: AuditResult[];

beforeAll(async () => {
  h = await startHttpApp();
  const token = await h.t.token("analist.jansen", "analyst");
  const fetchFn = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  results = await auditServer({ url: `${h.base}/graphql`, fetchFn });
});
afterAll(async () => {
  await h.close();
});

/** `id name: reason` of each result with the status, so that a failure names what failed. */
const named = (status: AuditResult["status"]) =>
  results
    .filter((r) => r.status === status)
    .map((r) => `${r.id} ${r.name}${"reason" in r ? `: ${r.reason}` : ""}`);

describe("GraphQL over HTTP (graphql-http audits)", () => {
  it("ran the whole suite", () => {
    expect(results.length).toBeGreaterThan(50);
  });

  it("fails no MUST", () => {
    expect(named("error")).toEqual([]);
  });

  it("warns of no SHOULD", () => {
    expect(named("warn")).toEqual([]);
  });

  // Apollo's CSRF prevention (`csrfPrevention: true`, gateway.ts) refuses a GET that a browser
  // could send cross-site without a preflight: one with neither a non-simple content type nor an
  // `apollo-require-preflight` or `x-apollo-operation-name` header. These three optional audits
  // send exactly such GETs; every other optional audit passes.
  it("misses only the optional audits of a GET without a preflight header", () => {
    expect(results.filter((r) => r.status === "notice").map((r) => r.id)).toEqual(["5A70", "D6D5", "6A70"]);
  });

  it("answers the same GETs once they carry a preflight header", async () => {
    const token = await h.t.token("analist.jansen", "analyst");
    const url = new URL(`${h.base}/graphql`);
    url.searchParams.set("query", "query Type($name: String!) { __type(name: $name) { name } }");
    url.searchParams.set("variables", JSON.stringify({ name: "Case" }));
    for (const accept of ["application/json", "application/graphql-response+json"]) {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept, "apollo-require-preflight": "true" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(accept);
      expect(await res.json()).toEqual({ data: { __type: { name: "Case" } } });
    }
    const refused = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(400);
  });
});

/** The status codes the audits ask for, one by one, so that a change shows which rule broke. */
describe("status by media type", () => {
  const postAs = async (accept: string | undefined, body: unknown) => {
    const token = await h.t.token("analist.jansen", "analyst");
    const res = await fetch(`${h.base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        ...(accept ? { accept } : {}),
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as unknown };
  };

  it.each([
    ["a syntax error", { query: "{" }],
    ["an unknown field", { query: "{ nope }" }],
    ["a variable that does not coerce", { query: "query($id: ID!) { __typename }", variables: { id: null } }],
    [
      "a refusal by the operation limits",
      { query: `{ ${Array.from({ length: 401 }, (_, i) => `a${i}: __typename`).join(" ")} }` },
    ],
  ])("answers %s with 200 as application/json, 400 as graphql-response+json", async (_name, body) => {
    const legacy = await postAs("application/json", body);
    expect([legacy.status, legacy.type]).toEqual([200, "application/json; charset=utf-8"]);
    const modern = await postAs("application/graphql-response+json", body);
    expect([modern.status, modern.type]).toEqual([400, "application/graphql-response+json; charset=utf-8"]);
    for (const r of [legacy, modern]) {
      expect(r.body).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT" } }] });
      expect(r.body).not.toHaveProperty("data");
    }
    // No Accept header (fetch sends */*): application/json with the 400 the gateway always answered.
    expect((await postAs(undefined, body)).status).toBe(400);
  });

  it.each([
    ["a body that is not JSON", "{ not json"],
    ["no query", { notquery: "{ __typename }" }],
    ["a query that is not a string", { query: 0 }],
    ["variables that are not a map", { query: "{ __typename }", variables: "string" }],
  ])("answers %s with 400 whatever the media type", async (_name, body) => {
    for (const accept of ["application/json", "application/graphql-response+json", undefined])
      expect((await postAs(accept, body)).status).toBe(400);
  });

  it("never sends the internal request-error mark", async () => {
    const token = await h.t.token("analist.jansen", "analyst");
    const res = await fetch(`${h.base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        accept: "application/json",
      },
      body: JSON.stringify({ query: "{ nope }" }),
    });
    expect([...res.headers.keys()].filter((k) => k.startsWith("x-poortwachter"))).toEqual([]);
  });
});
