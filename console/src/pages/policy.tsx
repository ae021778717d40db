import { useState } from "react";
import { request, useQuery, type QueryState } from "../api.ts";
import type { ConsolePolicyVersionsQuery } from "../gql/graphql.ts";
import { graphql } from "../gql/index.ts";
import { Outcome, SelectField, Status, Table, TextField, list, useT } from "../ui.tsx";

// The privacy officer's and the FG's policy tab (issue 14): the stored versions, the evaluation
// due (Maastricht art. 13; Delft art. 9b), the diff between two policies and the replay of a
// candidate on recorded traffic. Everything through the API: policy.versions and policy.explain.

const VersionsDocument = graphql(`
  query ConsolePolicyVersions {
    policyVersions {
      version
      hash
      author
      publishedAt
      motivation
      adoptedOn
      nextEvaluation
      inForce
    }
    policyEvaluationsDue {
      version
      dueOn
      overdue
      lastEvaluatedOn
      basis
    }
  }
`);

const EvaluationsDueDocument = graphql(`
  query ConsoleEvaluationsDue {
    policyEvaluationsDue {
      version
      dueOn
      overdue
      basis
    }
  }
`);

/**
 * On the privacy officer's and the FG's queue: the evaluation of the protocol when it is due or due
 * within 30 days (Maastricht art. 13; Delft art. 9b). Nothing when none is.
 */
export function EvaluationDueNotice() {
  const t = useT();
  const due = useQuery(EvaluationsDueDocument, {});
  const items = due.data?.policyEvaluationsDue ?? [];
  if (items.length === 0) return null;
  return (
    <div role="status" className="notice" data-testid="evaluation-due-queue">
      {items.map((d) => (
        <p key={d.version}>
          {d.overdue ? t.evaluationOverdue : t.evaluationDue} {d.dueOn} (v{d.version}). {d.basis}
        </p>
      ))}
    </div>
  );
}

const EvaluationDocument = graphql(`
  mutation ConsoleRecordEvaluation($motivation: String!, $nextEvaluation: String) {
    recordPolicyEvaluation(motivation: $motivation, nextEvaluation: $nextEvaluation) {
      id
      evaluatedOn
      nextEvaluation
    }
  }
`);

const DiffDocument = graphql(`
  query ConsolePolicyDiff($from: String!, $to: String!) {
    policyDiff(from: $from, to: $to) {
      from {
        ref
        hash
      }
      to {
        ref
        hash
      }
      changes {
        area
        change
        id
        sentence
      }
      cells {
        role
        phase
        source
        kind
        item
        before
        after
        ruleBefore
        ruleAfter
      }
    }
  }
`);

const ReplayDocument = graphql(`
  query ConsolePolicyReplay($candidate: String!, $from: String!, $to: String!) {
    policyReplay(candidate: $candidate, from: $from, to: $to) {
      candidate {
        ref
        hash
      }
      records
      replayed
      allowToDeny
      denyToAllow
      unchanged
      flips {
        direction
        rule
        source
        kind
        item
        phase
        roles
        count
        examples {
          seq
        }
      }
      notReplayable {
        reason
        count
      }
    }
  }
`);

const short = (hash: string) => hash.slice(0, 12);
const message = (x: unknown) => (x instanceof Error ? x.message : String(x));
const today = () => new Date().toISOString().slice(0, 10);

/** Versions, the evaluation due, and a form to record the evaluation. */
function Versions({ refs }: { refs: QueryState<ConsolePolicyVersionsQuery> }) {
  const t = useT();
  const [motivation, setMotivation] = useState("");
  const [next, setNext] = useState("");
  const [error, setError] = useState<string>();
  const [ok, setOk] = useState(false);
  const data = refs.data;
  return (
    <section aria-labelledby="versions-h">
      <h2 id="versions-h">{t.policyVersions}</h2>
      <Status loading={refs.loading} error={refs.error} />
      {data && data.policyEvaluationsDue.length > 0 && (
        <div role="status" className="notice" data-testid="evaluation-due">
          {data.policyEvaluationsDue.map((d) => (
            <p key={d.version}>
              {d.overdue ? t.evaluationOverdue : t.evaluationDue} {d.dueOn} (v{d.version}
              {d.lastEvaluatedOn ? `; ${t.lastEvaluated} ${d.lastEvaluatedOn}` : ""}). {d.basis}
            </p>
          ))}
        </div>
      )}
      {data && (
        <Table
          caption={t.policyVersions}
          head={[
            t.version,
            t.hash,
            t.author,
            t.published,
            t.motivation,
            t.adoptedOn,
            t.nextEvaluation,
            t.versionInForce,
          ]}
          rows={data.policyVersions.map((v) => [
            `v${v.version}`,
            <code key="h">{short(v.hash)}</code>,
            v.author,
            v.publishedAt,
            v.motivation,
            v.adoptedOn,
            v.nextEvaluation,
            v.inForce ? t.yes : "",
          ])}
        />
      )}
      <form
        aria-labelledby="evaluation-h"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          setOk(false);
          request(EvaluationDocument, { motivation, nextEvaluation: next === "" ? null : next }).then(
            () => {
              setOk(true);
              refs.reload();
            },
            (x: unknown) => setError(message(x)),
          );
        }}
      >
        <h3 id="evaluation-h">{t.recordEvaluation}</h3>
        <TextField label={t.motivation} value={motivation} onChange={setMotivation} required multiline />
        <TextField label={t.nextEvaluationOptional} value={next} onChange={setNext} type="date" />
        <button type="submit">{t.recordEvaluation}</button>
        <Outcome error={error} ok={ok} />
      </form>
    </section>
  );
}

/** The references a select offers: what is in force, the working files, every stored version. */
function refOptions(versions: readonly { version: number }[], t: ReturnType<typeof useT>) {
  return [
    { value: "current", label: t.refCurrent },
    { value: "files", label: t.refFiles },
    ...versions.map((v) => ({ value: `v${v.version}`, label: `v${v.version}` })),
  ];
}

function Diff({ versions }: { versions: readonly { version: number }[] }) {
  const t = useT();
  const [from, setFrom] = useState("current");
  const [to, setTo] = useState("files");
  const [asked, setAsked] = useState<{ from: string; to: string }>();
  const diff = useQuery(DiffDocument, asked ?? { from: "", to: "" }, asked === undefined);
  const options = refOptions(versions, t);
  const d = diff.data?.policyDiff;
  return (
    <section aria-labelledby="diff-h">
      <h2 id="diff-h">{t.policyDiff}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ from, to });
          diff.reload();
        }}
      >
        <SelectField label={t.diffFrom} value={from} options={options} onChange={setFrom} />
        <SelectField label={t.diffTo} value={to} options={options} onChange={setTo} />
        <button type="submit">{t.showDiff}</button>
      </form>
      <Status loading={diff.loading} error={diff.error} />
      {d && (
        <div data-testid="diff-result">
          <p>
            {d.from.ref} (<code>{short(d.from.hash)}</code>) → {d.to.ref} (<code>{short(d.to.hash)}</code>)
          </p>
          {d.changes.length === 0 && d.cells.length === 0 ? (
            <p role="status">{t.noDifferences}</p>
          ) : (
            <>
              <Table
                caption={t.diffChanges}
                head={[t.area, t.change, t.ruleId, t.sentence]}
                rows={d.changes.map((c) => [c.area, c.change, c.id, c.sentence])}
              />
              <Table
                caption={t.diffCells}
                head={[t.role, t.phase, t.source, t.item, t.before, t.after]}
                rows={d.cells.map((c) => [
                  c.role,
                  c.phase,
                  c.source,
                  `${c.kind} ${c.item}`,
                  `${c.before}${c.ruleBefore ? ` (${c.ruleBefore})` : ""}`,
                  `${c.after}${c.ruleAfter ? ` (${c.ruleAfter})` : ""}`,
                ])}
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}

function Replay({ versions }: { versions: readonly { version: number }[] }) {
  const t = useT();
  const [candidate, setCandidate] = useState("files");
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState(today());
  const [asked, setAsked] = useState<{ candidate: string; from: string; to: string }>();
  const replay = useQuery(ReplayDocument, asked ?? { candidate: "", from: "", to: "" }, asked === undefined);
  const r = replay.data?.policyReplay;
  return (
    <section aria-labelledby="replay-h">
      <h2 id="replay-h">{t.policyReplay}</h2>
      <p>{t.replayIntro}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ candidate, from, to });
          replay.reload();
        }}
      >
        <SelectField
          label={t.candidate}
          value={candidate}
          options={refOptions(versions, t)}
          onChange={setCandidate}
        />
        <TextField label={t.from} value={from} onChange={setFrom} type="date" required />
        <TextField label={t.toInclusive} value={to} onChange={setTo} type="date" required />
        <button type="submit">{t.runReplay}</button>
      </form>
      <Status loading={replay.loading} error={replay.error} />
      {r && (
        <div data-testid="replay-result">
          <Table
            caption={t.replayCounts}
            head={[t.records, t.replayed, t.allowToDeny, t.denyToAllow, t.unchanged]}
            rows={[[r.records, r.replayed, r.allowToDeny, r.denyToAllow, r.unchanged]]}
          />
          <Table
            caption={t.replayFlips}
            head={[t.direction, t.ruleId, t.source, t.item, t.phase, t.roles, t.count, t.examples]}
            rows={r.flips.map((f) => [
              f.direction === "ALLOW_TO_DENY" ? t.allowToDeny : t.denyToAllow,
              f.rule ?? "—",
              f.source,
              `${f.kind} ${f.item}`,
              f.phase,
              list(f.roles),
              f.count,
              list(f.examples.map((e) => `#${e.seq}`)),
            ])}
          />
          <Table
            caption={t.notReplayable}
            head={[t.reason, t.count]}
            rows={r.notReplayable.map((n) => [n.reason, n.count])}
          />
        </div>
      )}
    </section>
  );
}

/** The tab: versions and evaluation, diff, replay. */
export function PolicyPage() {
  const versions = useQuery(VersionsDocument, {});
  const stored = versions.data?.policyVersions ?? [];
  return (
    <div className="policy-page">
      <Versions refs={versions} />
      <Diff versions={stored} />
      <Replay versions={stored} />
    </div>
  );
}
