import type { Server, ServerResponse } from "node:http";
import { bootstrap, type App } from "../app/index.ts";
import { createDemoOidc, DEMO_TOKEN_TTL_S } from "../auth/index.ts";
import { DEFAULT_MAX_TOKEN_LIFETIME_S, loadConfig, type Config } from "../config/index.ts";
import { DEMO_OWNER, demoReference, DEMO_USERS } from "../demo/index.ts";
import { caseRepository } from "../cases/index.ts";
import {
  createConsoleHandler,
  createHttpServer,
  createOpsServer,
  listen,
  type WebRoute,
} from "../server/index.ts";
import { err, ok, type Result } from "../shared/index.ts";
import { cliCommand, parseOrExit } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";

export interface Listeners {
  /** The public GraphQL endpoint. */
  readonly url: string;
  /** The operator's listener (OPS_PORT), when configured. */
  readonly opsUrl?: string | undefined;
  /** Closes both listeners at once (start-up failed, tests). */
  close(): Promise<void>;
  /**
   * Graceful shutdown: `/ready` turns 503, no new connection is taken, idle keep-alive connections
   * close, the requests in flight are answered; after `timeoutMs` the rest are cut. Resolves with
   * the number of connections that had to be cut (0 when all finished in time).
   */
  drain(timeoutMs: number): Promise<number>;
  /** Requests being answered now. */
  inFlight(): number;
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Counts the requests a server is answering: a request is in flight until its response finished. */
function countRequests(server: Server): () => number {
  let n = 0;
  server.on("request", (_req, res: ServerResponse) => {
    n++;
    res.once("close", () => n--);
  });
  return () => n;
}

async function listenOn(server: Server, port: number, host: string, setting: string) {
  try {
    return ok(await listen(server, port, host));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err(
      code === "EADDRINUSE"
        ? `${setting}: ${host}:${port} is already in use; set ${setting} to a free port.\n`
        : `Cannot listen on ${host}:${port}: ${code ?? "unknown error"}\n`,
    );
  }
}

/**
 * The public listener (PORT on HOST) and, with OPS_PORT, the operator's listener on OPS_HOST,
 * the only one whose `/ready` shows each source's circuit. Either failing closes both.
 */
export async function startListeners(app: App, config: Config): Promise<Result<Listeners, string>> {
  let draining = false;
  const lifecycle = {
    draining: () => draining,
    checkpoints: () => app.checkpoints.status(),
    policy: () => app.policyVersions.status(),
  };
  const routes: WebRoute[] = [createConsoleHandler(config.console)];
  if (app.demo)
    routes.push(
      createDemoOidc({
        issuer: app.demo.issuer,
        publicUrl: config.console.publicUrl,
        clientId: config.console.clientId,
        redirectUri: config.console.redirectUri,
      }),
    );
  const server = createHttpServer(app.gateway, app.db, lifecycle, routes);
  const inFlight = countRequests(server);
  const main = await listenOn(server, config.port, config.host, "PORT");
  if (!main.ok) return main;
  let ops: Server | undefined;
  let opsUrl: string | undefined;
  if (config.ops.port !== undefined) {
    ops = createOpsServer(
      app.db,
      () => app.resilience.map((r) => r.state()),
      lifecycle,
      () => app.observability.scrape(),
    );
    const opened = await listenOn(ops, config.ops.port, config.ops.host, "OPS_PORT");
    if (!opened.ok) {
      await closeServer(server);
      return opened;
    }
    opsUrl = `http://${opened.value.address}:${opened.value.port}`;
  }
  return ok({
    url: `http://${main.value.address}:${main.value.port}/graphql`,
    opsUrl,
    close: async () => {
      server.closeAllConnections();
      await closeServer(server);
      if (ops) await closeServer(ops);
    },
    inFlight,
    drain: async (timeoutMs) => {
      draining = true;
      const closed = closeServer(server);
      server.closeIdleConnections();
      // Keep-alive connections that finish a response while draining are closed after it.
      server.on("request", (_req, res: ServerResponse) => res.setHeader("connection", "close"));
      let cut = 0;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      if ((await Promise.race([closed, timedOut])) === "timeout") {
        cut = inFlight();
        server.closeAllConnections();
        await closed;
      }
      clearTimeout(timer);
      if (ops) {
        ops.closeAllConnections();
        await closeServer(ops);
      }
      return cut;
    },
  });
}

/**
 * Graceful shutdown: the first SIGTERM/SIGINT drains (no new requests, `/ready` 503, the requests
 * in flight answered, at most SHUTDOWN_TIMEOUT_S), closes the app and exits 0; a further signal
 * only says how many requests are still being answered and does not cut them short.
 */
export function shutdownHandler(deps: {
  readonly listeners: Pick<Listeners, "drain" | "inFlight">;
  readonly app: Pick<App, "close">;
  readonly io: Pick<CommandIo, "stdout" | "stderr">;
  readonly timeoutMs: number;
  readonly exit: (code: number) => void;
}): (signal: string) => void {
  const { listeners, app, io, timeoutMs, exit } = deps;
  let stopping = false;
  return (signal) => {
    if (stopping) {
      io.stdout(
        `${signal} again: still answering ${listeners.inFlight()} request(s) in flight; stopping when they are done.\n`,
      );
      return;
    }
    stopping = true;
    io.stdout(
      `${signal}: draining ${listeners.inFlight()} request(s) in flight (at most ${timeoutMs / 1000} s)…\n`,
    );
    void (async () => {
      const cut = await listeners.drain(timeoutMs);
      if (cut > 0) io.stderr(`SHUTDOWN_TIMEOUT_S passed: ${cut} request(s) cut.\n`);
      await app.close();
      io.stdout("Stopped.\n");
      exit(0);
    })();
  };
}

const serveCommand = () =>
  cliCommand("serve", "start the gateway (npm start = serve --demo)")
    .usage("[--demo]")
    .option("--demo", "demo mode: simulators, demo issuer, demo users and cases (DEMO_MODE=true)")
    .addHelpText(
      "after",
      `
Reads its settings from the environment (README, "Configuration"). Stops on SIGTERM/SIGINT after
answering the requests in flight. With the embedded database it holds DATA_DIR's lock while it runs.
Exit codes: 0 stopped by a signal, 1 cannot start (the reason on stderr, one line per problem), 2 usage.
`,
    );

/** `serve [--demo]`: starts the gateway; in demo mode prints a token and an example query. */
export async function runServeCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = parseOrExit(serveCommand(), argv, io);
  if (typeof parsed === "number") return parsed;
  const env = parsed.opts.demo === true ? { ...io.env, DEMO_MODE: "true" } : io.env;
  const config = loadConfig(env);
  if (!config.ok) {
    io.stderr("Poortwachter cannot start; fix these settings:\n");
    for (const p of config.error.problems) io.stderr(`  - ${p}\n`);
    return 1;
  }
  const booted = await bootstrap({ config: config.value });
  if (!booted.ok) {
    io.stderr("Poortwachter cannot start:\n");
    for (const p of booted.error.problems) io.stderr(`  - ${p}\n`);
    return 1;
  }
  const app = booted.value;
  const listeners = await startListeners(app, config.value);
  if (!listeners.ok) {
    io.stderr(listeners.error);
    await app.close();
    return 1;
  }
  const { url, opsUrl } = listeners.value;
  io.stdout(
    `Poortwachter listening on ${url} (policy ${app.policy.hash.slice(0, 12)}, protocol ${app.policy.protocol.id})\n`,
  );
  if (opsUrl) io.stdout(`Operator readiness (with each source's circuit) on ${opsUrl}/ready\n`);
  if (opsUrl) io.stdout(`Prometheus metrics on ${opsUrl}/metrics\n`);

  if (app.demo) {
    // Within OIDC_MAX_TOKEN_LIFETIME_S, or the gateway would refuse its own printout.
    const maxS = config.value.oidc.maxTokenLifetimeS ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
    const ttlSeconds = Math.min(DEMO_TOKEN_TTL_S, maxS);
    const token = await app.demo.issuer.mint({ sub: DEMO_OWNER, roles: ["analyst"], ttlSeconds });
    // References are unique per owner: the demo's cases are those of the demo owner.
    const cases = await caseRepository.list(app.db, { assignedTo: DEMO_OWNER });
    const phases = app.policy.protocol.phases.map((p) => p.id);
    const research = cases.find((c) => c.reference === demoReference(phases[2] ?? ""));
    const regie = cases.find((c) => c.reference === demoReference(phases[3] ?? ""));
    const bsn = app.demo.municipality.wellKnown.residentBsn;
    io.stdout(`
Demo mode: data in ${config.value.dataDir}; simulators on loopback:
${Object.entries(app.demo.simulators)
  .map(([source, sim]) => `  ${source.padEnd(9)} ${sim.url}`)
  .join("\n")}
Demo users: ${DEMO_USERS.map((u) => `${u.sub} (${u.role})`).join(", ")}
More tokens: npm run token -- --sub privacy.officer --role privacy_officer

Demo cases:
${cases.map((c) => `  ${c.reference.padEnd(24)} ${c.id}  phase ${c.phase}`).join("\n")}

Analyst token (analist.jansen, valid ${Math.round(ttlSeconds / 60)} minutes):
export TOKEN=${token}

Example: hit/no-hit for a resident in source research
curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
  -d '{"query":"{ case(id: \\"${research?.id ?? "<case id>"}\\") { phase persoon(bsn: \\"${bsn}\\") { hits { probe result } } } }"}'

Example: the walk from that person to their address, residents, permits and WOZ value (case ${regie?.reference ?? "DEMO-regie"})
curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
  -d '{"query":"{ case(id: \\"${regie?.id ?? "<case id>"}\\") { persoon(bsn: \\"${bsn}\\") { adres { bag { adres { postcode huisnummer } } bewoners { bsn } vergunningen { soort } woz { waarden { vastgesteldeWaarde waardepeildatum } } kadaster { kadastraleAanduiding } eigenaren { bsn } } } } }"}'
`);
  }

  const stop = shutdownHandler({
    listeners: listeners.value,
    app,
    io,
    timeoutMs: config.value.shutdownTimeoutMs,
    exit: (code) => process.exit(code),
  });
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  return new Promise<number>(() => undefined);
}
