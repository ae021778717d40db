import { getNamedType, isObjectType, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_APPROVED_FIELDS } from "../../src/demo/index.ts";
import { buildSchema } from "../../src/server/index.ts";
import type { Role } from "../../src/shared/index.ts";
import { createBrpClient } from "../../src/sources/brp/index.ts";
import { startTestApp, type TestApp } from "../utils/test-app.ts";

/**
 * One query selects every BRP field, every one under an alias, through a named fragment and an
 * inline fragment; for every role x phase of the demo policy exactly the allowed leaves are
 * non-null, with the BRP's own value.
 */
const ALIAS = "x_";

function selection(type: GraphQLObjectType, depth = 0): string {
  return Object.values(type.getFields())
    .map((f) => {
      const named = getNamedType(f.type);
      return isObjectType(named) && depth < 6
        ? `${ALIAS}${f.name}: ${f.name} { ${selection(named, depth + 1)} }`
        : `${ALIAS}${f.name}: ${f.name}`;
    })
    .join(" ");
}

const brpType = buildSchema().getType("BrpPersoon") as GraphQLObjectType;

function graphqlLeaves(
  type: GraphQLObjectType,
  prefix = "",
  out = new Set<string>(),
  depth = 0,
): Set<string> {
  for (const f of Object.values(type.getFields())) {
    const path = prefix ? `${prefix}.${f.name}` : f.name;
    const named = getNamedType(f.type);
    if (isObjectType(named) && depth < 6) graphqlLeaves(named, path, out, depth + 1);
    else out.add(path);
  }
  return out;
}
const SELECTED = graphqlLeaves(brpType);
const QUERY = `query($id: ID!, $bsn: String!) {
  case(id: $id) { persoon(bsn: $bsn) { brp { ...Everything } } }
}
fragment Everything on BrpPersoon { ... on BrpPersoon { ${selection(brpType)} } }`;

/** Leaves as `path -> value`, array items as `path[i]`, aliases removed. */
function leaves(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      const key = k.startsWith(ALIAS) ? k.slice(ALIAS.length) : k;
      leaves(v, prefix ? `${prefix}.${key}` : key, out);
    }
  else out.set(prefix, value);
  return out;
}
const policyPath = (leafPath: string) => leafPath.replace(/\[\d+\]/g, "");
const under = (path: string, units: readonly string[]) =>
  units.some((u) => path === u || path.startsWith(`${u}.`));

/**
 * The demo policy, written out independently of the code that enforces it: analysts assigned
 * to the case see, in regie only, the fields the demo check approved; the vergunningen department
 * member, in regie only, the name and address the demo check 2a shared with it about this
 * resident; everybody else nothing.
 */
function expectedUnits(actor: string, phase: string): readonly string[] {
  const assigned = actor === "owner" || actor === "substitute";
  if (actor === "department member") return phase === "regie" ? ["naam", "verblijfplaats"] : [];
  return assigned && phase === "regie" ? DEMO_APPROVED_FIELDS : [];
}

const ACTORS: [string, string, Role, string?][] = [
  ["owner", "analist.jansen", "analyst"],
  ["substitute", "analist.devries", "analyst"],
  ["foreign analyst", "analist.bakker", "analyst"],
  ["privacy officer", "privacy.officer", "privacy_officer"],
  ["coordinator", "coordinator", "coordinator"],
  ["dpo", "fg", "dpo"],
  ["department member", "medewerker.vergunningen", "department_member", "vergunningen"],
  ["legal", "jurist", "legal"],
  ["application", "app-client", "application"],
];
const PHASES = ["intake", "weging", "bronnenonderzoek", "regie", "afgesloten"];

let t: TestApp;
let raw: Map<string, unknown>;
let bsn: string;

beforeAll(async () => {
  t = await startTestApp();
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
  const client = createBrpClient({
    baseUrl: t.app.demo!.brpSimulator.url,
    auth: { kind: "apiKey", apiKey: "demo-brp-api-key" },
    timeoutMs: 2000,
  });
  const all = Object.keys(brpType.getFields());
  const r = await client.raadpleeg([bsn as never], all);
  if (!r.ok || !r.value[0]) throw new Error("resident not readable from the simulator");
  raw = leaves(r.value[0]);
});
afterAll(() => t.close());

describe.each(PHASES)("phase %s", (phase) => {
  it.each(ACTORS)("%s sees exactly the allowed BRP leaves", async (actor, sub, role, department) => {
    const c = await t.demoCase(phase);
    const token = await t.token(sub, role, department);
    const r = await t.gql(token, QUERY, { id: c.id, bsn });
    const units = expectedUnits(actor, phase);
    const got = leaves(
      (r.data as { case?: { persoon?: { brp?: unknown } } } | null)?.case?.persoon?.brp ?? null,
    );
    const nonNull = [...got].filter(([, v]) => v !== null).map(([p]) => p);

    for (const p of nonNull) expect(under(policyPath(p), units), `${p} must not be released`).toBe(true);
    for (const [p, v] of raw) {
      if (!SELECTED.has(policyPath(p)) || !under(policyPath(p), units)) continue;
      expect(got.get(p), `${p} is approved and must be released`).toEqual(v);
    }
    if (units.length === 0) expect(nonNull).toEqual([]);
    else expect(nonNull.length).toBeGreaterThan(0);
    // Every null leaf that the query selected is explained by an error at or above it.
    for (const e of r.errors ?? []) expect(["FORBIDDEN", "NOT_FOUND"]).toContain(e.extensions?.code);
  });
});
