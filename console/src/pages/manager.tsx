import { useState } from "react";
import { request, useQuery } from "../api.ts";
import { graphql } from "../gql/index.ts";
import { Outcome, Status, Table, TextField, useT } from "../ui.tsx";
import { CasesListDocument } from "./legal.tsx";

const AssignDocument = graphql(`
  mutation Assign($id: ID!, $owner: String!, $substitute: String, $motivation: String!) {
    assignCase(id: $id, owner: $owner, substitute: $substitute, motivation: $motivation) {
      id
      owner
      substitute
    }
  }
`);

function AssignForm({
  id,
  owner,
  substitute,
  onDone,
}: {
  id: string;
  owner: string;
  substitute: string;
  onDone: () => void;
}) {
  const t = useT();
  const [o, setO] = useState(owner);
  const [s, setS] = useState(substitute);
  const [motivation, setMotivation] = useState("");
  const [error, setError] = useState<string>();
  const [ok, setOk] = useState(false);
  return (
    <form
      className="inline"
      aria-label={`${t.assign} ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        request(AssignDocument, { id, owner: o.trim(), substitute: s.trim() || null, motivation }).then(
          () => {
            setOk(true);
            onDone();
          },
          (x: unknown) => setError(x instanceof Error ? x.message : String(x)),
        );
      }}
    >
      <TextField label={t.owner} value={o} onChange={setO} required />
      <TextField label={t.substitute} value={s} onChange={setS} />
      <TextField label={t.motivation} value={motivation} onChange={setMotivation} required />
      <button type="submit">{t.assign}</button>
      <Outcome error={error} ok={ok} />
    </form>
  );
}

export function AssignmentsPage() {
  const t = useT();
  const q = useQuery(CasesListDocument, {});
  return (
    <>
      <Status loading={q.loading} error={q.error} />
      {q.data && (
        <Table
          caption={t.assignments}
          head={[t.caseRef, t.phase, t.status, t.owner, t.substitute, t.assign]}
          rows={q.data.cases.map((c) => [
            c.reference,
            c.phase,
            c.status,
            c.owner,
            c.substitute ?? "—",
            c.status === "OPEN" ? (
              <AssignForm
                key={c.id}
                id={c.id}
                owner={c.owner}
                substitute={c.substitute ?? ""}
                onDone={q.reload}
              />
            ) : (
              "—"
            ),
          ])}
        />
      )}
    </>
  );
}
