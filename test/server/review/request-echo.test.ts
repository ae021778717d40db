import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp, type HttpApp } from "../../utils/http-app.ts";

/**
 * Issue 10, "echoed input", for the errors graphql-js itself raises (syntax, unknown fields and
 * arguments, wrong literal types, variables): the answer names the rule and the schema's own
 * names, never the caller's text, and offers no "Did you mean" that recovers the schema.
 */
let h: HttpApp;
let token: string;
const MARK = "xssmark";

beforeAll(async () => {
  h = await startHttpApp();
  token = await h.t.token("analist.jansen", "analyst");
});
afterAll(() => h.close());

describe("request errors repeat none of the caller's text (issue 10)", () => {
  it.each([
    ["a syntax error", `{ me { subject } ${MARK} <img src=x onerror=alert(1)> }`],
    ["an unknown field", `{ me { ${MARK}Field } }`],
    ["an unknown field close to a real one", `{ cas${MARK} }`],
    ["an unknown argument", `{ case(id: "x", ${MARK}: 1) { id } }`],
    ["a wrong literal type", `{ cases(status: "${MARK}<img>") { id } }`],
    ["an unknown fragment type", `{ me { ... on ${MARK}Type { x } } }`],
    ["an unknown variable type", `query($v: ${MARK}Type) { me { subject } }`],
  ])("%s", async (_name, query) => {
    const res = await h.post(query, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(MARK);
    expect(text).not.toContain("<img");
    expect(text).not.toContain("Did you mean");
  });
});
