import type { PolicyReplay, RecordRef } from "./replay.ts";

const refs = (examples: readonly RecordRef[]) => examples.map((e) => `#${e.seq}`).join(", ");

/** The replay as text for the privacy officer. */
export function replayText(r: PolicyReplay): string {
  const lines = [
    `policy replay of ${r.period.from} – ${r.period.to} under ${r.candidate.ref} (${r.candidate.hash.slice(0, 12)})`,
    `${r.records} recorded decisions, ${r.replayed} replayed: ${r.flipped.allowToDeny} allow → deny, ${r.flipped.denyToAllow} deny → allow, ${r.unchanged} unchanged`,
  ];
  if (r.flips.length > 0) lines.push("", "Flips per rule, item and phase:");
  for (const f of r.flips)
    lines.push(
      `  ${f.direction} ${f.kind} ${f.kind === "field" ? `${f.source}.${f.item}` : f.item} in phase ${f.phase}, rule ${f.rule ?? "(none)"}, roles ${f.roles.join(", ")}: ${f.count} (records ${refs(f.examples)})`,
    );
  if (r.notReplayable.length > 0) lines.push("", "Not replayable:");
  for (const n of r.notReplayable) lines.push(`  ${n.count} × ${n.reason} (records ${refs(n.examples)})`);
  return `${lines.join("\n")}\n`;
}
