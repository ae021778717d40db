import { loadOrCreateDemoIssuer } from "../auth/index.ts";
import { loadPolicySet } from "../policy/index.ts";
import { ROLES, isRole, type Role } from "../shared/index.ts";
import { cliCommand, EXIT_FAILURE, EXIT_OK, parseOrExit, usageError } from "./cli-parser.ts";

/** Where the command reads its environment and writes its output; injected so tests can capture it. */
export interface TokenCommandIo {
  readonly env: Record<string, string | undefined>;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

interface TokenOptions {
  readonly sub?: string;
  readonly role?: string[];
  readonly client?: string;
  readonly department?: string;
  readonly ttl?: string;
  readonly dataDir?: string;
}
/** The gateway's default OIDC_MAX_TOKEN_LIFETIME_S: a longer demo token would be refused. */
const DEFAULT_MAX_LIFETIME_S = 7200;

const tokenCommand = () =>
  cliCommand("token", "mint a demo token, signed with the demo issuer key in the data directory")
    .usage("--sub <user> --role <role> [options]\n       token --client <client id> [options]")
    .option("--sub <user>", "subject of the token (required unless --client)")
    .option(
      "--role <role>",
      `role, repeatable or comma-separated (at least one unless --client): ${ROLES.join(", ")}`,
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      "--client <id>",
      "a client-credentials token for a service account of clients.yaml: azp and client_id, no amr, the roles the file gives it, sub the client id unless --sub (policy folder: $POLICY_DIR or ./policies)",
    )
    .option("--department <name>", "department claim (for department_member)")
    .option(
      "--ttl <duration>",
      "lifetime: 30m, 2h, 45s or seconds (default 1h, at most OIDC_MAX_TOKEN_LIFETIME_S, default 2h)",
    )
    .option("--data-dir <dir>", "directory with the demo key (default $DATA_DIR or ./data)")
    .addHelpText(
      "after",
      `
The gateway accepts the token only in demo mode. Prints only the token, so
TOKEN=$(npm run -s token -- ...) works.
Exit codes: 0 minted, 1 the key cannot be read or made, 2 usage.
`,
    );

const UNIT_S = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `8h`, `30m`, `45s`, `1d` or a plain number of seconds; undefined if it is none of these. */
export function parseTtl(text: string): number | undefined {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] || "s") as keyof typeof UNIT_S;
  const seconds = Number(match[1]) * UNIT_S[unit];
  return seconds > 0 ? seconds : undefined;
}

/** The most the gateway accepts (OIDC_MAX_TOKEN_LIFETIME_S, as the gateway reads it). */
const maxLifetimeOf = (env: Record<string, string | undefined>): number => {
  const n = Number(env["OIDC_MAX_TOKEN_LIFETIME_S"]);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_LIFETIME_S;
};

class UsageError extends Error {}

function parseRoleArgs(values: readonly string[]): Role[] {
  const names = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  const unknown = names.filter((name) => !isRole(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown role ${unknown.map((r) => `"${r}"`).join(", ")}; valid roles: ${ROLES.join(", ")}`,
    );
  }
  if (names.length === 0) throw new UsageError(`--role is required; valid roles: ${ROLES.join(", ")}`);
  return [...new Set(names.filter(isRole))];
}

/** The roles clients.yaml gives a service account; a usage error naming the listed ones otherwise. */
async function clientRoles(clientId: string, env: Record<string, string | undefined>): Promise<Role[]> {
  const dir = env["POLICY_DIR"] ?? "./policies";
  const loaded = await loadPolicySet(dir, { protocolFile: env["PROTOCOL_FILE"] });
  if (!loaded.ok)
    throw new UsageError(
      `the policy in ${dir} has problems (npm run policy -- check): ${loaded.error.problems
        .slice(0, 3)
        .map((p) => `${p.file}: ${p.path}: ${p.reason}`)
        .join("; ")}`,
    );
  const client = loaded.value.clients.get(clientId);
  if (!client)
    throw new UsageError(
      `client "${clientId}" is not in ${dir}/clients.yaml; listed: ${[...loaded.value.clients.keys()].join(", ") || "none"}`,
    );
  return [...client.roles];
}

/**
 * `token`: mints a demo token for a demo user, so a developer can call the gateway in demo mode
 * (design.md "Demo mode"). Returns the exit code: 0 ok, 1 failure, 2 usage error.
 */
export async function runTokenCommand(argv: string[], io: TokenCommandIo): Promise<number> {
  const command = tokenCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const values = parsed.opts as TokenOptions;
  let request;
  try {
    const clientId = values.client?.trim();
    if (values.client !== undefined && !clientId) throw new UsageError("--client is empty");
    if (clientId !== undefined && values.role !== undefined)
      throw new UsageError("--client takes its roles from clients.yaml; leave out --role");
    const sub = values.sub?.trim() ?? clientId;
    if (!sub) throw new UsageError("--sub <user> is required");
    const roles =
      clientId === undefined ? parseRoleArgs(values.role ?? []) : await clientRoles(clientId, io.env);
    const ttlSeconds = values.ttl === undefined ? undefined : parseTtl(values.ttl);
    if (values.ttl !== undefined && ttlSeconds === undefined) {
      throw new UsageError("--ttl is not a duration such as 30m, 2h or 3600");
    }
    const max = maxLifetimeOf(io.env);
    if (ttlSeconds !== undefined && ttlSeconds > max)
      throw new UsageError(
        `--ttl is longer than the ${max} s the gateway accepts (OIDC_MAX_TOKEN_LIFETIME_S); the token would be refused`,
      );
    const department = values.department?.trim();
    if (values.department !== undefined && !department) throw new UsageError("--department is empty");
    const dataDir = values.dataDir ?? io.env["DATA_DIR"] ?? "./data";
    request = { dataDir, claims: { sub, roles, department, ttlSeconds, clientId } };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageError(command, e.message, io.stderr);
  }

  try {
    const issuer = await loadOrCreateDemoIssuer(request.dataDir);
    io.stdout(`${await issuer.mint(request.claims)}\n`);
    return EXIT_OK;
  } catch (e) {
    io.stderr(`token: could not mint a token: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
