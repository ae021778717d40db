import { parseArgs } from "node:util";
import { bootstrap } from "../app/index.ts";
import { loadConfig } from "../config/index.ts";
import { demoReference, DEMO_USERS } from "../demo/index.ts";
import { caseRepository } from "../cases/index.ts";
import { createHttpServer, listen } from "../server/index.ts";
import type { CommandIo } from "./command-io.ts";

/** `serve [--demo]`: starts the gateway; in demo mode prints a token and an example query. */
export async function runServeCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { demo: { type: "boolean", default: false } } });
  const env = values.demo ? { ...io.env, DEMO_MODE: "true" } : io.env;
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
  const server = createHttpServer(app.gateway, app.db, () => app.resilience.map((r) => r.state()));
  let address;
  try {
    address = await listen(server, config.value.port, config.value.host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(
      code === "EADDRINUSE"
        ? `PORT: ${config.value.host}:${config.value.port} is already in use; set PORT to a free port.\n`
        : `Cannot listen on ${config.value.host}:${config.value.port}: ${code ?? "unknown error"}\n`,
    );
    await app.close();
    return 1;
  }
  const url = `http://${address.address}:${address.port}/graphql`;
  io.stdout(
    `Poortwachter listening on ${url} (policy ${app.policy.hash.slice(0, 12)}, protocol ${app.policy.protocol.id})\n`,
  );

  if (app.demo) {
    const token = await app.demo.issuer.mint({ sub: "analist.jansen", roles: ["analyst"] });
    const cases = await caseRepository.list(app.db, {});
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

Analyst token (analist.jansen, 8 hours):
export TOKEN=${token}

Example: hit/no-hit for a resident in source research
curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
  -d '{"query":"{ case(id: \\"${research?.id ?? "<case id>"}\\") { phase persoon(bsn: \\"${bsn}\\") { hits { probe result } } } }"}'

Example: the walk from that person to their address, residents and permits (case ${regie?.reference ?? "DEMO-regie"})
curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
  -d '{"query":"{ case(id: \\"${regie?.id ?? "<case id>"}\\") { persoon(bsn: \\"${bsn}\\") { adres { bag { adres { postcode huisnummer } } bewoners { bsn } vergunningen { soort } } } } }"}'
`);
  }

  const stop = async () => {
    io.stdout("Stopping…\n");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  return new Promise<number>(() => undefined);
}
