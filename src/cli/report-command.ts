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
import type { Db } from "../store/index.ts";
import { cliCommand, parseOrExit, usageError } from "./cli-parser.ts";
import type { CommandIo } from "./command-io.ts";
import {
  EXIT_FAILURE,
  messageOf,
  offlineConfig,
  offlinePolicy,
  openOfflineDb,
  schemaHint,
  writeDocuments,
} from "./offline-command.ts";

const reportCommand = () =>
  cliCommand("report", "the FG annual report or the DPIA sample of a year, as JSON and Markdown")
    .usage("fg --year <year> [--out DIR] | dpia --year <year> --seed <seed> [--fraction F] [--out DIR]")
    .argument(
      "[report]",
      "fg: the FG annual report (Delft art. 9a), counts only, no personal data; dpia: the DPIA sample (Delft art. 9c), at least 10% of the year's privacy checks, with history",
    )
    .option("--year <year>", "the calendar year")
    .option("--seed <seed>", "dpia: the seed of the sample (the same seed draws the same sample)")
    .option("--fraction <f>", "dpia: the part of the privacy checks to draw, 0.1 to 1 (default 0.1)")
    .option("--out <dir>", "where to write the files (default: the current directory)")
    .allowExcessArguments(true)
    .addHelpText(
      "after",
      `
Writes <name>-<year>.json and <name>-<year>.md to DIR and prints their paths. Reads DATABASE_URL, or
the embedded database in DATA_DIR (refused while a gateway runs on it), and the policy files in
POLICY_DIR / PROTOCOL_FILE.
Exit codes: 0 written, 1 the database or DIR cannot be read or written, 2 usage.
`,
    );

interface ReportOptions {
  readonly year?: string;
  readonly seed?: string;
  readonly fraction?: string;
  readonly out?: string;
}

type Request =
  | { readonly report: "fg"; readonly period: ReportPeriod; readonly out: string }
  | {
      readonly report: "dpia";
      readonly period: ReportPeriod;
      readonly out: string;
      readonly options: SampleOptions;
    };

/** The request, or the message that names what is wrong with the arguments. */
function parse(values: ReportOptions, positionals: readonly string[]): Request | string {
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

/** Reads the report from the database (the caller closes it). */
async function readDocument(
  request: Request,
  protocol: Protocol,
  db: Db,
): Promise<{ name: string; json: unknown; markdown: string }> {
  const { period } = request;
  const now = new Date();
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
  const command = reportCommand();
  const parsed = parseOrExit(command, argv, io);
  if (typeof parsed === "number") return parsed;
  const request = parse(parsed.opts as ReportOptions, parsed.args);
  if (typeof request === "string") return usageError(command, request, io.stderr);
  const config = offlineConfig(io);
  if (typeof config === "number") return config;
  const policy = await offlinePolicy(config, io);
  if (typeof policy === "number") return policy;
  const { out } = request;
  const protocol = policy.protocol;

  let document: { name: string; json: unknown; markdown: string };
  const db = await openOfflineDb(config, io, "report");
  if (typeof db === "number") return db;
  try {
    document = await readDocument(request, protocol, db);
  } catch (e) {
    io.stderr(`report: could not read the database: ${messageOf(e)}${schemaHint(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    await db.close();
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
