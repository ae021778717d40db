import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerDemoRows } from "../../../src/demo/index.ts";
import { wellKnown } from "../../../src/sources/synthetic/index.ts";
import { overlay } from "../../policy/policy-fixtures.ts";
import { startTestApp, type GqlResult, type TestApp } from "../../utils/test-app.ts";

/**
 * Issue 16: the register fields cannot be had by aliases, fragments, repeated or other subjects;
 * a register whose table is gone answers UNKNOWN / UPSTREAM_UNAVAILABLE; and a register added
 * only by a YAML file (here over HTTP, against a local server) answers through the graph as the
 * policy says.
 */
let t: TestApp;
let server: Server;
let known: ReturnType<typeof registerDemoRows>["wellKnown"];
let analyst: string;
let cleanup: () => void;
let httpCalls: string[] = [];

const PARKEER = `source: parkeer
title: Parkeerboetes (test register over HTTP)
article: Maastricht bijlage A fase 3 (andersoortige beschikkingen)
key: bsn
backend:
  kind: http
  url: http://127.0.0.1:PORT/boetes?bsn={value}
  timeoutMs: 1000
fields:
  - { name: kenteken, class: personal, note: "licence plate" }
  - { name: datum, class: personal, note: "date of the fine" }
probes:
  - id: parkeer.boete
    description: A parking fine exists for this BSN.
`;
const PARKEER_RULES = `  - id: parkeer.bronnenonderzoek.analyst
    source: parkeer
    phases: [bronnenonderzoek]
    roles: [analyst]
    mode: hit
    probes: [parkeer.boete]
    reason: test register, hit / no hit in source research
    article: Maastricht art. 17
  - id: parkeer.regie.analyst
    source: parkeer
    phases: [regie]
    roles: [analyst]
    mode: fields
    openData: false
    fields: [datum]
    reason: test register, fields after checks
    article: Maastricht art. 19
`;

beforeAll(async () => {
  server = createServer((req, res) => {
    httpCalls.push(req.url ?? "");
    const bsn = new URL(req.url ?? "/", "http://x").searchParams.get("bsn");
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(
        JSON.stringify(bsn === wellKnown.residentBsn ? [{ kenteken: "XX-123-Y", datum: "2026-01-02" }] : []),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const o = overlay();
  cleanup = o.cleanup;
  writeFileSync(join(o.dir, "registers", "parkeer.yaml"), PARKEER.replace("PORT", String(port)));
  const { readFileSync } = await import("node:fs");
  writeFileSync(
    join(o.dir, "disclosure.yaml"),
    readFileSync(join(o.dir, "disclosure.yaml"), "utf8") + PARKEER_RULES,
  );
  t = await startTestApp({ env: { POLICY_DIR: o.dir } });
  known = registerDemoRows(t.app.demo!.municipality, new Date().toISOString().slice(0, 10)).wellKnown;
  analyst = await t.token("analist.jansen", "analyst");
});
afterAll(async () => {
  await t.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  cleanup();
});

const values = (r: GqlResult): string[] => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
    else if (typeof v === "string") out.push(v);
  };
  walk(r.data);
  return out;
};

describe("a register added by a YAML file alone (HTTP)", () => {
  it("answers its probe in source research (the demo's check 1 names every source's probes)", async () => {
    const c = await t.demoCase("bronnenonderzoek");
    httpCalls = [];
    const q = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["parkeer.boete"]) { source probe result } } } }`;
    const hit = await t.gql(analyst, q, { id: c.id, bsn: wellKnown.residentBsn });
    expect(hit.errors).toBeUndefined();
    expect(JSON.stringify(hit.data)).toContain('"source":"parkeer","probe":"parkeer.boete","result":"HIT"');
    const none = await t.gql(analyst, q, { id: c.id, bsn: wellKnown.deceasedBsn });
    expect(JSON.stringify(none.data)).toContain('"result":"NO_HIT"');
    expect(httpCalls).toEqual([
      `/boetes?bsn=${wellKnown.residentBsn}`,
      `/boetes?bsn=${wellKnown.deceasedBsn}`,
    ]);
  });

  it("is not consulted in intake (no rule names it there: deny by default)", async () => {
    const c = await t.demoCase("intake");
    httpCalls = [];
    const r = await t.gql(
      analyst,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["parkeer.boete"]) { result } } } }`,
      { id: c.id, bsn: wellKnown.residentBsn },
    );
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(httpCalls).toEqual([]);
  });

  it("gives no field a rule does not name, and none without an approval, without calling the register", async () => {
    const c = await t.demoCase("regie");
    httpCalls = [];
    const r = await t.gql(
      analyst,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { register(name: "parkeer") { k: value(field: "kenteken") d: value(field: "datum") } } } }`,
      { id: c.id, bsn: wellKnown.residentBsn },
    );
    expect(values(r)).not.toContain("XX-123-Y");
    expect(values(r)).not.toContain("2026-01-02");
    expect(r.errors?.every((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
    expect(httpCalls).toEqual([]);
  });
});

describe("attacks on register fields", () => {
  it("aliases and fragments reach no more than a plain request", async () => {
    const c = await t.demoCase("regie");
    const r = await t.gql(
      analyst,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) {
        a: register(name: "uitkeringen") { ...F x: value(field: "soort") }
        b: register(name: "uitkeringen") { ... on RegisterRecord { y: value(field: "soort") z: value(field: "regeling") } }
      } } }
      fragment F on RegisterRecord { s: value(field: "soort") r: value(field: "regeling") }`,
      { id: c.id, bsn: known.bsnWithBenefit },
    );
    const p = (r.data?.case as { persoon: Record<string, Record<string, unknown>[]> }).persoon;
    expect(p["a"]?.[0]).toEqual({ s: null, r: "Participatiewet", x: null });
    expect(p["b"]?.[0]).toEqual({ y: null, z: "Participatiewet" });
    const denied = (r.errors ?? []).map((e) => e.path?.slice(-1)[0]).sort();
    expect(denied).toEqual(["s", "x", "y"]);
    expect(r.errors?.every((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
  });

  it("a field name that is no field of the register is FORBIDDEN, like a denied one", async () => {
    const c = await t.demoCase("regie");
    const r = await t.gql(
      analyst,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { register(name: "uitkeringen") {
        a: value(field: "constructor") b: value(field: "bsn") c: value(field: "regeling") } } } }`,
      { id: c.id, bsn: known.bsnWithBenefit },
    );
    const rec = (r.data?.case as { persoon: { register: Record<string, unknown>[] } }).persoon.register[0];
    expect(rec).toEqual({ a: null, b: null, c: "Participatiewet" });
    expect(values(r)).not.toContain(known.bsnWithBenefit);
  });

  it("a field name with SQL in it is refused at the edge before anything runs", async () => {
    const c = await t.demoCase("regie");
    const r = await t.gql(
      analyst,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { register(name: "uitkeringen") { value(field: "regeling\\" FROM x --") } } } }`,
      { id: c.id, bsn: known.bsnWithBenefit },
    );
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(r.data ?? null).toBeNull();
  });

  it("another person than the case's subjects gets nothing, and the same answer for one with or without records", async () => {
    const c = await t.demoCase("regie");
    const ask = (bsn: string) =>
      t.gql(
        analyst,
        `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { register(name: "uitkeringen") { value(field: "regeling") } } } }`,
        { id: c.id, bsn },
      );
    const other = registerDemoRows(t.app.demo!.municipality, "2026-01-01").rows.uitkeringen[1]?.[0] as string;
    const withRecords = await ask(other);
    const without = await ask("999990032");
    expect(withRecords.data).toEqual(without.data);
    expect(withRecords.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(without.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it("a foreign analyst and a department member without a share get nothing", async () => {
    const c = await t.demoCase("regie");
    const q = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { register(name: "uitkeringen") { value(field: "regeling") } } } }`;
    for (const token of [
      await t.token("analist.bakker", "analyst"),
      await t.token("medewerker.vergunningen", "department_member", "vergunningen"),
    ]) {
      const r = await t.gql(token, q, { id: c.id, bsn: known.bsnWithBenefit });
      expect(values(r)).not.toContain("Participatiewet");
    }
  });
});

describe("a register whose table is gone", () => {
  it("answers UNKNOWN to probes and UPSTREAM_UNAVAILABLE to fields, never NO_HIT", async () => {
    await t.app.db.query("ALTER TABLE registers_demo.subsidies RENAME TO subsidies_weg");
    try {
      const c = await t.demoCase("bronnenonderzoek");
      const { addSubjects } = await import("../../utils/case-subjects.ts");
      await addSubjects(t.app, c.id, [`onderneming:${known.kvkWithSubsidy}`]);
      const r = await t.gql(
        analyst,
        `query($id: ID!, $kvk: String!) { case(id: $id) { onderneming(kvkNummer: $kvk) { hits(probes: ["subsidies.verleend"]) { result hit } } } }`,
        { id: c.id, kvk: known.kvkWithSubsidy },
      );
      expect(r.errors).toBeUndefined();
      expect((r.data?.case as { onderneming: { hits: unknown } }).onderneming.hits).toEqual([
        { result: "UNKNOWN", hit: null },
      ]);
      const regie = await t.demoCase("regie");
      await addSubjects(t.app, regie.id, [`onderneming:${known.kvkWithSubsidy}`]);
      const f = await t.gql(
        analyst,
        `query($id: ID!, $kvk: String!) { case(id: $id) { onderneming(kvkNummer: $kvk) { register(name: "subsidies") { value(field: "regeling") } } } }`,
        { id: regie.id, kvk: known.kvkWithSubsidy },
      );
      expect(f.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    } finally {
      await t.app.db.query("ALTER TABLE registers_demo.subsidies_weg RENAME TO subsidies");
    }
  });
});
