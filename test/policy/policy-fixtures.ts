import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { loadPolicySet, type LoadedPolicySet, type LoadOptions } from "../../src/policy/index.ts";

/** The real policy folder of the repository. */
export const policiesDir = fileURLToPath(new URL("../../policies/", import.meta.url));
const fixturesDir = fileURLToPath(new URL("../fixtures/policies/", import.meta.url));

/**
 * A temporary copy of the real policies with the files of `test/fixtures/policies/<fixture>`
 * laid over it (a fixture holds only the files it changes). Returns the folder and a cleanup.
 */
export function overlay(fixture?: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "poortwachter-policy-"));
  cpSync(policiesDir, dir, { recursive: true });
  if (fixture) cpSync(join(fixturesDir, fixture), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function loadOk(dir = policiesDir, options: LoadOptions = {}): Promise<LoadedPolicySet> {
  const result = await loadPolicySet(dir, options);
  if (!result.ok) expect.fail(JSON.stringify(result.error.problems, null, 2));
  return result.value;
}

export async function loadFixture(fixture: string): Promise<LoadedPolicySet> {
  const { dir, cleanup } = overlay(fixture);
  try {
    return await loadOk(dir);
  } finally {
    cleanup();
  }
}
