import { cellSentence, diffCells, type CellChange } from "./diff-cells.ts";
import { protocolChanges, themeAndClientChanges } from "./diff-protocol.ts";
import { catalogueChanges, probeAndRoleChanges, ruleChanges, type Push } from "./diff-words.ts";
import type { LoadedPolicySet } from "./policy-set.ts";

/** What a change is about, in the order the diff lists them. */
export const DIFF_AREAS = [
  "rule",
  "field",
  "probe",
  "role",
  "department",
  "theme",
  "client",
  "retention",
  "activity",
  "protocol",
] as const;
export type DiffArea = (typeof DIFF_AREAS)[number];

/** One change between two policies, as a sentence a privacy officer reads. */
export interface PolicyChange {
  readonly area: DiffArea;
  readonly change: "added" | "removed" | "changed";
  /** The rule id, `<source>.<field>`, probe id, role, theme, client id, outcome or activity id. */
  readonly id: string;
  readonly sentence: string;
}

/** The difference between two policy sets: changes in words, and the matrix cells that change. */
export interface PolicyDiff {
  readonly from: { readonly ref: string; readonly hash: string };
  readonly to: { readonly ref: string; readonly hash: string };
  readonly changes: readonly PolicyChange[];
  readonly cells: readonly CellChange[];
}

/**
 * The difference between two policy sets (issue 14 "Diff and replay"): every rule, field, probe,
 * role, department, theme dataset, client, retention period, processing activity and protocol
 * element added, removed or changed, each as a sentence, and every matrix cell (role × phase ×
 * source × field/probe) whose answer changes, computed with the decision function enforcement
 * uses. Deterministic: the same two policies always give the same diff, in the same order.
 */
export function diffPolicies(
  from: { readonly ref: string; readonly policy: LoadedPolicySet },
  to: { readonly ref: string; readonly policy: LoadedPolicySet },
): PolicyDiff {
  const changes: PolicyChange[] = [];
  const push: Push = (area, change, id, sentence) => changes.push({ area, change, id, sentence });
  ruleChanges(from.policy, to.policy, push);
  catalogueChanges(from.policy, to.policy, push);
  probeAndRoleChanges(from.policy, to.policy, push);
  themeAndClientChanges(from.policy, to.policy, push);
  protocolChanges(from.policy, to.policy, push);
  const order = (c: PolicyChange) => DIFF_AREAS.indexOf(c.area);
  // Stable sort: inside an area and id, sentences keep the order they were written in.
  changes.sort((x, y) => order(x) - order(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return {
    from: { ref: from.ref, hash: from.policy.hash },
    to: { ref: to.ref, hash: to.policy.hash },
    changes,
    cells: diffCells(from.policy, to.policy),
  };
}

/** The diff as text: the sentences, then the cells that change. */
export function diffText(diff: PolicyDiff): string {
  const lines = [
    `policy diff ${diff.from.ref} (${diff.from.hash.slice(0, 12)}) → ${diff.to.ref} (${diff.to.hash.slice(0, 12)})`,
  ];
  if (diff.changes.length === 0 && diff.cells.length === 0) return `${lines[0]}\nno differences\n`;
  lines.push("", `Changes (${diff.changes.length}):`);
  for (const c of diff.changes) lines.push(`  - ${c.sentence}`);
  lines.push("", `Matrix cells that change (${diff.cells.length}):`);
  for (const c of diff.cells) lines.push(`  ${cellSentence(c)}`);
  return `${lines.join("\n")}\n`;
}

export { cellSentence, type CellChange };
