import { stat } from "node:fs/promises";
import { err, ok, type Result } from "../shared/index.ts";
import { loadPolicySet } from "./load-policies.ts";
import type { LoadedPolicySet } from "./policy-set.ts";

/**
 * What `policy diff` and `policy replay` compare (issue 14): a folder of policy files (the working
 * files or any candidate folder), `current` (the policy the gateway enforces now), `files` (the
 * gateway's POLICY_DIR working files) or `v<N>` (a stored policy version).
 */
export type PolicyRef =
  | { readonly kind: "dir"; readonly dir: string }
  | { readonly kind: "current" }
  | { readonly kind: "files" }
  | { readonly kind: "version"; readonly number: number };

/**
 * Why a reference gives no policy: `unknown` (no such folder or version: the reference is wrong) or
 * `invalid` (it exists but does not load), with a sentence naming the reference.
 */
export interface PolicyRefError {
  readonly kind: "unknown" | "invalid";
  readonly message: string;
}

/** Loads stored version N (src/policy/versions, `loadStoredVersion(db, N)`), or says why not. */
export type StoredVersionLoader = (number: number) => Promise<Result<LoadedPolicySet, PolicyRefError>>;

/** Where a gateway finds the policies a reference names, besides the one it enforces (OperationContext). */
export interface PolicyRefSources {
  /** POLICY_DIR: the working files (`files`). */
  readonly filesDir: string;
  readonly protocolFile: string;
  /** Stored versions (`v<N>`); absent until policy versions are wired in. */
  readonly loadVersion?: StoredVersionLoader | undefined;
  /**
   * The stored version with this content hash (what every audit record carries), so a replay can
   * check records decided under older versions; absent: only the policies at hand are known.
   */
  readonly loadByHash?: ((hash: string) => Promise<LoadedPolicySet | undefined>) | undefined;
}

const VERSION = /^v([1-9][0-9]{0,8})$/;

/**
 * Parses a reference. With `dirs: false` (GraphQL: never a path from a request) only `current`,
 * `files` and `v<N>` are accepted. The error names the problem and the accepted forms.
 */
export function parsePolicyRef(text: string, options: { readonly dirs: boolean }): Result<PolicyRef, string> {
  const t = text.trim();
  if (t === "current") return ok({ kind: "current" });
  if (t === "files") return ok({ kind: "files" });
  const v = VERSION.exec(t);
  if (v) return ok({ kind: "version", number: Number(v[1]) });
  if (options.dirs && t.length > 0 && !/^v[0-9]+$/.test(t)) return ok({ kind: "dir", dir: t });
  return err(
    options.dirs
      ? `"${t}" is not a policy reference: use a policy folder, current, files or v<N> (a stored version, N from 1)`
      : `"${t.slice(0, 40)}" is not a policy reference: use current, files or v<N> (a stored version, N from 1)`,
  );
}

export const refText = (ref: PolicyRef): string =>
  ref.kind === "dir" ? ref.dir : ref.kind === "version" ? `v${ref.number}` : ref.kind;

export interface PolicyResolverOptions {
  /** The policy the gateway enforces now; absent (offline CLI): the working files stand in. */
  readonly current?: LoadedPolicySet | undefined;
  /** POLICY_DIR: the working files. */
  readonly filesDir: string;
  readonly protocolFile?: string | undefined;
  /** Stored versions; absent until policy versions are wired in: `v<N>` is refused with a reason. */
  readonly loadVersion?: StoredVersionLoader | undefined;
}

const problemsText = (problems: readonly { file: string; path: string; reason: string }[]) =>
  problems.map((p) => `${p.file}: ${p.path ? `${p.path}: ` : ""}${p.reason}`).join("; ");

/** Turns references into loaded policy sets; every failure is a sentence naming the reference. */
export function createPolicyResolver(options: PolicyResolverOptions) {
  const loadDir = async (dir: string, label: string): Promise<Result<LoadedPolicySet, PolicyRefError>> => {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) return err({ kind: "unknown", message: `${label}: no policy folder ${dir}` });
    const loaded = await loadPolicySet(dir, { protocolFile: options.protocolFile });
    return loaded.ok
      ? ok(loaded.value)
      : err({
          kind: "invalid",
          message: `${label}: the policy is invalid: ${problemsText(loaded.error.problems)}`,
        });
  };
  return Object.freeze({
    async resolve(ref: PolicyRef): Promise<Result<LoadedPolicySet, PolicyRefError>> {
      switch (ref.kind) {
        case "current":
          return options.current ? ok(options.current) : loadDir(options.filesDir, "current");
        case "files":
          return loadDir(options.filesDir, "files");
        case "dir":
          return loadDir(ref.dir, ref.dir);
        case "version":
          if (!options.loadVersion)
            return err({
              kind: "unknown",
              message: `v${ref.number}: policy versions are not available (no stored versions in this gateway yet)`,
            });
          return options.loadVersion(ref.number);
      }
    },
  });
}
export type PolicyResolver = ReturnType<typeof createPolicyResolver>;
