/**
 * The repository is self-contained (issue 12): nothing in it (code, tests, scripts, docs) points
 * at a folder beside the clone, the vendored documents in reference/ are exactly those its README
 * lists, and every `docs/…` or `reference/…` path the documentation names exists. `.ci/run` runs
 * this file, with the tests that read files, in a fresh clone that has nothing beside it.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const SKIPPED_DIRS = new Set(["node_modules", ".git", "data", "coverage", "dist"]);
const SIBLING = "shared";
/** The machine-specific absolute path of the former sibling folder. */
const ABSOLUTE_SIBLING = ["", "work", SIBLING].join("/");

function* textFiles(root: string, dir = root): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* textFiles(root, path);
    } else if (entry.isFile()) {
      yield path;
    }
  }
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/**
 * Every place under `root` that refers to a folder outside it named `shared`: a relative path to
 * it (any number of `../`) that does not resolve, from the file's own folder, to something that
 * exists inside `root` (so src/server importing src/shared/index.ts is fine, and a README naming
 * a design page one folder up is not), a path join of `".."` and `"shared"`, or the absolute path.
 */
function outsideReferences(root: string): Finding[] {
  const findings: Finding[] = [];
  const relativeRef = new RegExp(`(?:\\.\\./)+${SIBLING}\\b[\\w./-]*`, "g");
  const joined = new RegExp(`["']\\.\\.["']\\s*,\\s*["']${SIBLING}["']`);
  for (const file of textFiles(root)) {
    const buffer = readFileSync(file);
    if (buffer.includes(0)) continue; // binary
    const lines = buffer.toString("utf8").split(/\r?\n/);
    lines.forEach((text, i) => {
      const outside =
        text.includes(ABSOLUTE_SIBLING) ||
        joined.test(text) ||
        [...text.matchAll(relativeRef)].some(([ref]) => {
          const target = resolve(dirname(file), ref);
          const inside = target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
          return !inside || !existsSync(target);
        });
      if (outside) findings.push({ file: relative(root, file), line: i + 1, text: text.trim() });
    });
  }
  return findings;
}

/** The file names in the first column of reference/README.md's table. */
function listedReferenceFiles(readme: string): string[] {
  return [...readme.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1] ?? "");
}

describe("the repository is self-contained", () => {
  const scratch = mkdtempSync(join(tmpdir(), "self-contained-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("finds a reference to a folder beside the repository, and none in this repository", () => {
    // The scanner on a small tree: what it must catch and what it must leave alone.
    const root = join(scratch, "clone") + sep;
    mkdirSync(join(root, "src", "shared"), { recursive: true });
    mkdirSync(join(root, "src", "server"), { recursive: true });
    mkdirSync(join(root, "test", "utils"), { recursive: true });
    writeFileSync(join(root, "src", "shared", "index.ts"), "export {};\n");
    writeFileSync(join(root, "src", "server", "ok.ts"), `import { x } from "../${SIBLING}/index.ts";\n`);
    writeFileSync(join(root, "README.md"), `Intro.\nThe design is in \`../${SIBLING}/design.md\`.\n`);
    writeFileSync(
      join(root, "test", "utils", "specs.ts"),
      `// specs in \`../${SIBLING}/reference/\`\nconst dir = new URL("../../../${SIBLING}/reference/", import.meta.url);\n` +
        `const other = join(root, "..", "${SIBLING}");\nconst abs = "${ABSOLUTE_SIBLING}/reference";\n`,
    );
    expect(outsideReferences(root).map((f) => `${f.file}:${f.line}`)).toEqual([
      "README.md:2",
      "test/utils/specs.ts:1",
      "test/utils/specs.ts:2",
      "test/utils/specs.ts:3",
      "test/utils/specs.ts:4",
    ]);

    expect(outsideReferences(repoRoot)).toEqual([]);
  });

  it("vendors exactly the documents reference/README.md lists, each with a commit and a licence", () => {
    const dir = join(repoRoot, "reference");
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    const onDisk = readdirSync(dir)
      .filter((f) => f !== "README.md")
      .sort();
    const listed = listedReferenceFiles(readme);
    expect(listed.sort()).toEqual(onDisk);
    for (const file of listed) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${file}\``)) ?? "";
      const cells = row.split("|").map((c) => c.trim());
      expect(
        cells.some((c) => /^`[0-9a-f]{40}`$/.test(c)),
        `${file}: commit`,
      ).toBe(true);
      expect(cells.at(-2), `${file}: licence`).toMatch(/\S/);
    }
  });

  it("the documentation names only docs/ and reference/ paths that exist", () => {
    // reference/README.md is left out: its paths are the upstream repositories' paths.
    const documents = ["README.md", "policies/README.md", "docs/design.md"];
    documents.push(...readdirSync(join(repoRoot, "docs", "protocols")).map((f) => `docs/protocols/${f}`));
    const missing: string[] = [];
    for (const doc of documents.filter((d) => d.endsWith(".md"))) {
      const text = readFileSync(join(repoRoot, doc), "utf8");
      for (const [, path] of text.matchAll(/`((?:docs|reference)\/[\w./-]+)`/g)) {
        if (path !== undefined && !existsSync(join(repoRoot, path))) missing.push(`${doc}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(existsSync(join(repoRoot, "docs", "design.md"))).toBe(true);
    expect(existsSync(join(repoRoot, "docs", "protocols", "README.md"))).toBe(true);
  });
});
