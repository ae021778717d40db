import type { DpiaEntry, DpiaSample } from "./dpia-sample.ts";
import type { FgReport } from "./fg-report.ts";

/** One table cell: no pipe or line break can break the table. */
const cell = (v: string | number | boolean | null): string =>
  v === null ? "—" : String(v).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function table(head: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]) {
  const line = (xs: readonly (string | number | boolean | null)[]) => `| ${xs.map(cell).join(" | ")} |`;
  return [line(head), `| ${head.map(() => "---").join(" | ")} |`, ...rows.map(line)].join("\n");
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(", ") : "—");
const day = (iso: string) => iso.slice(0, 10);
const KIND_LABEL = { "1": "check 1", "2a": "check 2a", "2b": "check 2b" } as const;

/** The FG's annual report as a readable document (Delft art. 9a). */
export function fgReportMarkdown(r: FgReport): string {
  const c = r.checks;
  const counts = (label: string, x: FgReport["checks"]["total"]) =>
    [label, x.requested, x.go, x.noGo, x.partial, x.themeApproved, x.pending] as const;
  const s = r.steps;
  const parts = [
    `# FG annual report ${r.year}`,
    "Report of the privacy checks carried out, with their outcome, and of the deviations from the " +
      "privacy officer's advice, to the Functionaris Gegevensbescherming (Delft art. 9a). It holds " +
      "counts and policy ids only (with the privacy officer's motivation of each policy version): no persons or other " +
      "subjects, no user ids, no motivations of cases or checks, no case references.",
    [
      `- Period: ${day(r.from)} up to ${day(r.to)} (UTC, end exclusive)`,
      `- Protocol: ${code(r.protocolId)}`,
      `- Policy versions in force: ${r.policyHashes.length > 0 ? r.policyHashes.map(code).join(", ") : "—"}`,
      `- Generated at: ${r.generatedAt}`,
      `- Next evaluation of the protocol with the FG: ${
        r.policyEvaluation
          ? `${r.policyEvaluation.dueOn}${r.policyEvaluation.overdue ? " (overdue)" : ""}, version ${r.policyEvaluation.version} (${r.policyEvaluation.basis})`
          : "—"
      }`,
    ].join("\n"),
    "## Policy versions in force",
    r.policyVersions.length > 0
      ? table(
          ["version", "hash", "from", "to", "motivation"],
          r.policyVersions.map((v) => [v.version, code(v.hash), v.from, v.to, v.motivation]),
        )
      : "No published policy version was in force in the year (before versions were stored, only the hashes above).",
    `## Privacy checks requested in ${r.year}`,
    "Outcome as the weighing stood at the end of the year: the advice of the privacy officer, or the " +
      "coordinator's decision when it followed an escalation; theme-approved checks were approved by a " +
      "theme dataset without advice; pending checks await an advice or, escalated, a decision.",
    table(
      ["check", "requested", "GO", "NO_GO", "PARTIAL", "theme-approved", "pending"],
      [...c.byKind.map((k) => counts(KIND_LABEL[k.kind], k)), counts("total", c.total)],
    ),
    `## Deviations and other steps in ${r.year}`,
    "Steps taken in the year, whenever their check was requested.",
    table(
      ["step", "count"],
      [
        ["decisions of the coordinator", s.decisions],
        ["of which deviations from the advice (Delft art. 16d-e)", s.deviations],
        ["escalations to the coordinator", s.escalations],
        ["second opinions asked of the FG", s.secondOpinionsRequested],
        ["second opinions given by the FG", s.secondOpinionsGiven],
        ["approvals revoked", s.revocations],
        ["approvals lapsed (case moved out of the check's phases)", s.lapsed],
      ],
    ),
    `## Theme-dataset approvals in ${r.year}`,
    r.themeApprovals.length > 0
      ? table(
          ["theme dataset", "approvals"],
          r.themeApprovals.map((t) => [t.dataset, t.approvals]),
        )
      : "None.",
    `## Cases`,
    [
      `- Opened in ${r.year}: ${r.cases.opened}`,
      `- Closed in ${r.year}: ${r.cases.closed}`,
      `- Open at the end of ${r.year}: ${r.cases.openAtYearEnd}`,
    ].join("\n"),
    `### Cases that entered each phase in ${r.year}`,
    table(
      ["phase", "cases"],
      r.cases.enteredPhase.map((p) => [p.phase, p.cases]),
    ),
    `### Cases closed in ${r.year}, by outcome`,
    table(
      ["outcome", "cases"],
      r.cases.closedByOutcome.map((o) => [o.outcome, o.cases]),
    ),
    `### Signals handed over on closing in ${r.year}, by receiver`,
    table(
      ["receiver", "cases"],
      r.cases.exitsByReceiver.map((e) => [e.receiverKind, e.cases]),
    ),
    `### Cases open at the end of ${r.year}, by phase`,
    table(
      ["phase", "cases"],
      r.cases.openAtYearEndByPhase.map((p) => [p.phase, p.cases]),
    ),
    `## Denied access attempts in ${r.year}`,
    `Requests the gateway refused and logged: ${r.deniedAccess.total}.`,
    ...(r.deniedAccess.byOperation.length > 0
      ? [
          table(
            ["operation", "denied"],
            r.deniedAccess.byOperation.map((o) => [o.operation, o.denied]),
          ),
        ]
      : []),
  ];
  return `${parts.join("\n\n")}\n`;
}

function entryMarkdown(e: DpiaEntry, n: number): string {
  return [
    `## ${n}. Check ${code(e.checkId)} (case ${cell(e.caseReference)})`,
    table(
      ["field", "value"],
      [
        ["case id", e.caseId],
        ["kind", KIND_LABEL[e.kind]],
        ["source", e.source],
        ["status", e.status],
        ["requested at", e.requestedAt],
        ["requested fields", list(e.requestedFields)],
        ["requested probes", list(e.requestedProbes)],
        ["approved fields", list(e.approvedFields)],
        ["approved probes", list(e.approvedProbes)],
        ["recipients", list(e.recipients)],
        ["number of subjects", e.subjectCount],
        ["theme dataset", e.themeDataset],
        ["motivation", e.motivation],
        ["in the sample for", e.drawnFor.join(", ")],
      ],
    ),
    `### History`,
    table(
      ["#", "step", "actor", "at", "advice", "fields", "probes", "deviation", "motivation"],
      e.steps.map((s, i) => [
        i + 1,
        s.kind,
        s.actor,
        s.at,
        s.advice,
        list(s.fields),
        list(s.probes),
        s.deviation ? "yes" : "no",
        s.motivation,
      ]),
    ),
  ].join("\n\n");
}

/** The DPIA sample as a document for the reviewers (Delft art. 9c). */
export function dpiaSampleMarkdown(d: DpiaSample): string {
  const parts = [
    `# DPIA sample of privacy checks ${d.year}`,
    "Privacy checks drawn for review in the DPIA (Delft art. 9c: at least 10% of the privacy checks " +
      "carried out, and any deviations, are reviewed), each with its full history. It contains user ids " +
      "and motivations; subjects only as a number. Every check with a decision that deviated from the " +
      "advice is in it; deviations are marked in the history.",
    [
      `- Population: ${d.population} checks requested in ${d.year} (UTC)`,
      `- Sample: ${d.size} checks drawn at random (fraction ${d.fraction}), plus every check with a deviation (${d.deviations} in ${d.year})`,
      `- Seed: ${code(d.seed)} (the same seed over the same data draws the same sample)`,
      `- Method: ${d.method}`,
      `- Protocol: ${code(d.protocolId)}`,
      `- Generated at: ${d.generatedAt}`,
    ].join("\n"),
    ...(d.entries.length > 0 ? d.entries.map((e, i) => entryMarkdown(e, i + 1)) : ["No checks to sample."]),
  ];
  return `${parts.join("\n\n")}\n`;
}
