import { useState } from "react";
import { request, useQuery } from "../api.ts";
import { graphql } from "../gql/index.ts";
import { Outcome, Status, Table, TextField, list, useT } from "../ui.tsx";

const MyCasesDocument = graphql(`
  query MyCases {
    cases {
      id
      reference
      theme
      phase
      status
      openedAt
      subjects {
        key
      }
      privacyChecks {
        id
        kind
        source
        status
        requestedFields
        requestedProbes
        approvedFields
        approvedProbes
      }
    }
  }
`);

const EscalateDocument = graphql(`
  mutation Escalate($id: ID!, $motivation: String!) {
    escalatePrivacyCheck(id: $id, motivation: $motivation) {
      id
      status
    }
  }
`);

function EscalateForm({ id, onDone }: { id: string; onDone: () => void }) {
  const t = useT();
  const [motivation, setMotivation] = useState("");
  const [error, setError] = useState<string>();
  return (
    <form
      className="inline"
      aria-label={`${t.escalate} ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        request(EscalateDocument, { id, motivation }).then(onDone, (x: unknown) =>
          setError(x instanceof Error ? x.message : String(x)),
        );
      }}
    >
      <TextField label={t.escalateMotivation} value={motivation} onChange={setMotivation} required />
      <button type="submit">{t.escalate}</button>
      <Outcome error={error} ok={false} />
    </form>
  );
}

/** The analyst's cases: phase, subjects, checks and their status; nothing from a registry. */
export function MyCasesPage() {
  const t = useT();
  const q = useQuery(MyCasesDocument, {});
  return (
    <>
      <Status loading={q.loading} error={q.error} />
      {q.data && q.data.cases.length === 0 && <p>{t.nothing}</p>}
      {q.data?.cases.map((c) => (
        <article key={c.id} className="card" aria-labelledby={`case-${c.id}`}>
          <h3 id={`case-${c.id}`}>{c.reference}</h3>
          <dl className="details">
            <dt>{t.phase}</dt>
            <dd>{c.phase}</dd>
            <dt>{t.status}</dt>
            <dd>{c.status}</dd>
            <dt>{t.theme}</dt>
            <dd>{c.theme ?? "—"}</dd>
            <dt>{t.openedAt}</dt>
            <dd>{c.openedAt}</dd>
            <dt>{t.subjects}</dt>
            <dd>{c.subjects.length}</dd>
          </dl>
          <Table
            caption={`${t.checks} ${c.reference}`}
            head={[t.kind, t.source, t.status, t.requestedFields, t.approvedFields, t.escalate]}
            rows={c.privacyChecks.map((k) => [
              k.kind,
              k.source,
              k.status,
              list([...k.requestedFields, ...k.requestedProbes]),
              list([...k.approvedFields, ...k.approvedProbes]),
              k.status === "REJECTED" || k.status === "PARTIALLY_APPROVED" ? (
                <EscalateForm key={k.id} id={k.id} onDone={q.reload} />
              ) : (
                "—"
              ),
            ])}
          />
        </article>
      ))}
    </>
  );
}
