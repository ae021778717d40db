import type { ProtocolFile } from "./schemas.ts";
import type { Protocol } from "./types.ts";
import type { Role } from "../shared/index.ts";

/**
 * Who reads a closed case's signal text and history when the protocol file does not say:
 * Juridische Zaken for complaints and data-subject rights, the FG for accountability (Delft art. 21d).
 */
export const DEFAULT_CLOSED_CASE_READERS: readonly Role[] = Object.freeze(["legal", "dpo"]);

export interface Problem {
  readonly path: string;
  readonly reason: string;
}

/**
 * Checks the protocol state machine beyond its shape: unique ids, every reference to a phase names
 * a phase of this protocol, and a case can only reach the closed phase through an outcome (which
 * carries the retention period).
 */
export function checkProtocol(file: ProtocolFile): Problem[] {
  const problems: Problem[] = [];
  const phaseIds = new Set<string>();
  file.phases.forEach((p, i) => {
    if (phaseIds.has(p.id)) problems.push({ path: `phases[${i}].id`, reason: `duplicate phase id ${p.id}` });
    phaseIds.add(p.id);
  });
  const known = (id: string, path: string): boolean => {
    if (phaseIds.has(id)) return true;
    problems.push({ path, reason: `unknown phase ${id}` });
    return false;
  };
  known(file.initialPhase, "initialPhase");
  known(file.closedPhase, "closedPhase");
  if (file.initialPhase === file.closedPhase)
    problems.push({ path: "closedPhase", reason: "the closed phase cannot also be the initial phase" });

  const pairs = new Set<string>();
  file.transitions.forEach((t, i) => {
    const fromOk = known(t.from, `transitions[${i}].from`);
    const toOk = known(t.to, `transitions[${i}].to`);
    if (fromOk && toOk) {
      if (t.from === t.to)
        problems.push({ path: `transitions[${i}]`, reason: `transition from ${t.from} to itself` });
      if (t.from === file.closedPhase)
        problems.push({
          path: `transitions[${i}].from`,
          reason: "a closed case cannot move to another phase",
        });
      if (t.to === file.closedPhase)
        problems.push({
          path: `transitions[${i}].to`,
          reason: "a case reaches the closed phase only through an outcome (which sets the retention period)",
        });
    }
    const key = `${t.from}->${t.to}`;
    if (pairs.has(key)) problems.push({ path: `transitions[${i}]`, reason: `duplicate transition ${key}` });
    pairs.add(key);
  });

  const outcomeIds = new Set<string>();
  file.outcomes.forEach((o, i) => {
    if (outcomeIds.has(o.id))
      problems.push({ path: `outcomes[${i}].id`, reason: `duplicate outcome id ${o.id}` });
    outcomeIds.add(o.id);
    // Maastricht art. 10.1, 10.3: every destruction is documented with the ground it rests on.
    if (o.legalBasis === undefined)
      problems.push({
        path: `outcomes[${i}].legalBasis`,
        reason: "every outcome needs the legal basis of its destruction (Maastricht art. 10.1, 10.3)",
      });
    o.fromPhases.forEach((p, j) => {
      if (known(p, `outcomes[${i}].fromPhases[${j}]`) && p === file.closedPhase)
        problems.push({
          path: `outcomes[${i}].fromPhases[${j}]`,
          reason: "a case that is closed cannot be closed again",
        });
    });
  });
  const kinds = new Set<string>();
  (file.checks ?? []).forEach((c, i) => {
    if (kinds.has(c.kind))
      problems.push({ path: `checks[${i}].kind`, reason: `privacy check ${c.kind} is listed twice` });
    kinds.add(c.kind);
    c.phases.forEach((p, j) => {
      if (known(p, `checks[${i}].phases[${j}]`) && p === file.closedPhase)
        problems.push({
          path: `checks[${i}].phases[${j}]`,
          reason: "an approval never takes effect in the closed phase",
        });
    });
  });
  file.closedCaseReaders?.forEach((role, i) => {
    if (file.closedCaseReaders?.indexOf(role) !== i)
      problems.push({ path: `closedCaseReaders[${i}]`, reason: `duplicate role ${role}` });
  });
  file.subjects?.checkRequiredIn.forEach((p, i) => {
    if (known(p, `subjects.checkRequiredIn[${i}]`) && p === file.closedPhase)
      problems.push({
        path: `subjects.checkRequiredIn[${i}]`,
        reason: "a closed case takes no new subjects at all",
      });
  });
  if (file.weighing) problems.push(...checkWeighing(file, file.weighing, known));
  // Delft art. 7d: logs are kept at most a set period, never longer than the case they concern.
  if (file.auditRetention === undefined)
    problems.push({
      path: "auditRetention",
      reason: "say how long audit records are kept, with its legal basis and article (Delft art. 7d)",
    });
  return problems;
}

/**
 * The weighing checklist (Maastricht art. 15-16, bijlage C; Delft art. 12-15): answered in a
 * working phase, gating only moves that leave that phase (a gate no move from it reaches would never
 * apply), with unique step ids and unique answers per step.
 */
function checkWeighing(
  file: ProtocolFile,
  weighing: NonNullable<ProtocolFile["weighing"]>,
  known: (id: string, path: string) => boolean,
): Problem[] {
  const problems: Problem[] = [];
  const phaseOk = known(weighing.phase, "weighing.phase");
  if (phaseOk && weighing.phase === file.closedPhase)
    problems.push({ path: "weighing.phase", reason: "a closed case is not weighed" });
  weighing.gates.forEach((gate, i) => {
    const path = `weighing.gates[${i}]`;
    if (weighing.gates.indexOf(gate) !== i) problems.push({ path, reason: `duplicate phase ${gate}` });
    if (!known(gate, path) || !phaseOk) return;
    if (gate === weighing.phase) problems.push({ path, reason: "the weighing phase cannot gate itself" });
    else if (!file.transitions.some((t) => t.from === weighing.phase && t.to === gate))
      problems.push({
        path,
        reason: `no transition leads from ${weighing.phase} to ${gate}, so this gate would never apply`,
      });
  });
  const stepIds = new Set<string>();
  weighing.steps.forEach((step, i) => {
    if (stepIds.has(step.id))
      problems.push({ path: `weighing.steps[${i}].id`, reason: `duplicate step id ${step.id}` });
    stepIds.add(step.id);
    step.answers.forEach((answer, j) => {
      if (step.answers.indexOf(answer) !== j)
        problems.push({
          path: `weighing.steps[${i}].answers[${j}]`,
          reason: `duplicate answer ${answer} in step ${step.id}`,
        });
    });
  });
  return problems;
}

/** Stands in for a missing required value; `checkProtocol` has reported it, so it is never used. */
const MISSING = "";

export function toProtocol(file: ProtocolFile): Protocol {
  return Object.freeze({
    id: file.id,
    name: file.name,
    phases: file.phases.map((p) => Object.freeze({ ...p, articles: Object.freeze([...p.articles]) })),
    initialPhase: file.initialPhase,
    closedPhase: file.closedPhase,
    transitions: file.transitions.map((t) => Object.freeze({ ...t })),
    outcomes: file.outcomes.map((o) =>
      Object.freeze({
        ...o,
        legalBasis: o.legalBasis ?? MISSING,
        fromPhases: Object.freeze([...o.fromPhases]),
      }),
    ),
    checks: (file.checks ?? []).map((c) => Object.freeze({ ...c, phases: Object.freeze([...c.phases]) })),
    themeDatasets: file.themeDatasets ? Object.freeze({ ...file.themeDatasets }) : undefined,
    auditRetention: Object.freeze(
      file.auditRetention ?? { retention: "P0D", legalBasis: MISSING, article: MISSING },
    ),
    closedCaseReaders: Object.freeze([...(file.closedCaseReaders ?? DEFAULT_CLOSED_CASE_READERS)]),
    reporter: file.reporter ? Object.freeze({ ...file.reporter }) : undefined,
    subjects: Object.freeze({
      checkRequiredIn: Object.freeze(
        file.subjects?.checkRequiredIn ??
          file.phases.map((p) => p.id).filter((p) => p !== file.initialPhase && p !== file.closedPhase),
      ),
      article: file.subjects?.article ?? "Maastricht art. 3, art. 18; Delft art. 3",
    }),
    weighing: file.weighing
      ? Object.freeze({
          ...file.weighing,
          gates: Object.freeze([...file.weighing.gates]),
          steps: Object.freeze(
            file.weighing.steps.map((s) => Object.freeze({ ...s, answers: Object.freeze([...s.answers]) })),
          ),
        })
      : undefined,
  });
}
