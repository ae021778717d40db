import { useState } from "react";
import { request, useQuery } from "../api.ts";
import { graphql } from "../gql/index.ts";
import { EvaluationDueNotice } from "./policy.tsx";
import type { AuditLogFilter, AuditSubjectType } from "../gql/graphql.ts";
import { Outcome, SelectField, Status, Table, TextField, list, useT } from "../ui.tsx";
import { CheckDetails, QueueDocument, VerdictForm } from "./checks.tsx";

const RevocableDocument = graphql(`
  query Revocable {
    cases(status: OPEN) {
      id
      reference
      privacyChecks {
        id
        kind
        source
        status
        approvedFields
        approvedProbes
      }
    }
  }
`);

const SecondOpinionDocument = graphql(`
  mutation AskSecondOpinion($id: ID!, $motivation: String!) {
    requestSecondOpinion(id: $id, motivation: $motivation) {
      id
      status
    }
  }
`);

/** Asks the FG for a second opinion on a check (privacy officer or coordinator). */
function SecondOpinionForm({ id }: { id: string }) {
  const t = useT();
  const [motivation, setMotivation] = useState("");
  const [error, setError] = useState<string>();
  const [ok, setOk] = useState(false);
  return (
    <form
      className="inline"
      aria-label={`${t.askOpinion} ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        request(SecondOpinionDocument, { id, motivation }).then(
          () => setOk(true),
          (x: unknown) => setError(x instanceof Error ? x.message : String(x)),
        );
      }}
    >
      <TextField label={t.askOpinionMotivation} value={motivation} onChange={setMotivation} required />
      <button type="submit">{t.askOpinion}</button>
      <Outcome error={error} ok={ok} />
    </form>
  );
}

const RevokeDocument = graphql(`
  mutation Revoke($id: ID!, $motivation: String!) {
    revokePrivacyCheck(id: $id, motivation: $motivation) {
      id
      status
    }
  }
`);

/** The queue of one role: checks waiting for advice, a decision or an opinion. */
export function CheckQueue({
  status,
  verdict,
}: {
  status: string;
  verdict: "advise" | "decide" | "opinion";
}) {
  const t = useT();
  const q = useQuery(QueueDocument, {});
  const [ok, setOk] = useState(false);
  const cases = new Map((q.data?.cases ?? []).map((c) => [c.id, c]));
  const checks = (q.data?.pendingPrivacyChecks ?? []).filter((c) => status === "*" || c.status === status);
  return (
    <>
      <Status loading={q.loading} error={q.error} />
      <Outcome error={undefined} ok={ok} />
      {q.data && checks.length === 0 && <p>{t.nothing}</p>}
      {checks.map((check) => {
        const c = cases.get(check.caseId);
        const advised = [...check.history].reverse().find((s) => s.kind === "advised");
        return (
          <article key={check.id} className="card" aria-labelledby={`h-${check.id}`}>
            <h3 id={`h-${check.id}`}>
              {t.check} {check.kind} · {check.source} · {c?.reference ?? check.caseId}
            </h3>
            <CheckDetails check={check} reference={c?.reference ?? check.caseId} theme={c?.theme ?? ""} />
            {verdict === "decide" && (
              <section className="advice" aria-label={t.adviceGiven}>
                <h4>{t.adviceGiven}</h4>
                {advised ? (
                  <p>
                    <strong>{advised.advice ? t[advised.advice] : "—"}</strong> ({advised.actor}, {advised.at}
                    ): {advised.motivation} · {t.approvedFields}: {list(advised.fields)}; {t.approvedProbes}:{" "}
                    {list(advised.probes)}
                  </p>
                ) : (
                  <p>{t.noAdviceYet}</p>
                )}
                <p>{t.deviationNote}</p>
              </section>
            )}
            {verdict !== "opinion" && <SecondOpinionForm id={check.id} />}
            <VerdictForm
              check={check}
              verdict={verdict}
              onDone={() => {
                setOk(true);
                q.reload();
              }}
            />
          </article>
        );
      })}
    </>
  );
}

function RevokeForm({ id, onDone }: { id: string; onDone: () => void }) {
  const t = useT();
  const [motivation, setMotivation] = useState("");
  const [error, setError] = useState<string>();
  return (
    <form
      className="inline"
      aria-label={`${t.revoke} ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        request(RevokeDocument, { id, motivation }).then(onDone, (x: unknown) =>
          setError(x instanceof Error ? x.message : String(x)),
        );
      }}
    >
      <TextField label={t.revokeMotivation} value={motivation} onChange={setMotivation} required />
      <button type="submit">{t.revoke}</button>
      <Outcome error={error} ok={false} />
    </form>
  );
}

export function RevocableChecks() {
  const t = useT();
  const q = useQuery(RevocableDocument, {});
  const rows = (q.data?.cases ?? []).flatMap((c) =>
    c.privacyChecks
      .filter((k) => k.status === "APPROVED" || k.status === "PARTIALLY_APPROVED")
      .map((k) => [
        c.reference,
        k.kind,
        k.source,
        k.status,
        list([...k.approvedFields, ...k.approvedProbes]),
        <RevokeForm key={k.id} id={k.id} onDone={q.reload} />,
      ]),
  );
  return (
    <>
      <Status loading={q.loading} error={q.error} />
      {q.data && (
        <Table
          caption={t.revocable}
          head={[t.caseRef, t.kind, t.source, t.status, t.approvedFields, t.revoke]}
          rows={rows}
        />
      )}
    </>
  );
}

export function OfficerQueuePage() {
  return (
    <>
      <EvaluationDueNotice />
      <CheckQueue status="REQUESTED" verdict="advise" />
      <RevocableChecks />
    </>
  );
}

const FlaggedDocument = graphql(`
  query Flagged {
    flaggedEvents(first: 50) {
      id
      at
      attempts
      flag
      rule
      reason
      caseReference
      phase
      actor
      operation
      source
      reviewed
    }
  }
`);

const ReviewDocument = graphql(`
  mutation Review($id: ID!, $note: String!) {
    reviewFlaggedEvent(id: $id, note: $note) {
      id
      reviewed
    }
  }
`);

function ReviewForm({ id, onDone }: { id: string; onDone: () => void }) {
  const t = useT();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string>();
  return (
    <form
      className="inline"
      aria-label={`${t.markReviewed} ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        request(ReviewDocument, { id, note }).then(onDone, (x: unknown) =>
          setError(x instanceof Error ? x.message : String(x)),
        );
      }}
    >
      <TextField label={t.reviewNote} value={note} onChange={setNote} required />
      <button type="submit">{t.markReviewed}</button>
      <Outcome error={error} ok={false} />
    </form>
  );
}

export function FlaggedPage() {
  const t = useT();
  const q = useQuery(FlaggedDocument, {});
  return (
    <>
      <Status loading={q.loading} error={q.error} />
      {q.data && (
        <Table
          caption={t.tabFlagged}
          head={[t.at, t.flag, t.rule, t.reason, t.caseRef, t.actor, t.attempts, t.markReviewed]}
          rows={q.data.flaggedEvents.map((f) => [
            f.at,
            f.flag,
            f.rule,
            f.reason,
            f.caseReference ?? "—",
            f.actor,
            f.attempts,
            f.reviewed ? t.yes : <ReviewForm key={f.id} id={f.id} onDone={q.reload} />,
          ])}
        />
      )}
    </>
  );
}

const ProtocolDocument = graphql(`
  query Protocol {
    protocol {
      id
      name
      policyHash
      phases {
        id
        name
        purpose
      }
    }
    cases(status: OPEN) {
      id
      reference
      phase
    }
  }
`);

const ExplainDocument = graphql(`
  query Explain($caseId: ID!, $role: String!, $source: String!, $field: String, $probe: String) {
    explain(caseId: $caseId, role: $role, source: $source, field: $field, probe: $probe) {
      policyHash
      phase
      mode
      permittedFields
      decisions {
        about
        allowed
        ruleId
        reason
      }
    }
  }
`);

const ROLES = ["analyst", "privacy_officer", "coordinator", "dpo", "department_member", "legal", "beheerder"];
const SOURCES = ["brp", "bag", "hr", "permits", "bewoning", "historie", "woz"];

interface Cell {
  readonly fields: number;
  readonly mode: string;
  readonly error?: string;
}

/**
 * Role × source for one case (its phase and approvals): how many fields the policy lets each role
 * have, by one `explain` per cell (each audited); a cell drills down to the rules.
 */
function MatrixGrid({ caseId, onPick }: { caseId: string; onPick: (role: string, source: string) => void }) {
  const t = useT();
  const [cells, setCells] = useState<Record<string, Cell>>();
  const [busy, setBusy] = useState(false);
  return (
    <section aria-label={t.matrixGrid}>
      <button
        type="button"
        disabled={busy || caseId === ""}
        onClick={() => {
          setBusy(true);
          const pairs = ROLES.flatMap((role) => SOURCES.map((source) => [role, source] as const));
          void Promise.all(
            pairs.map(([role, source]) =>
              request(ExplainDocument, { caseId, role, source }).then(
                (r): [string, Cell] => [
                  `${role}|${source}`,
                  { fields: r.explain.permittedFields.length, mode: r.explain.mode },
                ],
                (e: unknown): [string, Cell] => [
                  `${role}|${source}`,
                  { fields: 0, mode: "", error: e instanceof Error ? e.message : String(e) },
                ],
              ),
            ),
          ).then((entries) => {
            setCells(Object.fromEntries(entries));
            setBusy(false);
          });
        }}
      >
        {t.showMatrix}
      </button>
      {busy && <p aria-live="polite">{t.loading}</p>}
      {cells && (
        <Table
          caption={t.matrixGrid}
          head={[t.role, ...SOURCES]}
          rows={ROLES.map((role) => [
            role,
            ...SOURCES.map((source) => {
              const c = cells[`${role}|${source}`];
              if (!c) return "—";
              if (c.error) return <span title={c.error}>{t.error}</span>;
              return (
                <button
                  key={source}
                  type="button"
                  className="cell"
                  aria-label={`${role} × ${source}: ${c.fields} ${t.fieldsWord}`}
                  onClick={() => onPick(role, source)}
                >
                  {c.fields} {t.fieldsWord}
                  {c.mode ? ` · ${c.mode}` : ""}
                </button>
              );
            }),
          ])}
        />
      )}
    </section>
  );
}

/** The policy matrix: the protocol's phases, and per case × role × source the deciding rules. */
export function MatrixPage() {
  const t = useT();
  const q = useQuery(ProtocolDocument, {});
  const [caseId, setCaseId] = useState("");
  const [role, setRole] = useState("analyst");
  const [source, setSource] = useState("brp");
  const [field, setField] = useState("");
  const [probe, setProbe] = useState("");
  const [asked, setAsked] = useState<{
    caseId: string;
    role: string;
    source: string;
    field?: string;
    probe?: string;
  }>();
  const e = useQuery(ExplainDocument, asked ?? { caseId: "", role: "", source: "" }, asked === undefined);
  const cases = q.data?.cases ?? [];
  const chosen = caseId || cases[0]?.id || "";
  return (
    <>
      <Status loading={q.loading} error={q.error} />
      {q.data && (
        <>
          <p>
            {t.protocol}: {q.data.protocol.name} ({q.data.protocol.id}) · {t.policyHash}:{" "}
            <code>{q.data.protocol.policyHash.slice(0, 16)}</code>
          </p>
          <Table
            caption={t.phases}
            head={[t.phase, t.purpose]}
            rows={q.data.protocol.phases.map((p) => [`${p.name} (${p.id})`, p.purpose])}
          />
          <h3>{t.explain}</h3>
          <p>{t.explainIntro}</p>
          <MatrixGrid
            caseId={chosen}
            onPick={(r, src) => {
              setRole(r);
              setSource(src);
              setAsked({ caseId: chosen, role: r, source: src });
            }}
          />
          <form
            className="grid"
            aria-label={t.explain}
            onSubmit={(ev) => {
              ev.preventDefault();
              setAsked({
                caseId: chosen,
                role,
                source,
                ...(field ? { field } : {}),
                ...(probe ? { probe } : {}),
              });
            }}
          >
            <SelectField
              label={t.caseRef}
              value={chosen}
              onChange={setCaseId}
              options={cases.map((c) => ({ value: c.id, label: `${c.reference} (${c.phase})` }))}
            />
            <SelectField
              label={t.role}
              value={role}
              onChange={setRole}
              options={ROLES.map((r) => ({ value: r, label: r }))}
            />
            <SelectField
              label={t.source}
              value={source}
              onChange={setSource}
              options={SOURCES.map((s) => ({ value: s, label: s }))}
            />
            <TextField label={t.field} value={field} onChange={setField} />
            <TextField label={t.probe} value={probe} onChange={setProbe} />
            <button type="submit">{t.explain}</button>
          </form>
          {asked && <Status loading={e.loading} error={e.error} />}
          {asked && e.data && (
            <>
              <p>
                {t.phase}: {e.data.explain.phase} · {t.mode}: {e.data.explain.mode} · {t.permittedFields}:{" "}
                {list(e.data.explain.permittedFields)}
              </p>
              <Table
                caption={t.explain}
                head={[t.about, t.allowed, t.rule, t.reason]}
                rows={e.data.explain.decisions.map((d) => [
                  d.about,
                  d.allowed ? t.yes : t.no,
                  d.ruleId ?? "—",
                  d.reason,
                ])}
              />
            </>
          )}
        </>
      )}
    </>
  );
}

const AuditDocument = graphql(`
  query AuditSearch($filter: AuditLogFilter!) {
    auditLog(filter: $filter, first: 50) {
      hasNextPage
      records {
        id
        seq
        at
        actor
        roles
        caseId
        phase
        operation
        source
        fields
        probes
        decision
        reason
      }
    }
  }
`);

export function AuditPage() {
  const t = useT();
  const [actor, setActor] = useState("");
  const [caseId, setCaseId] = useState("");
  const [operation, setOperation] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [subjectType, setSubjectType] = useState<AuditSubjectType>("bsn");
  const [subjectId, setSubjectId] = useState("");
  const [filter, setFilter] = useState<AuditLogFilter>();
  const q = useQuery(AuditDocument, { filter: filter ?? {} }, filter === undefined);
  return (
    <>
      <p>{t.auditIntro}</p>
      <form
        className="grid"
        aria-label={t.search}
        onSubmit={(ev) => {
          ev.preventDefault();
          const f: AuditLogFilter = {};
          if (actor) f["actor"] = actor;
          if (caseId) f["caseId"] = caseId;
          if (operation) f["operation"] = operation;
          if (from) f["from"] = from;
          if (to) f["to"] = to;
          // The subject is searched by its keyed pseudonym; the gateway never logs it in clear.
          if (subjectId.trim()) f["subject"] = { type: subjectType, id: subjectId.trim() };
          setFilter(f);
        }}
      >
        <TextField label={t.actor} value={actor} onChange={setActor} />
        <TextField label={t.caseId} value={caseId} onChange={setCaseId} />
        <TextField label={t.operation} value={operation} onChange={setOperation} />
        <TextField label={t.from} value={from} onChange={setFrom} type="date" />
        <TextField label={t.to} value={to} onChange={setTo} type="date" />
        <SelectField<AuditSubjectType>
          label={t.subjectType}
          value={subjectType}
          onChange={setSubjectType}
          options={(["bsn", "kvkNummer", "bagId", "adres"] as const).map((v) => ({ value: v, label: v }))}
        />
        <TextField label={t.subjectId} value={subjectId} onChange={setSubjectId} />
        <button type="submit">{t.search}</button>
      </form>
      {filter && <Status loading={q.loading} error={q.error} />}
      {filter && q.data && (
        <Table
          caption={t.records}
          head={["#", t.at, t.actor, t.operation, t.source, t.phase, t.requestedFields, t.decision, t.reason]}
          rows={q.data.auditLog.records.map((r) => [
            r.seq,
            r.at,
            `${r.actor} (${r.roles.join(", ")})`,
            r.operation,
            r.source ?? "—",
            r.phase ?? "—",
            list([...r.fields, ...r.probes]),
            r.decision,
            r.reason,
          ])}
        />
      )}
    </>
  );
}
