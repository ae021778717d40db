import { useState } from "react";
import { useQuery } from "../api.ts";
import { graphql } from "../gql/index.ts";
import { Status, Table, TextField, list, useT } from "../ui.tsx";

const ReportDocument = graphql(`
  query FgReport($year: Int!) {
    fgReport(year: $year) {
      year
      from
      to
      generatedAt
      protocolId
      policyHashes
      checks {
        total {
          requested
          go
          noGo
          partial
          themeApproved
          pending
        }
        byKind {
          kind
          requested
          go
          noGo
          partial
          themeApproved
          pending
        }
      }
      steps {
        decisions
        deviations
        escalations
        revocations
        lapsed
        secondOpinionsRequested
        secondOpinionsGiven
      }
      cases {
        opened
        closed
        openAtYearEnd
        enteredPhase {
          phase
          cases
        }
        closedByOutcome {
          outcome
          cases
        }
      }
      deniedAccess {
        total
        byOperation {
          operation
          denied
        }
      }
    }
  }
`);

/** A plain SVG bar chart (no chart library): one bar per label, the value written beside it. */
export function BarChart({
  title,
  bars,
}: {
  title: string;
  bars: readonly { label: string; value: number }[];
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 28;
  const labelW = 140;
  const width = 480;
  const height = bars.length * rowH + 8;
  return (
    <figure>
      <svg role="img" aria-label={title} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <title>{title}</title>
        {bars.map((b, i) => {
          const w = Math.round(((width - labelW - 60) * b.value) / max);
          const y = i * rowH + 4;
          return (
            <g key={b.label}>
              <text x={0} y={y + 17} fontSize="14" fill="#1a1a1a">
                {b.label}
              </text>
              <rect x={labelW} y={y} width={w} height={rowH - 8} fill="#154273" />
              <text x={labelW + w + 6} y={y + 17} fontSize="14" fill="#1a1a1a">
                {b.value}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

export function ReportPage() {
  const t = useT();
  const [yearText, setYearText] = useState(String(new Date().getUTCFullYear()));
  const [year, setYear] = useState(new Date().getUTCFullYear());
  const q = useQuery(ReportDocument, { year });
  const r = q.data?.fgReport;
  return (
    <>
      <form
        className="grid"
        aria-label={t.year}
        onSubmit={(e) => {
          e.preventDefault();
          const y = Number(yearText);
          if (Number.isInteger(y)) setYear(y);
        }}
      >
        <TextField label={t.year} value={yearText} onChange={setYearText} type="number" />
        <button type="submit">{t.show}</button>
      </form>
      <Status loading={q.loading} error={q.error} />
      {r && (
        <>
          <h3>
            {t.tabReport} {r.year}
          </h3>
          <p>
            {r.from} – {r.to} · {t.protocol}: {r.protocolId} · {t.policyVersionsInForce}:{" "}
            {list(r.policyHashes.map((h) => h.slice(0, 12)))}
          </p>
          <Table
            caption={t.checksByKind}
            head={[t.kind, t.requested, t.GO, t.NO_GO, t.PARTIAL, t.themeApproved, t.pending]}
            rows={[...r.checks.byKind, { ...r.checks.total, kind: null }].map((c) => [
              c.kind ?? t.total,
              c.requested,
              c.go,
              c.noGo,
              c.partial,
              c.themeApproved,
              c.pending,
            ])}
          />
          <BarChart
            title={`${t.chartTitle} ${r.year}`}
            bars={[
              { label: t.GO, value: r.checks.total.go },
              { label: t.NO_GO, value: r.checks.total.noGo },
              { label: t.PARTIAL, value: r.checks.total.partial },
              { label: t.themeApproved, value: r.checks.total.themeApproved },
              { label: t.pending, value: r.checks.total.pending },
            ]}
          />
          <Table
            caption={t.steps}
            head={[
              t.decisions,
              t.deviations,
              t.escalations,
              t.revocations,
              t.lapsed,
              t.secondOpinionsRequested,
              t.secondOpinionsGiven,
            ]}
            rows={[
              [
                r.steps.decisions,
                r.steps.deviations,
                r.steps.escalations,
                r.steps.revocations,
                r.steps.lapsed,
                r.steps.secondOpinionsRequested,
                r.steps.secondOpinionsGiven,
              ],
            ]}
          />
          <Table
            caption={t.casesHeading}
            head={[t.opened, t.closed, t.openAtYearEnd]}
            rows={[[r.cases.opened, r.cases.closed, r.cases.openAtYearEnd]]}
          />
          <Table
            caption={`${t.casesHeading}: ${t.phases}`}
            head={[t.phase, t.casesHeading]}
            rows={r.cases.enteredPhase.map((p) => [p.phase, p.cases])}
          />
          <Table
            caption={`${t.deniedAccess} (${t.total} ${r.deniedAccess.total})`}
            head={[t.operation, t.deniedAccess]}
            rows={r.deniedAccess.byOperation.map((o) => [o.operation, o.denied])}
          />
        </>
      )}
    </>
  );
}

const DpiaDocument = graphql(`
  query Dpia($year: Int!, $seed: String!) {
    dpiaSample(year: $year, seed: $seed) {
      year
      seed
      fraction
      population
      size
      deviations
      method
      entries {
        checkId
        caseReference
        kind
        source
        status
        requestedAt
        subjectCount
        drawnFor
      }
    }
  }
`);

export function DpiaPage() {
  const t = useT();
  const [yearText, setYearText] = useState(String(new Date().getUTCFullYear()));
  const [seedText, setSeedText] = useState("dpia");
  const [asked, setAsked] = useState<{ year: number; seed: string }>();
  const q = useQuery(DpiaDocument, asked ?? { year: 0, seed: "" }, asked === undefined);
  const s = q.data?.dpiaSample;
  return (
    <>
      <form
        className="grid"
        aria-label={t.tabDpia}
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ year: Number(yearText), seed: seedText });
        }}
      >
        <TextField label={t.year} value={yearText} onChange={setYearText} type="number" />
        <TextField label={t.seed} value={seedText} onChange={setSeedText} required />
        <button type="submit">{t.show}</button>
      </form>
      {asked && <Status loading={q.loading} error={q.error} />}
      {s && (
        <>
          <p>
            {t.population}: {s.population} · {t.size}: {s.size} · {t.deviations}: {s.deviations} · {t.method}:{" "}
            {s.method}
          </p>
          <Table
            caption={`${t.tabDpia} ${s.year}`}
            head={[t.caseRef, t.kind, t.source, t.status, t.subjects, t.reason]}
            rows={s.entries.map((e) => [
              e.caseReference,
              e.kind,
              e.source,
              e.status,
              e.subjectCount,
              list(e.drawnFor),
            ])}
          />
        </>
      )}
    </>
  );
}
