import type { Catalogue } from "./catalogue.ts";
import { checkField } from "./disclosure.ts";
import type { LoadedPolicySet } from "./policy-set.ts";
import type { ThemeFile } from "./schemas.ts";
import type { PolicyLoadError, ProbeDef } from "./types.ts";

const SHARES = { does: "shares", done: "shared" } as const;

/**
 * A dataset the privacy officer weighed in advance for one case theme (`themes/<theme>.yaml`).
 * A privacy check that fits the dataset of its case's theme needs no advice (Delft art. 16g-h
 * for check 1, art. 19g for check 2a); the check records which dataset approved it.
 */
export interface ThemeDataset {
  readonly theme: string;
  readonly name: string;
  readonly version: string;
  /** sha256 (hex) of the canonical JSON of the file's content */
  readonly hash: string;
  readonly reason: string;
  readonly article: string;
  readonly check1: readonly { readonly source: string; readonly probes: readonly string[] }[];
  /** fields expanded to grantable catalogue units, sorted */
  readonly check2a: readonly {
    readonly recipient: string;
    readonly source: string;
    readonly fields: readonly string[];
  }[];
}

/** What a privacy check asks; fields are grantable catalogue units. */
export interface ThemeCheckRequest {
  readonly kind: "1" | "2a" | "2b";
  readonly source: string;
  readonly fields: readonly string[];
  readonly probes: readonly string[];
  readonly recipients: readonly string[];
}

/** `hennepteelt@2026-1 (sha256:<first 12 hex>)`: what a check approved by a dataset records. */
export function themeDatasetRef(ds: ThemeDataset): string {
  return `${ds.theme}@${ds.version} (sha256:${ds.hash.slice(0, 12)})`;
}

/**
 * The dataset of the case's theme that covers the request, or undefined.
 * kind "1": fields empty, probes non-empty, and every probe listed under check1 for that source.
 *   A check 1 names no recipients; one that does is not covered.
 * kind "2a": probes empty, fields (already grantable units) non-empty, recipients non-empty, and
 *   for EVERY recipient a check2a entry (recipient, source) whose units include every requested unit.
 * kind "2b": never (2b is always weighed by the privacy officer).
 * theme null or no dataset for it: undefined.
 */
export function themeCovering(
  policy: Pick<LoadedPolicySet, "themes" | "catalogue" | "protocol">,
  theme: string | null,
  request: ThemeCheckRequest,
): ThemeDataset | undefined {
  // Only a protocol that says so lets a dataset stand in for the advice (Delft art. 16g-h, 19g).
  if (!policy.protocol.themeDatasets) return undefined;
  const ds = theme === null ? undefined : policy.themes.find((t) => t.theme === theme);
  if (!ds) return undefined;
  switch (request.kind) {
    case "1": {
      if (request.fields.length > 0 || request.probes.length === 0 || request.recipients.length > 0)
        return undefined;
      const entry = ds.check1.find((e) => e.source === request.source);
      return entry && request.probes.every((p) => entry.probes.includes(p)) ? ds : undefined;
    }
    case "2a": {
      if (request.probes.length > 0 || request.fields.length === 0 || request.recipients.length === 0)
        return undefined;
      // A container or a path inside a unit counts as every unit it grants; a path that grants
      // nothing can never be covered.
      const units = request.fields.map((f) => policy.catalogue.grantableUnder(request.source, f));
      if (units.some((u) => u.length === 0)) return undefined;
      const covered = request.recipients.every((recipient) => {
        const entry = ds.check2a.find((e) => e.recipient === recipient && e.source === request.source);
        return entry !== undefined && units.flat().every((u) => entry.fields.includes(u));
      });
      return covered ? ds : undefined;
    }
    case "2b":
      // Delft art. 20 has no theme exception: check 2b is always advised on.
      return undefined;
    default: {
      const unreachable: never = request.kind;
      return unreachable;
    }
  }
}

type FileProblem = PolicyLoadError["problems"][number];

interface ThemeContext {
  readonly catalogue: Catalogue;
  readonly probes: readonly ProbeDef[];
  /** Undefined when roles.yaml could not be read (its own problems say why). */
  readonly departments: readonly { readonly id: string }[] | undefined;
}

/**
 * Cross-checks the theme files against probes, catalogue and departments and expands their fields
 * to grantable units. A name that means nothing must not silently approve (or fail to approve)
 * a check, so every unknown name is a problem, as in the disclosure rules.
 */
export function checkThemes(
  files: readonly { readonly file: string; readonly data: ThemeFile; readonly hash: string }[],
  ctx: ThemeContext,
): { problems: FileProblem[]; themes: ThemeDataset[] } {
  const problems: FileProblem[] = [];
  const themes: ThemeDataset[] = [];
  const sources = new Set([...ctx.catalogue.sources, ...ctx.probes.map((p) => p.source)]);
  const departments = ctx.departments?.map((d) => d.id);
  const owner = new Map<string, string>();
  for (const { file, data, hash } of files) {
    const problem = (path: string, reason: string) => problems.push({ file, path, reason });
    const stem = file.replace(/^.*\//, "").replace(/\.yaml$/, "");
    if (data.theme !== stem) problem("theme", `theme ${data.theme} must equal the file name (${stem})`);
    const first = owner.get(data.theme);
    if (first !== undefined) problem("theme", `duplicate theme ${data.theme} (also ${first})`);
    else owner.set(data.theme, file);
    const unknownSource = (at: string, source: string) => {
      if (sources.has(source)) return false;
      problem(at, `unknown source ${source} (no catalogue or probe names it)`);
      return true;
    };

    data.check1.forEach((entry, i) => {
      const at = `check1[${i}]`;
      const other = data.check1.findIndex((e) => e.source === entry.source);
      if (other !== i)
        problem(`${at}.source`, `a second check1 entry for source ${entry.source} (also check1[${other}])`);
      if (unknownSource(`${at}.source`, entry.source)) return;
      entry.probes.forEach((probeId, j) => {
        const probe = ctx.probes.find((p) => p.id === probeId);
        if (!probe) problem(`${at}.probes[${j}]`, `unknown probe ${probeId}`);
        else if (probe.source !== entry.source)
          problem(`${at}.probes[${j}]`, `probe ${probeId} belongs to ${probe.source}, not ${entry.source}`);
      });
    });

    const check2a = data.check2a.map((entry, i) => {
      const at = `check2a[${i}]`;
      const other = data.check2a.findIndex(
        (e) => e.recipient === entry.recipient && e.source === entry.source,
      );
      if (other !== i)
        problem(
          at,
          `a second check2a entry for recipient ${entry.recipient} and source ${entry.source} (also check2a[${other}])`,
        );
      if (departments && !departments.includes(entry.recipient))
        problem(
          `${at}.recipient`,
          `unknown department ${entry.recipient}: roles.yaml has ${departments.join(", ") || "no departments"}`,
        );
      const units = new Set<string>();
      if (!unknownSource(`${at}.source`, entry.source))
        entry.fields.forEach((path, j) => {
          const fieldProblem = checkField(ctx.catalogue, entry.source, path, SHARES);
          if (fieldProblem) problem(`${at}.fields[${j}]`, fieldProblem);
          else for (const u of ctx.catalogue.grantableUnder(entry.source, path)) units.add(u);
        });
      return Object.freeze({ ...entry, fields: Object.freeze([...units].sort()) });
    });

    themes.push(
      Object.freeze({
        theme: data.theme,
        name: data.name,
        version: data.version,
        hash,
        reason: data.reason,
        article: data.article,
        check1: Object.freeze(
          data.check1.map((e) => Object.freeze({ ...e, probes: Object.freeze([...e.probes]) })),
        ),
        check2a: Object.freeze(check2a),
      }),
    );
  }
  return { problems, themes };
}
