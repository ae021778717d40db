/** What a CLI command may touch: its environment and two output streams. */
export interface CommandIo {
  readonly env: Record<string, string | undefined>;
  stdout(s: string): void;
  stderr(s: string): void;
}
