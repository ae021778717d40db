/**
 * The demo simulators in a process of their own (issue 15's benchmark): the same simulators
 * `startDemoSources` starts inside a demo gateway, over the same synthetic municipality
 * (DEMO_MUNICIPALITY with DEMO_POPULATION), with the demo credentials. Beside them a control
 * listener the bench reads the request logs through: `GET /counts` (requests per source since
 * the start or the last `POST /clear`), `GET /last?source=brp&n=1` (the newest recorded requests
 * of a source, as replayable requests). On start it prints one JSON line with every URL.
 * Started by bench/side-servers.ts; alone: `npx tsx bench/simulators-process.ts`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_MUNICIPALITY } from "../src/app/index.ts";
import { startDemoSources } from "../src/app/upstreams.ts";
import { loadConfig } from "../src/config/index.ts";
import { createMunicipality } from "../src/sources/synthetic/index.ts";
import { replayable, SOURCES, type RecordedLike, type SimulatorUrls } from "./bench-stats.ts";

const config = loadConfig({ ...process.env, DEMO_MODE: "true" });
if (!config.ok) throw new Error(config.error.problems.join("; "));
const municipality = createMunicipality({
  ...DEMO_MUNICIPALITY,
  size: config.value.demoPopulation,
  code: config.value.municipalityCode,
});
const closers: (() => Promise<void>)[] = [];
// Not the gateway's configuration: only the simulators' URLs of the returned one are used.
const { simulators } = await startDemoSources(config.value, municipality, (c) => closers.push(c));

const urls: SimulatorUrls = {
  brp: simulators.brp.url,
  bag: simulators.bag.url,
  kvk: simulators.kvk.url,
  brk: simulators.brk.url,
  bewoning: simulators.bewoning.url,
  historie: simulators.historie.url,
  woz: simulators.woz.url,
  permitsZaken: simulators.permits.zakenUrl,
  permitsCatalogi: simulators.permits.catalogiUrl,
};

const control = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://control");
  const json = (status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  if (req.method === "GET" && url.pathname === "/counts")
    return json(200, Object.fromEntries(SOURCES.map((s) => [s, simulators[s].requestCount()])));
  if (req.method === "POST" && url.pathname === "/clear") {
    for (const s of SOURCES) simulators[s].clearRequests();
    return json(200, {});
  }
  if (req.method === "GET" && url.pathname === "/last") {
    const source = SOURCES.find((s) => s === url.searchParams.get("source"));
    if (!source) return json(400, { error: `source: one of ${SOURCES.join(", ")}` });
    const n = Number(url.searchParams.get("n") ?? 1);
    const sim = simulators[source];
    const origin = new URL(source === "permits" ? simulators.permits.zakenUrl : sim.url).origin;
    const recorded = (sim.requests as readonly RecordedLike[]).slice(-n);
    return json(
      200,
      recorded.map((r) => replayable(origin, r)),
    );
  }
  return json(404, {});
});
await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
const port = (control.address() as AddressInfo).port;
console.log(JSON.stringify({ control: `http://127.0.0.1:${port}`, urls }));

const stop = async () => {
  control.close();
  control.closeAllConnections();
  for (const close of closers.reverse()) await close().catch(() => undefined);
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
