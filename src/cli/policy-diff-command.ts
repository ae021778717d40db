import { createAuditLog } from "../audit/index.ts";
import { replayPeriod } from "../cases/index.ts";
import {
  createPolicyResolver,
  diffPolicies,
  diffText,
  parsePolicyRef,
  parseReplayPeriod,
  refText,
  replayText,
  type LoadedPolicySet,
  type StoredVersionLoader,
} from "../policy/index.ts";
import { loadStoredVersion, storedVersionSources } from "../policy/versions/index.ts";
import type { Db } from "../store/index.ts";
import { cliCommand, EXIT_FAILURE, EXIT_USAGE, parseOrExit, usageError } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";
import { auditKeyOf, messageOf, offlineConfig, openOfflineDb, schemaHint } from "./offline-command.ts";
import { newTraceId } from "../shared/random-ids.ts";

/** What `policy diff` and `policy replay` write to and read (as `policy-command.ts` gives it). */
export interface PolicyDiffIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Stored policy versions (src/policy/versions); absent until wired in, then `v<N>` is refused. */
  readonly loadVersion?: StoredVersionLoader | undefined;
  /** A stored version by content hash, for replaying records decided under older versions. */
  readonly loadByHash?: ((hash: string) => Promise<LoadedPolicySet | undefined>) | undefined;
}

const diffCommand = () =>
  cliCommand("policy diff", "what changes between two policies")
    .usage("<from> <to> [--json] [--protocol <file>]")
    .argument("<from>", "a policy folder, current, files or v<N>")
    .argument("<to>", "a policy folder, current, files or v<N>")
    .option("--json", "print the diff as JSON")
    .option("--protocol <file>", "the protocol file of each folder (default $PROTOCOL_FILE or protocol.yaml)")
    .addHelpText(
      "after",
      `
Lists every rule, field, probe, role, department, theme dataset, client, retention period and
processing activity added, removed or changed, in sentences, and every matrix cell (role x phase x
source x field/probe) whose answer changes, decided as the gateway would.
References: a folder of policy files; files = $POLICY_DIR; current = the policy in force
(the working files until versions are stored); v<N> = stored version N.
Exit codes: 0 ok (also when there are differences), 1 a policy cannot be loaded, 2 usage.
`,
    );

const replayCommand = () =>
  cliCommand("policy replay", "re-decide recorded traffic under a candidate policy")
    .usage("--candidate <dir|ref> --from <date> --to <date> [--json] [--as <user>]")
    .option("--candidate <ref>", "the candidate: a policy folder, current, files or v<N>")
    .option("--from <t>", "from this date (00:00 UTC) or ISO 8601 date-time, inclusive")
    .option("--to <t>", "to this date (the whole day) or ISO 8601 date-time, exclusive")
    .option("--json", "print the replay as JSON")
    .option("--protocol <file>", "the protocol file of a folder (default $PROTOCOL_FILE or protocol.yaml)")
    .option("--as <user>", "who asks, recorded as cli:<user> with the role privacy_officer (default $USER)")
    .option("--demo", "waive the production settings that DATABASE_URL otherwise requires")
    .addHelpText(
      "after",
      `
Re-decides the disclosures and denials recorded in the period (the audit log in DATABASE_URL or
DATA_DIR) under the candidate, with each record's roles, case phase and the privacy-check
approvals in force at its time. Reports the flips allow -> deny and deny -> allow per rule,
field/probe and phase with counts and example record numbers; records that cannot be re-decided
are counted with the reason. Nothing is asked upstream; the output holds no subject, pseudonym or
value. The replay is itself written to the audit log (operation policy.replay).
Exit codes: 0 ok, 1 a policy or the database cannot be read, 2 usage.
`,
    );

const lineIo = (io: PolicyDiffIo): CommandIo => ({
  env: { ...io.env },
  stdout: (s) => void io.stdout.write(s),
  stderr: (s) => void io.stderr.write(s),
});

/** `policy diff <from> <to> [--json]` (issue 14). Returns the exit code. */
export async function runPolicyDiff(argv: readonly string[], io: PolicyDiffIo): Promise<number> {
  const cli = diffCommand();
  const out = lineIo(io);
  const parsed = parseOrExit(cli, argv, out);
  if (typeof parsed === "number") return parsed;
  const opts = parsed.opts as { json?: boolean; protocol?: string };
  const [fromText = "", toText = ""] = parsed.args;
  const from = parsePolicyRef(fromText, { dirs: true });
  if (!from.ok) return usageError(cli, `<from>: ${from.error}`, out.stderr);
  const to = parsePolicyRef(toText, { dirs: true });
  if (!to.ok) return usageError(cli, `<to>: ${to.error}`, out.stderr);
  // `current` and `v<N>` are the stored versions of this environment's database (DATABASE_URL or
  // DATA_DIR); two folders need no database.
  let db: Db | undefined;
  let stored: Pick<PolicyDiffIo, "loadVersion"> = { loadVersion: io.loadVersion };
  let current: LoadedPolicySet | undefined;
  if (!io.loadVersion && [from.value, to.value].some((r) => r.kind === "current" || r.kind === "version")) {
    const config = offlineConfig(out);
    if (typeof config === "number") return config;
    const opened = await openOfflineDb(config, out, "policy diff");
    if (typeof opened === "number") return opened;
    db = opened;
  }
  try {
    if (db) {
      stored = storedVersionSources(db);
      const latest = await loadStoredVersion(db, "latest");
      if (latest.ok) current = latest.value.policy;
    }
    const resolver = createPolicyResolver({
      current,
      filesDir: io.env.POLICY_DIR ?? "policies",
      protocolFile: opts.protocol ?? io.env.PROTOCOL_FILE,
      loadVersion: stored.loadVersion,
    });
    const a = await resolver.resolve(from.value);
    const b = await resolver.resolve(to.value);
    for (const r of [a, b]) if (!r.ok) out.stderr(`policy diff: ${r.error.message}\n`);
    // A reference to nothing is bad input (2); a policy that does not load is a policy problem (1).
    if (!a.ok || !b.ok)
      return [a, b].some((r) => !r.ok && r.error.kind === "unknown") ? EXIT_USAGE : EXIT_FAILURE;
    const diff = diffPolicies(
      { ref: refText(from.value), policy: a.value },
      { ref: refText(to.value), policy: b.value },
    );
    out.stdout(opts.json ? `${JSON.stringify(diff, null, 2)}\n` : diffText(diff));
    return 0;
  } catch (e) {
    out.stderr(`policy diff: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    await db?.close();
  }
}

/** `policy replay --candidate <ref> --from <date> --to <date> [--json]` (issue 14). */
export async function runPolicyReplay(argv: readonly string[], io: PolicyDiffIo): Promise<number> {
  const cli = replayCommand();
  const out = lineIo(io);
  const parsed = parseOrExit(cli, argv, out);
  if (typeof parsed === "number") return parsed;
  const opts = parsed.opts as {
    candidate?: string;
    from?: string;
    to?: string;
    json?: boolean;
    protocol?: string;
    as?: string;
    demo?: boolean;
  };
  if (opts.candidate === undefined) return usageError(cli, "replay needs --candidate", out.stderr);
  const ref = parsePolicyRef(opts.candidate, { dirs: true });
  if (!ref.ok) return usageError(cli, `--candidate: ${ref.error}`, out.stderr);
  const period = parseReplayPeriod(opts.from, opts.to);
  if (!period.ok) return usageError(cli, period.error, out.stderr);
  const user = opts.as ?? io.env.USER ?? "unknown";
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(user))
    return usageError(cli, "--as: letters, digits, '.', '_' and '-' (at most 64)", out.stderr);

  const config = offlineConfig(out, opts.demo === true);
  if (typeof config === "number") return config;
  const key = await auditKeyOf(config, false);
  if (!key) {
    out.stderr(
      "policy replay: AUDIT_HMAC_KEY is required (the key the gateway pseudonymises subjects with)\n",
    );
    return EXIT_USAGE;
  }
  const db = await openOfflineDb(config, out, "policy replay");
  if (typeof db === "number") return db;
  const stored = io.loadVersion
    ? { loadVersion: io.loadVersion, loadByHash: io.loadByHash }
    : storedVersionSources(db);
  // `current`: the newest stored version (what the gateway enforces); the working files before any.
  const latest = io.loadVersion ? undefined : await loadStoredVersion(db, "latest").catch(() => undefined);
  const resolver = createPolicyResolver({
    current: latest?.ok ? latest.value.policy : undefined,
    filesDir: config.policyDir,
    protocolFile: opts.protocol ?? config.protocolFile,
    loadVersion: stored.loadVersion,
  });
  const candidate = await resolver.resolve(ref.value);
  if (!candidate.ok) {
    out.stderr(`policy replay: --candidate ${candidate.error.message}\n`);
    await db.close();
    return candidate.error.kind === "unknown" ? EXIT_USAGE : EXIT_FAILURE;
  }
  const current = await resolver.resolve({ kind: "current" });
  if (!current.ok) {
    out.stderr(`policy replay: ${current.error.message}\n`);
    await db.close();
    return EXIT_FAILURE;
  }
  const known: LoadedPolicySet[] = [current.value, candidate.value];
  try {
    const audit = createAuditLog({ db, hmacKey: key });
    const report = await replayPeriod({
      db,
      audit,
      candidate: { ref: refText(ref.value), policy: candidate.value },
      from: period.value.from,
      to: period.value.to,
      policyByHash: async (hash) => known.find((p) => p.hash === hash) ?? (await stored.loadByHash?.(hash)),
    });
    // Reading the audit log is itself a processing (Delft art. 6b): recorded before the report leaves.
    const logged = await audit.append([
      {
        kind: "access",
        actor: `cli:${user}`,
        roles: ["privacy_officer"],
        processingActivity: current.value.processingActivities.forWork("accountability"),
        operation: "policy.replay",
        decision: "allow",
        reason: "policy replay from the command line",
        policyHash: current.value.hash,
        traceId: newTraceId(),
        detail: {
          candidate: report.candidate,
          period: report.period,
          records: report.records,
          replayed: report.replayed,
        },
      },
    ]);
    if (!logged.ok) {
      out.stderr(`policy replay: the audit log could not be written (${logged.error.reason})\n`);
      return EXIT_FAILURE;
    }
    out.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : replayText(report));
    return 0;
  } catch (e) {
    out.stderr(`policy replay: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    await db.close();
  }
}
