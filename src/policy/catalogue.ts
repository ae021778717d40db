import type { CatalogueFile } from "./schemas.ts";
import type { FieldCatalogue, FieldClass } from "./types.ts";

export interface CatalogueEntry {
  readonly path: string;
  readonly class: FieldClass;
  readonly note: string;
  readonly autoDelivered: boolean;
}

/**
 * The field catalogue with the lookups the loader and the ability need: which unit contains a
 * path, and which grantable units a container stands for.
 */
export interface Catalogue extends FieldCatalogue {
  readonly sources: readonly string[];
  entry(source: string, unit: string): CatalogueEntry | undefined;
  /** True if `path` is a unit or a container of units. */
  isKnown(source: string, path: string): boolean;
  /**
   * All units equal to or under `path`, automatically delivered ones included. Empty if `path`
   * is neither a unit nor a container; `[unit]` for a path inside a unit.
   */
  unitsUnder(source: string, path: string): readonly string[];
  /** `unitsUnder` without the automatically delivered units: what granting `path` means. */
  grantableUnder(source: string, path: string): readonly string[];
  /**
   * The persons embedded in a record of this source (catalogue `embeddedPersons`): the container
   * path and the unit under it that identifies each of them (a BSN).
   */
  embeddedPersons(source: string): readonly EmbeddedPersons[];
}

/** A list (or one object) of persons inside another subject's record, e.g. BRP `partners`. */
export interface EmbeddedPersons {
  readonly path: string;
  /** The identifying field relative to `path`, e.g. `burgerservicenummer`. */
  readonly key: string;
}

/** How many (source, path) answers of `unitsUnder` a catalogue keeps. */
const UNITS_UNDER_MEMO_MAX = 20_000;

const isUnder = (unit: string, path: string): boolean => unit === path || unit.startsWith(path + ".");

export function buildCatalogue(files: readonly CatalogueFile[]): Catalogue {
  const bySource = new Map<string, Map<string, CatalogueEntry>>();
  const embedded = new Map<string, readonly EmbeddedPersons[]>(
    files.map((f) => [f.source, (f.embeddedPersons ?? []).map((e) => ({ path: e.path, key: e.key }))]),
  );
  for (const file of files) {
    const entries = new Map<string, CatalogueEntry>();
    for (const f of file.fields)
      entries.set(f.path, {
        path: f.path,
        class: f.class,
        note: f.note,
        autoDelivered: f.autoDelivered ?? false,
      });
    bySource.set(file.source, entries);
  }
  const sorted = new Map([...bySource].map(([s, m]) => [s, [...m.keys()].sort()] as const));

  const unitFor = (source: string, path: string): string | undefined => {
    const units = bySource.get(source);
    if (!units) return undefined;
    // The longest prefix ending at a segment boundary that is a unit (asked at every guarded leaf:
    // slices, not an array of segments joined again per prefix).
    for (let prefix = path; ;) {
      if (units.has(prefix)) return prefix;
      const dot = prefix.lastIndexOf(".");
      if (dot < 0) return undefined;
      prefix = prefix.slice(0, dot);
    }
  };
  const unitsUnderOf = (source: string, path: string): readonly string[] => {
    const unit = unitFor(source, path);
    if (unit !== undefined) return Object.freeze([unit]);
    return Object.freeze((sorted.get(source) ?? []).filter((u) => isUnder(u, path)));
  };
  // The guard asks a field's units at every leaf path of every record: the answer is a fact of
  // this catalogue (immutable), so it is worked out once per path, not per call. Bounded, since
  // `explain` may name paths no schema has; beyond the bound it is worked out per call as before.
  const under = new Map<string, Map<string, readonly string[]>>();
  let remembered = 0;
  const unitsUnder = (source: string, path: string): readonly string[] => {
    let ofSource = under.get(source);
    if (!ofSource) under.set(source, (ofSource = new Map()));
    const known = ofSource.get(path);
    if (known) return known;
    const units = unitsUnderOf(source, path);
    if (remembered < UNITS_UNDER_MEMO_MAX) {
      ofSource.set(path, units);
      remembered++;
    }
    return units;
  };

  return Object.freeze({
    sources: [...bySource.keys()].sort(),
    paths: (source: string) => sorted.get(source) ?? [],
    classOf: (source: string, path: string) => bySource.get(source)?.get(path)?.class,
    unitFor,
    entry: (source: string, unit: string) => bySource.get(source)?.get(unit),
    isKnown: (source: string, path: string) => unitsUnder(source, path).length > 0,
    unitsUnder,
    grantableUnder: (source: string, path: string) =>
      unitsUnder(source, path).filter((u) => bySource.get(source)?.get(u)?.autoDelivered !== true),
    embeddedPersons: (source: string) => embedded.get(source) ?? [],
  });
}

/** Problems inside one catalogue file: duplicate paths, and a unit nested inside another unit. */
export function checkCatalogueFile(file: CatalogueFile): { path: string; reason: string }[] {
  const problems: { path: string; reason: string }[] = [];
  const seen = new Map<string, number>();
  file.fields.forEach((f, i) => {
    const first = seen.get(f.path);
    if (first !== undefined)
      problems.push({
        path: `fields[${i}].path`,
        reason: `duplicate field ${f.path} (also fields[${first}])`,
      });
    else seen.set(f.path, i);
  });
  (file.embeddedPersons ?? []).forEach((e, i) => {
    const key = file.fields.find((f) => f.path === `${e.path}.${e.key}`);
    if (!file.fields.some((f) => f.path.startsWith(`${e.path}.`)))
      problems.push({
        path: `embeddedPersons[${i}].path`,
        reason: `${e.path} is not a group of fields of this catalogue`,
      });
    else if (!key || key.class !== "identifier")
      problems.push({
        path: `embeddedPersons[${i}].key`,
        reason: `${e.path}.${e.key} must be a field of class identifier that names each embedded person`,
      });
  });
  file.fields.forEach((f, i) => {
    const outer = file.fields.find((o) => f.path.startsWith(o.path + "."));
    if (outer)
      problems.push({
        path: `fields[${i}].path`,
        reason: `${f.path} lies inside the field ${outer.path}; a field cannot contain another field`,
      });
  });
  return problems;
}
