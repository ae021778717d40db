import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/index.ts";
import { loadPolicySet, type Protocol } from "../policy/index.ts";
import {
  buildDpiaSample,
  buildFgReport,
  dpiaSampleMarkdown,
  fgReportMarkdown,
  readSnapshot,
  reportPeriod,
  sampleOptions,
  type ReportPeriod,
  type SampleOptions,
} from "../reports/index.ts";
import { openDb } from "../store/index.ts";
import type { CommandIo } from "./command-io.ts";

const USAGE = `Usage:
  npm run report -- fg --year 2026 [--out DIR]
      the FG annual report (Delft art. 9a): counts only, no personal data
  npm run report -- dpia --year 2026 --seed S [--fraction 0.1] [--out DIR]
      the DPIA sample (Delft art. 9c): at least 10% of the year's privacy checks, with history

Writes <name>-<year>.json and <name>-<year>.md to DIR (default: the current directory) and prints
their paths. Reads DATABASE_URL, or the embedded database in DATA_DIR (stop the gateway first), and
the policy files in POLICY_DIR / PROTOCOL_FILE.
`;

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

type Request =
  | { readonly report: "fg"; readonly period: ReportPeriod; readonly out: string }
  | {
      readonly report: "dpia";
      readonly period: ReportPeriod;
      readonly out: string;
      readonly options: SampleOptions;
    };

/** The request, or the message that names what is wrong with the arguments. */
function parse(argv: string[]): Request | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        year: { type: "string" },
        seed: { type: "string" },
        fraction: { type: "string" },
        out: { type: "string" },
      },
    });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const { values, positionals } = parsed;
  const [report, ...extra] = positionals;
  if (report !== "fg" && report !== "dpia")
    return report === undefined
      ? "name the report: fg or dpia"
      : `unknown report "${report}"; use fg or dpia`;
  if (extra.length > 0) return `unexpected argument "${extra.join(" ")}"`;
  if (values.year === undefined) return "--year <year> is required";
  const period = reportPeriod(/^\d{1,4}$/.test(values.year) ? Number(values.year) : Number.NaN);
  if (!period.ok) return `--year "${values.year}": ${period.error.message.replace(/^year: /, "")}`;
  const out = values.out ?? ".";
  if (out.trim() === "") return "--out is empty";
  if (report === "fg") {
    if (values.seed !== undefined || values.fraction !== undefined)
      return "--seed and --fraction belong to the dpia report";
    return { report, period: period.value, out };
  }
  if (values.seed === undefined) return "--seed <seed> is required for the dpia report";
  const fraction = values.fraction === undefined ? undefined : Number(values.fraction);
  if (values.fraction !== undefined && (values.fraction.trim() === "" || !Number.isFinite(fraction)))
    return `--fraction "${values.fraction}" is not a number`;
  const options = sampleOptions({ seed: values.seed, fraction });
  if (!options.ok) return `--${options.error.message}`;
  return { report, period: period.value, out, options: options.value };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Reads the report from the configured database (opened here, closed again). */
async function readDocument(
  request: Request,
  protocol: Protocol,
  where: { url: string | undefined; dataDir: string },
): Promise<{ name: string; json: unknown; markdown: string }> {
  const { period } = request;
  const now = new Date();
  const db = await openDb({ url: where.url, dataDir: join(where.dataDir, "pglite") });
  try {
    if (request.report === "fg") {
      const report = await readSnapshot(db, (tx) => buildFgReport(tx, { period, protocol, now }));
      return { name: `fg-report-${period.year}`, json: report, markdown: fgReportMarkdown(report) };
    }
    const { options } = request;
    const sample = await readSnapshot(db, (tx) => buildDpiaSample(tx, { period, options, protocol, now }));
    return { name: `dpia-sample-${period.year}`, json: sample, markdown: dpiaSampleMarkdown(sample) };
  } finally {
    await db.close();
  }
}

/**
 * `report fg|dpia`: writes the FG annual report (Delft art. 9a) or the DPIA sample (Delft art.
 * 9c) of a year from the configured database as JSON and Markdown. Exit 0 ok, 1 failure, 2 usage.
 */
export async function runReportCommand(argv: string[], io: CommandIo): Promise<number> {
  const request = parse(argv);
  if (typeof request === "string") {
    io.stderr(`report: ${request}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  // Reading needs only the database and policy settings; demo mode waives the production ones.
  const config = loadConfig({ ...io.env, DEMO_MODE: !io.env.DATABASE_URL ? "true" : io.env.DEMO_MODE });
  if (!config.ok) {
    for (const p of config.error.problems) io.stderr(`${p}\n`);
    return EXIT_USAGE;
  }
  const policy = await loadPolicySet(config.value.policyDir, { protocolFile: config.value.protocolFile });
  if (!policy.ok) {
    for (const p of policy.error.problems)
      io.stderr(`${p.file}: ${p.path ? `${p.path}: ` : ""}${p.reason}\n`);
    return EXIT_FAILURE;
  }
  const { out } = request;
  const protocol = policy.value.protocol;

  let document: { name: string; json: unknown; markdown: string };
  try {
    document = await readDocument(request, protocol, {
      url: config.value.databaseUrl,
      dataDir: config.value.dataDir,
    });
  } catch (e) {
    io.stderr(`report: could not read the database: ${messageOf(e)}\n`);
    return EXIT_FAILURE;
  }
  const { name, json, markdown } = document;

  try {
    await mkdir(out, { recursive: true });
    const jsonPath = resolve(out, `${name}.json`);
    const mdPath = resolve(out, `${name}.md`);
    await writeFile(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
    await writeFile(mdPath, markdown);
    io.stdout(`${jsonPath}\n${mdPath}\n`);
    return 0;
  } catch (e) {
    io.stderr(`report: could not write to ${out}: ${messageOf(e)}\n`);
    return EXIT_FAILURE;
  }
}
