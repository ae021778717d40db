import { Command, CommanderError } from "commander";

/**
 * The CLI's argument parsing (issue 12): every command declares its options and arguments with
 * commander, answers `--help` on stdout with exit 0, and refuses an unknown option, a missing
 * value or an extra argument with exit 2 and one line naming it, followed by its usage. Nothing
 * here calls process.exit: a command returns its exit code (tests run commands in-process).
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A command's parser: `name` as the program name in its usage, errors returned, not printed. */
export function cliCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .helpOption("-h, --help", "show this text");
}

export type ParsedArgv =
  | {
      readonly kind: "parsed";
      readonly opts: Record<string, unknown>;
      readonly args: readonly string[];
    }
  /** `--help` was asked for and has been written; exit 0. */
  | { readonly kind: "help" }
  /** What is wrong, one line without commander's `error: ` prefix. */
  | { readonly kind: "error"; readonly message: string };

/** Parses `argv` (the arguments after the command's name) with `command`; help goes to `stdout`. */
export function parseArgv(
  command: Command,
  argv: readonly string[],
  stdout: (s: string) => void,
): ParsedArgv {
  command.configureOutput({ writeOut: stdout, writeErr: () => undefined, outputError: () => undefined });
  try {
    command.parse([...argv], { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return { kind: "help" };
    // One line: commander puts its "(Did you mean --year?)" on a line of its own.
    const message = e.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
    return { kind: "error", message };
  }
  return { kind: "parsed", opts: command.opts(), args: command.args };
}

/** Prints `<name>: <message>`, a blank line and the command's usage on `stderr`; returns 2. */
export function usageError(command: Command, message: string, stderr: (s: string) => void): number {
  stderr(`${command.name()}: ${message}\n\n${command.helpInformation()}`);
  return EXIT_USAGE;
}

/**
 * Parses, and on `--help` or a parse error prints what is due: the parsed options and arguments,
 * or the exit code to return.
 */
export function parseOrExit(
  command: Command,
  argv: readonly string[],
  io: { stdout(s: string): void; stderr(s: string): void },
): { readonly opts: Record<string, unknown>; readonly args: readonly string[] } | number {
  const parsed = parseArgv(command, argv, io.stdout);
  if (parsed.kind === "help") return EXIT_OK;
  if (parsed.kind === "error") return usageError(command, parsed.message, io.stderr);
  return parsed;
}
