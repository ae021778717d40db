import { useState } from "react";
import { request } from "../api.ts";
import { graphql } from "../gql/index.ts";
import type { Advice } from "../gql/graphql.ts";
import { Outcome, Picker, SelectField, TextField, list, useT } from "../ui.tsx";

export const QueueDocument = graphql(`
  query Queue {
    pendingPrivacyChecks {
      id
      caseId
      kind
      source
      requestedFields
      requestedProbes
      subjects
      motivation
      themeDataset
      status
      requestedBy
      requestedAt
      history {
        kind
        actor
        at
        advice
        fields
        probes
        motivation
        deviation
      }
    }
    cases(status: OPEN) {
      id
      reference
      theme
      phase
    }
  }
`);

const AdviseDocument = graphql(`
  mutation Advise(
    $id: ID!
    $advice: Advice!
    $motivation: String!
    $approvedFields: [String!]
    $approvedProbes: [String!]
  ) {
    advisePrivacyCheck(
      id: $id
      advice: $advice
      motivation: $motivation
      approvedFields: $approvedFields
      approvedProbes: $approvedProbes
    ) {
      id
      status
    }
  }
`);

const DecideDocument = graphql(`
  mutation Decide(
    $id: ID!
    $decision: Advice!
    $motivation: String!
    $approvedFields: [String!]
    $approvedProbes: [String!]
  ) {
    decidePrivacyCheck(
      id: $id
      decision: $decision
      motivation: $motivation
      approvedFields: $approvedFields
      approvedProbes: $approvedProbes
    ) {
      id
      status
    }
  }
`);

const OpinionDocument = graphql(`
  mutation Opinion($id: ID!, $opinion: Advice!, $motivation: String!) {
    giveSecondOpinion(id: $id, opinion: $opinion, motivation: $motivation) {
      id
      status
    }
  }
`);

export type QueueCheck = NonNullable<Awaited<ReturnType<typeof loadQueue>>>["pendingPrivacyChecks"][number];
export const loadQueue = () => request(QueueDocument, {});

/** What a check asks for, as the privacy officer weighs it. */
export function CheckDetails({
  check,
  reference,
  theme,
}: {
  check: QueueCheck;
  reference: string;
  theme: string;
}) {
  const t = useT();
  return (
    <dl className="details">
      <dt>{t.caseRef}</dt>
      <dd>{reference}</dd>
      <dt>{t.kind}</dt>
      <dd>{check.kind}</dd>
      <dt>{t.source}</dt>
      <dd>{check.source}</dd>
      <dt>{t.requestedFields}</dt>
      <dd>{list(check.requestedFields)}</dd>
      <dt>{t.requestedProbes}</dt>
      <dd>{list(check.requestedProbes)}</dd>
      <dt>{t.subjects}</dt>
      <dd>{check.subjects.length}</dd>
      <dt>{t.motivation}</dt>
      <dd>{check.motivation}</dd>
      <dt>{t.theme}</dt>
      <dd>{theme || "—"}</dd>
      <dt>{t.themeDataset}</dt>
      <dd>{check.themeDataset ?? "—"}</dd>
      <dt>{t.requestedBy}</dt>
      <dd>
        {check.requestedBy} ({check.requestedAt})
      </dd>
    </dl>
  );
}

type Verdict = "advise" | "decide" | "opinion";

/**
 * GO / NO_GO / PARTIAL with a motivation; with PARTIAL the picker offers only what the check
 * requested (the policy's maximum for it), so nothing beyond can be approved.
 */
export function VerdictForm({
  check,
  verdict,
  onDone,
}: {
  check: QueueCheck;
  verdict: Verdict;
  onDone: () => void;
}) {
  const t = useT();
  const [advice, setAdvice] = useState<Advice>("GO");
  const [motivation, setMotivation] = useState("");
  const [fields, setFields] = useState<string[]>([...check.requestedFields]);
  const [probes, setProbes] = useState<string[]>([...check.requestedProbes]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const label = verdict === "advise" ? t.advice : verdict === "decide" ? t.decision : t.opinion;
  const submit =
    verdict === "advise" ? t.submitAdvice : verdict === "decide" ? t.submitDecision : t.submitOpinion;
  const partial = advice === "PARTIAL";
  return (
    <form
      className="verdict"
      aria-label={`${label} ${check.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        const subset = partial ? { approvedFields: fields, approvedProbes: probes } : {};
        const run =
          verdict === "advise"
            ? request(AdviseDocument, { id: check.id, advice, motivation, ...subset })
            : verdict === "decide"
              ? request(DecideDocument, { id: check.id, decision: advice, motivation, ...subset })
              : request(OpinionDocument, { id: check.id, opinion: advice, motivation });
        run.then(
          () => {
            setBusy(false);
            onDone();
          },
          (e: unknown) => {
            setBusy(false);
            setError(e instanceof Error ? e.message : String(e));
          },
        );
      }}
    >
      <SelectField<Advice>
        label={label}
        value={advice}
        onChange={setAdvice}
        options={(["GO", "NO_GO", "PARTIAL"] as const).map((a) => ({ value: a, label: t[a] }))}
      />
      {verdict !== "opinion" && (
        <div className="pickers">
          <p id={`picker-${check.id}`}>{t.fieldPicker}</p>
          <Picker
            legend={t.requestedFields}
            options={check.requestedFields}
            selected={fields}
            onChange={setFields}
            disabled={!partial}
          />
          <Picker
            legend={t.requestedProbes}
            options={check.requestedProbes}
            selected={probes}
            onChange={setProbes}
            disabled={!partial}
          />
        </div>
      )}
      <TextField label={t.motivation} value={motivation} onChange={setMotivation} required multiline />
      <button type="submit" disabled={busy}>
        {submit}
      </button>
      <Outcome error={error} ok={false} />
    </form>
  );
}
