import { useState } from "react";
import { useQuery } from "../api.ts";
import { graphql } from "../gql/index.ts";
import { SelectField, Status, Table, TextField, list, useT } from "../ui.tsx";

const AccessDocument = graphql(`
  query AccessReport($bsn: String!) {
    subjectAccessReport(bsn: $bsn) {
      id
      generatedAt
      cases {
        caseId
        reference
        status
        phase
        retentionEnd
        sources
        recipients
        privacyChecks {
          kind
          source
          status
        }
        requests {
          kind
          receivedAt
          decision
        }
      }
    }
  }
`);

export function AccessPage() {
  const t = useT();
  const [bsn, setBsn] = useState("");
  const [asked, setAsked] = useState<string>();
  const q = useQuery(AccessDocument, { bsn: asked ?? "" }, asked === undefined);
  const r = q.data?.subjectAccessReport;
  return (
    <>
      <p>{t.accessIntro}</p>
      <form
        className="grid"
        aria-label={t.tabAccess}
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(bsn.trim());
        }}
      >
        <TextField label={t.bsn} value={bsn} onChange={setBsn} required />
        <button type="submit">{t.runReport}</button>
      </form>
      {asked !== undefined && <Status loading={q.loading} error={q.error} />}
      {r && (
        <Table
          caption={`${t.tabAccess} (${r.generatedAt})`}
          head={[t.caseRef, t.status, t.phase, t.sources, t.checks, t.recipients, t.requests, t.retentionEnd]}
          rows={r.cases.map((c) => [
            c.reference,
            c.status,
            c.phase,
            list(c.sources),
            list(c.privacyChecks.map((k) => `${k.kind} ${k.source} ${k.status}`)),
            list(c.recipients),
            list(c.requests.map((x) => `${x.kind} ${x.decision ?? ""}`)),
            c.retentionEnd,
          ])}
        />
      )}
    </>
  );
}

const WorklistDocument = graphql(`
  query Worklist {
    informingWorklist {
      generatedAt
      toInform {
        reference
        bsn
        phase
        due
        retentionEnd
      }
      reviewsDue {
        reference
        bsn
        due
        deferral {
          ground
          reviewAt
        }
      }
      retentionEnding {
        reference
        bsn
        due
        retentionEnd
      }
    }
  }
`);

export function InformingPage() {
  const t = useT();
  const q = useQuery(WorklistDocument, {});
  const w = q.data?.informingWorklist;
  return (
    <>
      <Status loading={q.loading} error={q.error} />
      {w && (
        <>
          <Table
            caption={t.toInform}
            head={[t.caseRef, t.bsn, t.phase, t.due]}
            rows={w.toInform.map((i) => [i.reference, i.bsn, i.phase, i.due])}
          />
          <Table
            caption={t.reviewsDue}
            head={[t.caseRef, t.bsn, t.ground, t.reviewAt]}
            rows={w.reviewsDue.map((i) => [
              i.reference,
              i.bsn,
              i.deferral?.ground ?? "—",
              i.deferral?.reviewAt ?? i.due,
            ])}
          />
          <Table
            caption={t.retentionEnding}
            head={[t.caseRef, t.bsn, t.retentionEnd]}
            rows={w.retentionEnding.map((i) => [i.reference, i.bsn, i.retentionEnd])}
          />
        </>
      )}
    </>
  );
}

const CasesListDocument = graphql(`
  query CasesList {
    cases {
      id
      reference
      phase
      status
      owner
      substitute
      theme
      openedAt
    }
  }
`);

const RightsDocument = graphql(`
  query Rights($caseId: ID!) {
    subjectRights(caseId: $caseId) {
      informing {
        bsn
        informedAt
        method
      }
      deferrals {
        bsn
        ground
        reviewAt
        endedAt
      }
      requests {
        id
        bsn
        kind
        receivedAt
        decision
        inForce
      }
    }
  }
`);

export function RightsPage() {
  const t = useT();
  const cases = useQuery(CasesListDocument, {});
  const [caseId, setCaseId] = useState("");
  const chosen = caseId || cases.data?.cases[0]?.id || "";
  const q = useQuery(RightsDocument, { caseId: chosen }, chosen === "");
  const r = q.data?.subjectRights;
  return (
    <>
      <Status loading={cases.loading} error={cases.error} />
      {cases.data && (
        <SelectField
          label={t.caseRef}
          value={chosen}
          onChange={setCaseId}
          options={cases.data.cases.map((c) => ({ value: c.id, label: `${c.reference} (${c.phase})` }))}
        />
      )}
      {chosen && <Status loading={q.loading} error={q.error} />}
      {r && (
        <>
          <Table
            caption={t.informing}
            head={[t.bsn, t.at, t.method]}
            rows={r.informing.map((i) => [i.bsn ?? "—", i.informedAt, i.method])}
          />
          <Table
            caption={t.deferrals}
            head={[t.bsn, t.ground, t.reviewAt, t.inForce]}
            rows={r.deferrals.map((d) => [d.bsn ?? "—", d.ground, d.reviewAt, d.endedAt ? t.no : t.yes])}
          />
          <Table
            caption={t.requests}
            head={[t.bsn, t.kind, t.at, t.decision, t.inForce]}
            rows={r.requests.map((x) => [
              x.bsn ?? "—",
              x.kind,
              x.receivedAt,
              x.decision ?? "—",
              x.inForce ? t.yes : t.no,
            ])}
          />
          <Table
            caption={t.restrictions}
            head={[t.bsn, t.at]}
            rows={r.requests
              .filter((x) => x.kind === "RESTRICTION" && x.inForce)
              .map((x) => [x.bsn ?? "—", x.receivedAt])}
          />
        </>
      )}
    </>
  );
}

export { CasesListDocument };
