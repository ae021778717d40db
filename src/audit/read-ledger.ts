/**
 * What one GraphQL request read of case data, kept until its answer is ready (issue 13, "Reads are
 * not logged"; Delft art. 6b-c and Maastricht art. 9-10: the log records every processing, and
 * looking at a case's signal, history, checks or subjects is processing). The schema's read audit
 * (src/server/read-audit.ts) notes each part a resolver returned; before the answer leaves, the
 * ledger becomes access records (no log, no data), one per root field and case, and one per data
 * subject whose key was read (the Logboek Dataverwerkingen records a processing per subject).
 */
export interface ReadNote {
  /** The root field's response key (its alias, or its name): each alias is an access of its own. */
  readonly rootKey: string;
  readonly caseId?: string | undefined;
  readonly phase?: string | undefined;
  /** `metadata`, `history`, `checks`, `check`, `subjects`, `signal`, `exit`, `weighing`. */
  readonly part?: string | undefined;
  readonly checkId?: string | undefined;
  /** Subject keys (`persoon:<bsn>`, …) the part showed. */
  readonly subjects?: readonly string[] | undefined;
  /** The rule that let the caller read the case; asked once per group. */
  readonly reason?: (() => string) | undefined;
}

interface Group {
  readonly rootKey: string;
  readonly rootField: string;
  readonly caseId: string | undefined;
  phase: string | undefined;
  readonly parts: Set<string>;
  readonly checks: Set<string>;
  readonly subjects: Set<string>;
  reason: string | undefined;
}

/** Ids a root field's arguments name (explain's `caseId`, a report's `reportId`): no personal data. */
export interface RootIds {
  readonly caseId?: string | undefined;
  readonly reportId?: string | undefined;
}

/** A root field whose result was read, with the ids its arguments name. */
interface RootRead extends RootIds {
  readonly rootKey: string;
  readonly rootField: string;
}

export interface ReadLedger {
  /** A root field starts: its response key and name, for the notes made below it. */
  enter(rootKey: string, rootField: string): void;
  /** A part of case data a resolver returned. */
  note(n: ReadNote): void;
  /** A root field answered without error (its own reads, if it has none, still count once). */
  root(rootKey: string, rootField: string, ids?: RootIds): void;
  /**
   * A record of its own (a registry disclosure or denial) already names this case: a root field
   * that showed nothing of the case but registry data needs no further record for it.
   */
  covered(caseId: string): void;
  /** Nothing noted yet (or everything taken). */
  readonly empty: boolean;
  /** The notes as grouped reads, emptied: they are written once. */
  take(): {
    readonly groups: readonly ReadGroup[];
    readonly roots: readonly RootRead[];
    readonly covered: ReadonlySet<string>;
  };
}

export interface ReadGroup {
  readonly rootKey: string;
  readonly rootField: string;
  readonly caseId: string | undefined;
  readonly phase: string | undefined;
  readonly parts: readonly string[];
  readonly checks: readonly string[];
  readonly subjects: readonly string[];
  readonly reason: string | undefined;
}

export function createReadLedger(): ReadLedger {
  let groups = new Map<string, Group>();
  let roots = new Map<string, RootRead>();
  const fields = new Map<string, string>();
  let covered = new Set<string>();
  return {
    covered(caseId) {
      covered.add(caseId);
    },
    enter(rootKey, rootField) {
      fields.set(rootKey, rootField);
    },
    note(n) {
      const key = `${n.rootKey}\u0000${n.caseId ?? ""}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          rootKey: n.rootKey,
          rootField: fields.get(n.rootKey) ?? n.rootKey,
          caseId: n.caseId,
          phase: n.phase,
          parts: new Set(),
          checks: new Set(),
          subjects: new Set(),
          reason: n.reason?.(),
        };
        groups.set(key, g);
      }
      g.phase ??= n.phase;
      if (n.part) g.parts.add(n.part);
      if (n.checkId) g.checks.add(n.checkId);
      for (const s of n.subjects ?? []) g.subjects.add(s);
    },
    root(rootKey, rootField, ids = {}) {
      if (!roots.has(rootKey)) roots.set(rootKey, { rootKey, rootField, ...ids });
    },
    get empty() {
      return groups.size === 0 && roots.size === 0;
    },
    take() {
      const out = {
        groups: [...groups.values()].map((g) => ({
          ...g,
          parts: [...g.parts].sort(),
          checks: [...g.checks].sort(),
          subjects: [...g.subjects].sort(),
        })),
        roots: [...roots.values()],
        covered,
      };
      groups = new Map();
      roots = new Map();
      covered = new Set();
      return out;
    },
  };
}
