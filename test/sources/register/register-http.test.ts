import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { passThrough } from "../../../src/sources/http/index.ts";
import {
  createRegisterClient,
  createRegisterLoaders,
  registerUrl,
  runRegisterProbe,
  type RegisterSpec,
} from "../../../src/sources/register/index.ts";

/**
 * Issue 16: a register served as JSON over HTTP (a URL template with the key as its only
 * substitution, a secret header from the environment), against a small local server. Every
 * failure is UNKNOWN, never NO_HIT.
 */
type Mode = "ok" | "500" | "html" | "shape" | "hang" | "404";
let mode: Mode = "ok";
const seen: IncomingMessage[] = [];
let server: Server;
let base = "";
const ROWS: Record<string, unknown[]> = {
  "6211AB 12": [
    { datum: "2026-10-01", categorie: "overlast", feit_code: "F041" },
    { datum: "2024-01-01", categorie: "afval", feit_code: null },
  ],
};
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    const url = new URL(req.url ?? "/", "http://x");
    if (mode === "hang") return;
    if (mode === "500") return void res.writeHead(500).end();
    if (mode === "404") return void res.writeHead(404).end();
    if (mode === "html") return void res.writeHead(200, { "content-type": "text/html" }).end("<p>hi</p>");
    if (mode === "shape")
      return void res.writeHead(200, { "content-type": "application/json" }).end('{"records":1}');
    const key = `${url.searchParams.get("postcode")} ${url.pathname.split("/").pop()}`;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(ROWS[key] ?? []));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  mode = "ok";
  seen.length = 0;
});

const spec = (): RegisterSpec => ({
  source: "boa",
  key: "adres",
  backend: {
    kind: "http",
    url: `${base}/boa/huisnummer/{huisnummer}?postcode={postcode}`,
    auth: { header: "X-Register-Key", env: "BOA_REGISTER_AUTH" },
    timeoutMs: 300,
  },
  fields: [{ name: "datum" }, { name: "categorie" }, { name: "feitcode", column: "feit_code" }],
  probes: [
    { id: "boa.registratieOpAdres", where: [{ field: "datum", since: "P12M" }] },
    {
      id: "boa.afval",
      where: [
        { field: "categorie", equals: "afval" },
        { field: "datum", since: "P12M" },
      ],
    },
  ],
});
const TODAY = "2026-12-03";
const KEY = { postcode: "6211AB", huisnummer: 12 };
const client = (env: Record<string, string> = { BOA_REGISTER_AUTH: "s3cret" }) =>
  createRegisterClient({ env, open: () => Promise.reject(new Error("unused")), protect: () => passThrough });
const probe = (id: string, env?: Record<string, string>) =>
  runRegisterProbe(createRegisterLoaders(client(env)), spec(), id, KEY, TODAY);

describe("HTTP register", () => {
  it("substitutes only the key, URL-encoded", () => {
    expect(registerUrl(spec().backend as never, { postcode: "6211 AB&x=1", huisnummer: 12 })).toBe(
      `${base}/boa/huisnummer/12?postcode=6211%20AB%26x%3D1`,
    );
  });

  it("answers probes from the records with the file's conditions, sending the secret header", async () => {
    expect(await probe("boa.registratieOpAdres")).toEqual({ result: "HIT", reason: "record_found" });
    expect((await probe("boa.afval")).result).toBe("NO_HIT");
    expect(seen[0]?.headers["x-register-key"]).toBe("s3cret");
    expect(seen[0]?.url).toBe("/boa/huisnummer/12?postcode=6211AB");
  });

  it("an address without records is NO_HIT", async () => {
    const out = await runRegisterProbe(
      createRegisterLoaders(client()),
      spec(),
      "boa.registratieOpAdres",
      { postcode: "6211AB", huisnummer: 13 },
      TODAY,
    );
    expect(out.result).toBe("NO_HIT");
  });

  it("releases only the fields asked for, mapped from their properties", async () => {
    expect(await client().records(spec(), KEY, ["feitcode"])).toEqual({
      ok: true,
      value: [{ feitcode: "F041" }, { feitcode: null }],
    });
  });

  it.each<[Mode, string]>([
    ["500", "unavailable_http_500"],
    ["404", "rejected_http_404"],
    ["html", "malformed_unexpected_content_type"],
    ["shape", "malformed_schema_mismatch"],
    ["hang", "timeout_timeout"],
  ])("a %s answer is UNKNOWN (%s), never NO_HIT", async (m, reason) => {
    mode = m;
    expect(await probe("boa.registratieOpAdres")).toEqual({ result: "UNKNOWN", reason });
  });

  it("without its secret the register is not called: UNKNOWN", async () => {
    expect(await probe("boa.registratieOpAdres", {})).toEqual({
      result: "UNKNOWN",
      reason: "unauthorized_secret_not_set",
    });
    expect(seen).toEqual([]);
  });

  it("the same question about the same subject is asked once per request", async () => {
    const loaders = createRegisterLoaders(client());
    await Promise.all(
      [1, 2, 3].map(() => runRegisterProbe(loaders, spec(), "boa.registratieOpAdres", KEY, TODAY)),
    );
    expect(seen.length).toBe(1);
  });
});
