import type { VisibleCase } from "../cases/index.ts";
import type { EmbeddedPersons } from "../policy/catalogue.ts";
import type { Bsn } from "../shared/index.ts";
import { subjectKey, type Subject } from "./subject.ts";

type Row = Readonly<Record<string, unknown>>;

/** What one embedded person's part of a record comes to: released, or refused and left out. */
export interface EmbeddedOutcome {
  readonly subject: Subject;
  readonly embeddedIn: string;
  /** The units of the host record under `embeddedIn` that were asked (and permitted for the host). */
  readonly fields: readonly string[];
  readonly refused?: string | undefined;
}

/**
 * The groups of persons inside the records of `source` that the permitted units reach
 * (catalogue `embeddedPersons`), and the identifying unit of each, which is asked upstream with
 * the group so that every embedded person can be recognised, even when it is not released.
 */
export function embeddedGroups(
  groups: readonly EmbeddedPersons[],
  permitted: readonly string[],
): { readonly groups: readonly EmbeddedPersons[]; readonly keyUnits: readonly string[] } {
  const reached = groups.filter((g) => permitted.some((u) => u.startsWith(`${g.path}.`)));
  return { groups: reached, keyUnits: reached.map((g) => `${g.path}.${g.key}`) };
}

const entriesAt = (row: Row, path: string): unknown => {
  let value: unknown = row;
  for (const segment of path.split("."))
    value = value && typeof value === "object" ? (value as Row)[segment] : undefined;
  return value;
};

const withAt = (row: Row, path: string, value: unknown): Row => {
  const [head = "", ...rest] = path.split(".");
  if (rest.length === 0) return { ...row, [head]: value };
  const inner = row[head];
  return inner && typeof inner === "object"
    ? { ...row, [head]: withAt(inner as Row, rest.join("."), value) }
    : row;
};

/**
 * Every person embedded in a released record is a subject in their own right (issue 10, attack
 * 2): the per-subject decisions of the case apply to them. A person whose processing in this case
 * is restricted (GDPR art. 18) is left out of the record; the identifying unit is removed again
 * where the host's approvals do not release it. Returns the record(s) to release and one outcome
 * per embedded person, which the caller audits under that person's own pseudonym, so the person's
 * access report lists it.
 */
export function screenEmbedded(
  c: VisibleCase,
  source: string,
  groups: readonly EmbeddedPersons[],
  permitted: readonly string[],
  value: Row | readonly Row[],
): { readonly value: Row | readonly Row[]; readonly outcomes: readonly EmbeddedOutcome[] } {
  const outcomes = new Map<string, EmbeddedOutcome>();
  const screenRow = (row: Row): Row => {
    let out = row;
    for (const group of groups) {
      const keyUnit = `${group.path}.${group.key}`;
      const fields = permitted.filter((u) => u.startsWith(`${group.path}.`));
      const releaseKey = permitted.includes(keyUnit);
      const screenEntry = (entry: unknown): unknown => {
        if (!entry || typeof entry !== "object") return entry;
        const bsn = entriesAt(entry as Row, group.key);
        const kept = releaseKey ? entry : withAt(entry as Row, group.key, undefined);
        if (typeof bsn !== "string" || bsn === "") return kept;
        const subject: Subject = { kind: "persoon", bsn: bsn as Bsn };
        const key = subjectKey(subject);
        const refused = c.restricted(key) ? c.forSubject(key).mode(source).decision.reason : undefined;
        const seen = outcomes.get(`${group.path}|${key}`);
        if (!seen || refused)
          outcomes.set(`${group.path}|${key}`, { subject, embeddedIn: group.path, fields, refused });
        return refused ? undefined : kept;
      };
      const entries = entriesAt(out, group.path);
      if (Array.isArray(entries))
        out = withAt(
          out,
          group.path,
          entries.map(screenEntry).filter((e) => e !== undefined),
        );
      else if (entries && typeof entries === "object")
        out = withAt(out, group.path, screenEntry(entries) ?? null);
    }
    return out;
  };
  const screened = Array.isArray(value) ? (value as readonly Row[]).map(screenRow) : screenRow(value as Row);
  return { value: screened, outcomes: [...outcomes.values()] };
}
