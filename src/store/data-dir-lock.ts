import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { err, ok, type Result } from "../shared/index.ts";

/**
 * The lock on DATA_DIR (issue 12). The embedded database (PGlite) is one process's files: a second
 * process opening them (an offline `audit`/`report`/`retention`/`rights`/`migrate` beside the
 * running gateway, or a second gateway) would read them under the first one's feet or corrupt
 * them. Whoever opens the embedded database first creates `DATA_DIR/poortwachter.lock`
 * exclusively, with its pid, host and command; the others refuse, naming that pid. The file goes
 * when its holder closes; one left by a process that died (kill -9, a crash) is taken over.
 */

export const LOCK_FILE = "poortwachter.lock";

export interface LockContent {
  readonly pid: number;
  readonly host: string;
  /** `serve` for the gateway, else the offline command's name. */
  readonly command: string;
  readonly since: string;
}

export interface DataDirLock {
  readonly file: string;
  /** A dead process's lock that was taken over, if any (for a log line). */
  readonly tookOver: { readonly pid: number; readonly command: string } | undefined;
  /** Removes the file (only while it is still ours). Idempotent. */
  release(): Promise<void>;
}

export type DataDirLockError =
  | {
      readonly kind: "in_use";
      readonly dir: string;
      readonly holder: LockContent;
      /** One line: who holds it. */
      readonly message: string;
    }
  | { readonly kind: "unusable"; readonly dir: string; readonly message: string };

/** Locks held by this process, by file: a pid equal to ours in a file we do not hold is stale. */
const heldHere = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

const reasonOf = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return `not writable (${code})`;
  if (code === "ENOTDIR" || code === "EEXIST") return "is not a directory";
  return code ?? (e instanceof Error ? e.message : String(e));
};

/** A problem with DATA_DIR as a directory to keep files in (one line naming it), or undefined. */
export async function dataDirProblem(dir: string): Promise<string | undefined> {
  try {
    const s = await stat(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return undefined;
      throw e;
    });
    if (s && !s.isDirectory()) return `DATA_DIR ${dir} is not a directory`;
    await mkdir(dir, { recursive: true });
    return undefined;
  } catch (e) {
    return `DATA_DIR ${dir}: ${reasonOf(e)}`;
  }
}

const describeHolder = (dir: string, h: LockContent): string =>
  `DATA_DIR ${dir} is in use by ${h.command === "serve" ? "a running gateway" : `a running \`${h.command}\` command`} (pid ${h.pid}${h.host === hostname() ? "" : ` on ${h.host}`})`;

async function readHolder(file: string): Promise<LockContent | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<LockContent>;
    if (typeof parsed.pid !== "number" || typeof parsed.host !== "string") return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      command: typeof parsed.command === "string" ? parsed.command : "serve",
      since: typeof parsed.since === "string" ? parsed.since : "",
    };
  } catch {
    return undefined;
  }
}

/** Whether `holder` is a live process: on another host we cannot tell, so it counts as live. */
const holderLives = (file: string, holder: LockContent): boolean => {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldHere.has(file);
  return alive(holder.pid);
};

/** The live holder of DATA_DIR's lock, if any (without taking it). */
export async function dataDirHolder(dir: string): Promise<LockContent | undefined> {
  const file = resolve(join(dir, LOCK_FILE));
  const holder = await readHolder(file);
  return holder && holderLives(file, holder) ? holder : undefined;
}

/**
 * Takes DATA_DIR's lock for `command`, creating the directory when missing. Refuses when a live
 * process holds it or the directory cannot be used; takes over a dead process's lock.
 */
export async function lockDataDir(
  dir: string,
  command: string,
): Promise<Result<DataDirLock, DataDirLockError>> {
  const problem = await dataDirProblem(dir);
  if (problem) return err({ kind: "unusable", dir, message: problem });
  const file = resolve(join(dir, LOCK_FILE));
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
  };
  const text = `${JSON.stringify(content)}\n`;
  let tookOver: DataDirLock["tookOver"];
  // Twice at most: once more after removing a dead process's lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx", 0o644);
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      heldHere.add(file);
      let released = false;
      return ok({
        file,
        tookOver,
        release: async () => {
          if (released) return;
          released = true;
          heldHere.delete(file);
          // Only our own file: a stale-lock takeover by someone else must not be undone here.
          const now = await readFile(file, "utf8").catch(() => undefined);
          if (now === text) await unlink(file).catch(() => undefined);
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST")
        return err({ kind: "unusable", dir, message: `DATA_DIR ${dir}: ${reasonOf(e)}` });
    }
    const holder = await readHolder(file);
    if (holder && holderLives(file, holder))
      return err({ kind: "in_use", dir, holder, message: describeHolder(dir, holder) });
    // A dead process's lock (or an unreadable one, e.g. cut off by a crash mid-write).
    tookOver = holder ? { pid: holder.pid, command: holder.command } : { pid: 0, command: "unknown" };
    await unlink(file).catch(() => undefined);
  }
  const holder = await readHolder(file);
  return err({
    kind: "in_use",
    dir,
    holder: holder ?? { pid: 0, host: hostname(), command: "serve", since: "" },
    message: holder ? describeHolder(dir, holder) : `DATA_DIR ${dir} is being locked by another process`,
  });
}
