/**
 * The two reference servers of issue 15's side-by-side benchmark, each a bare Apollo Server 5
 * (standalone, node:http) with the gateway's query shape for the two benchmark queries:
 *
 * - `bare`: the passthrough. `brp` sends the BRP Personen request the gateway sent for the fields
 *   query (same body, fields, API key and protocol headers) to the same BRP simulator and returns
 *   its person; `hits` sends the upstream requests the gateway made for one hits query (recorded
 *   in the simulators' logs; a fresh ZGW token for the permit system, as the gateway's client
 *   signs one) all at once and answers per probe HIT when they all answered 200. No policy, no
 *   audit, no authentication.
 * - `static`: the ceiling, the same schema answering a fixed value without any upstream.
 *
 * Configuration from the environment: PORT, MODE (`bare` | `static`), PLAN (JSON, see `Plan`).
 * It prints `listening <url>` once it listens. Started by bench/side-servers.ts.
 */
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { DEMO_ZGW } from "../src/app/upstreams.ts";
import { systemClock } from "../src/shared/index.ts";
import { createZgwTokenSource } from "../src/sources/permits/index.ts";
import type { Replayable } from "./bench-stats.ts";

/** What the bare server replays, taken from the simulators' logs after one gateway request each. */
export interface Plan {
  readonly fields: Replayable;
  readonly hits: readonly Replayable[];
  /** The probes the gateway answered for the hits query (the bare answer has the same length). */
  readonly probes: readonly string[];
  /** The gateway's answer to the fields query: what `static` returns for `brp`. */
  readonly person: unknown;
}

const typeDefs = `#graphql
  type Query { case(id: ID!): Case }
  type Case { persoon(bsn: String!): Persoon! }
  type Persoon { brp: Brp, hits: [Hit!] }
  type Brp { naam: Naam, verblijfplaats: Verblijfplaats }
  type Naam { geslachtsnaam: String }
  type Verblijfplaats { verblijfadres: Verblijfadres }
  type Verblijfadres { postcode: String }
  type Hit { probe: String!, result: String! }
`;

const mode = process.env.MODE;
if (mode !== "bare" && mode !== "static") throw new Error("MODE: bare or static");
const plan = JSON.parse(process.env.PLAN ?? "null") as Plan | null;
if (!plan) throw new Error("PLAN: required");

const zgw = createZgwTokenSource(
  { ...DEMO_ZGW, userId: DEMO_ZGW.clientId, userRepresentation: "Poortwachter" },
  systemClock,
);
const isPermits = (r: Replayable) => /\/(zaken|catalogi)\/api\//.test(r.url);

async function send(r: Replayable): Promise<{ status: number; body: unknown }> {
  let headers = r.headers;
  if (isPermits(r)) {
    const token = await zgw.token();
    if (!token.ok) throw new Error("ZGW token");
    headers = { ...headers, authorization: `Bearer ${token.value}` };
  }
  const res = await fetch(r.url, {
    method: r.method,
    headers,
    ...(r.body !== undefined ? { body: r.body } : {}),
  });
  return { status: res.status, body: await res.json() };
}

const staticHits = plan.probes.map((probe) => ({ probe, result: "HIT" }));
const resolvers = {
  Query: { case: () => ({}) },
  Case: { persoon: () => ({}) },
  Persoon:
    mode === "static"
      ? { brp: () => plan.person, hits: () => staticHits }
      : {
          brp: async () => {
            const { status, body } = await send(plan.fields);
            if (status !== 200) throw new Error(`BRP ${status}`);
            return (body as { personen?: unknown[] }).personen?.[0] ?? null;
          },
          hits: async () => {
            const answers = await Promise.all(plan.hits.map(send));
            const result = answers.every((a) => a.status === 200) ? "HIT" : "UNKNOWN";
            return plan.probes.map((probe) => ({ probe, result }));
          },
        },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" },
});
console.log(`listening ${url}`);
const stop = () => void server.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
