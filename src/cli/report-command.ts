import { parseArgs } from "node:util";
import type { Config } from "../config/index.ts";
import type { Protocol } from "../policy/index.ts";
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
import type { CommandIo } from "./command-io.ts";
import {
  EXIT_FAILURE,
  EXIT_USAGE,
  messageOf,
  offlineConfig,
  offlinePolicy,
  openConfiguredDb,
  writeDocuments,
} from "./offline-command.ts";

const USAGE = `Usage:
  npm run report -- fg --year 2026 [--out DIR]
      the FG annual report (Delft art. 9a): counts only, no personal data
  npm run report -- dpia --year 2026 --seed S [--fraction 0.1] [--out DIR]
      the DPIA sample (Delft art. 9c): at least 10% of the year's privacy checks, with history

Writes <name>-<year>.json and <name>-<year>.md to DIR (default: the current directory) and prints
their paths. Reads DATABASE_URL, or the embedded database in DATA_DIR (stop the gateway first), and
the policy files in POLICY_DIR / PROTOCOL_FILE.
`;

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

/** Reads the report from the configured database (opened here, closed again). */
async function readDocument(
  request: Request,
  protocol: Protocol,
  config: Config,
): Promise<{ name: string; json: unknown; markdown: string }> {
  const { period } = request;
  const now = new Date();
  const db = await openConfiguredDb(config);
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
  const config = offlineConfig(io);
  if (typeof config === "number") return config;
  const policy = await offlinePolicy(config, io);
  if (typeof policy === "number") return policy;
  const { out } = request;
  const protocol = policy.protocol;

  let document: { name: string; json: unknown; markdown: string };
  try {
    document = await readDocument(request, protocol, config);
  } catch (e) {
    io.stderr(`report: could not read the database: ${messageOf(e)}\n`);
    return EXIT_FAILURE;
  }
  const { name, json, markdown } = document;

  try {
    const [jsonPath, mdPath] = await writeDocuments(out, name, json, markdown);
    io.stdout(`${jsonPath}\n${mdPath}\n`);
    return 0;
  } catch (e) {
    io.stderr(`report: could not write to ${out}: ${messageOf(e)}\n`);
    return EXIT_FAILURE;
  }
}
