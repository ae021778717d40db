import type { AccessCase, SubjectAccessReport } from "./access-report-types.ts";

type Cell = string | number | boolean | null;

/** One table cell: no pipe or line break can break the table. */
const cell = (v: Cell): string =>
  v === null ? "—" : String(v).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (xs: readonly Cell[]) => `| ${xs.map(cell).join(" | ")} |`;
  return [line(head), `| ${head.map(() => "---").join(" | ")} |`, ...rows.map(line)].join("\n");
}

const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(", ") : "—");
const day = (iso: string | null) => (iso === null ? null : iso.slice(0, 10));
const KIND = { "1": "check 1 (source research)", "2a": "check 2a (plan)", "2b": "check 2b (execution)" };
const OUTCOME = {
  released: "released",
  no_answer: "source did not answer",
  refused: "refused, nothing released",
};
const REQUEST = {
  rectification: "rectification (art. 16)",
  erasure: "erasure (art. 17)",
  restriction: "restriction (art. 18)",
  objection: "objection (art. 21)",
};

function retentionText(c: AccessCase): string {
  if (c.retentionEnd === "open") return "The case is open; its retention period starts when it is closed.";
  if (c.retentionEnd === "unknown") return "The retention period of this case could not be determined.";
  return `Kept until ${day(c.retentionEnd)}, then destroyed (retention for outcome ${c.outcome ?? "—"}).`;
}

function caseMarkdown(c: AccessCase): string {
  const parts = [
    `## Case ${cell(c.reference)}`,
    [
      `- Theme: ${c.theme ?? "—"}`,
      `- Opened: ${day(c.openedAt)}; ${c.status === "closed" ? `closed: ${day(c.closedAt)} (outcome ${c.outcome ?? "—"})` : `open, now in phase ${c.phase}`}`,
      `- Phases: ${c.phases.map((p) => `${p.phase} (${day(p.enteredAt)})`).join(" → ") || "—"}`,
      `- Purposes: ${list(c.purposes)}`,
      `- Sources consulted about you: ${list(c.sources)}`,
      `- Recipients: ${list(c.recipients)}`,
      `- Retention: ${retentionText(c)}`,
    ].join("\n"),
    "### Processing",
    c.processing.length > 0
      ? table(
          ["date", "phase", "source", "what", "probes (answer)", "fields", "outcome", "by"],
          c.processing.map((p) => [
            p.at,
            p.phase,
            p.source,
            p.operation,
            list(p.probes.map((x) => (x.result ? `${x.probe} (${x.result})` : x.probe))),
            list(p.fields),
            OUTCOME[p.outcome],
            p.recipient,
          ]),
        )
      : "No registry was consulted about you in this case.",
    "### Privacy checks",
    c.privacyChecks.length > 0
      ? table(
          ["check", "source", "status", "requested", "decided", "fields", "probes", "shared with", "about"],
          c.privacyChecks.map((k) => [
            KIND[k.kind],
            k.source,
            k.status,
            day(k.requestedAt),
            day(k.decidedAt),
            list(k.approvedFields),
            list(k.approvedProbes),
            list(k.recipients),
            k.namesSubject ? "you" : "the case as a whole",
          ]),
        )
      : "None.",
  ];
  if (c.informed.length > 0)
    parts.push(
      "### You were informed",
      c.informed.map((i) => `- ${day(i.informedAt)} (${i.method.replace("_", " ")})`).join("\n"),
    );
  if (c.requests.length > 0)
    parts.push(
      "### Your requests",
      table(
        ["request", "received", "decision", "decided", "lifted"],
        c.requests.map((r) => [
          REQUEST[r.kind],
          day(r.receivedAt),
          r.decision?.replace("_", " ") ?? "pending",
          day(r.decidedAt),
          day(r.liftedAt),
        ]),
      ),
    );
  return parts.join("\n\n");
}

/**
 * The access report as a document for the person (GDPR art. 15(3)). Like the report itself it is
 * silent about anything withheld under GDPR art. 23.
 */
export function accessReportMarkdown(r: SubjectAccessReport): string {
  const parts = [
    "# Access to your personal data (GDPR art. 15)",
    "This is what the municipality's gateway to its registries for the approach to organised crime " +
      "(ondermijning) recorded about processing your personal data, per case: the phases of the case, the " +
      "registries consulted, the yes/no questions asked (probes) with their answers, the kinds of data " +
      "(fields) released and to whom, the privacy checks that concern you, and how long the data are kept. " +
      "The gateway keeps no registry values: the values themselves are held by the registries named.",
    [
      `- Citizen service number (BSN): ${r.bsn}`,
      `- Report: ${r.id}`,
      `- Made on: ${r.generatedAt}`,
      `- Protocol: ${r.protocolId}`,
      `- Cases in this report: ${r.cases.length}`,
    ].join("\n"),
    ...r.cases.map(caseMarkdown),
    "## Your rights",
    "You may ask for rectification (GDPR art. 16), erasure (art. 17) or restriction (art. 18) of these " +
      "data, or object to their processing (art. 21), through Juridische Zaken of the municipality. You may " +
      "lodge a complaint with the Autoriteit Persoonsgegevens (art. 77).",
  ];
  return `${parts.join("\n\n")}\n`;
}
