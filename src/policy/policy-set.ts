import type { Role } from "../shared/index.ts";
import type { Catalogue } from "./catalogue.ts";
import type { ClientDef } from "./clients.ts";
import type { ProcessingActivities } from "./processing-activities.ts";
import type { RegisterDef } from "./registers.ts";
import type { CompiledRule } from "./disclosure.ts";
import type { RoleDef } from "./schemas.ts";
import type { SpecialCategoryList } from "./special-categories.ts";
import type { ThemeDataset } from "./themes.ts";
import type { TrustedDocument } from "./trusted-documents.ts";
import type { PolicySet } from "./types.ts";

/** What the loader returns: the public {@link PolicySet} plus what the ability and the CLI need. */
export interface LoadedPolicySet extends PolicySet {
  readonly catalogue: Catalogue;
  readonly roles: Readonly<Record<Role, RoleDef>>;
  /** Departments a check 2a/2b may share with (roles.yaml); a department claim outside it sees nothing. */
  readonly departments: readonly { readonly id: string; readonly name: string }[];
  /** Disclosure rules of the selected protocol, field maxima expanded to catalogue units. */
  readonly rules: readonly CompiledRule[];
  /**
   * Theme datasets (`themes/*.yaml`), sorted by file: a check that fits its case's theme needs no
   * advice (Delft art. 16g-h, 19g). Empty when the policy folder has no themes.
   */
  readonly themes: readonly ThemeDataset[];
  /**
   * The special-category term lists (`special-categories/*.yaml`) a signal text is screened with
   * before it is stored (Maastricht art. 6.4; GDPR art. 9(1), 10), in the order of SPECIAL_CATEGORIES.
   */
  readonly specialCategories: readonly SpecialCategoryList[];
  /**
   * Service accounts by client id (`clients.yaml`, issue 12): the roles, trusted documents and cases
   * of each. A client id not in it acts as nobody. Empty when the file is absent.
   */
  readonly clients: ReadonlyMap<string, ClientDef>;
  /** The signed-off operations (`trusted-documents/*.graphql`) by the hex sha256 of their text. */
  readonly trustedDocuments: ReadonlyMap<string, TrustedDocument>;
  /** File names (relative to the policy folder) that make up this policy set, sorted. */
  readonly files: readonly string[];
  readonly protocolFile: string;
  readonly rulesFile: string;
  /**
   * The register of processing activities (`processing-activities.yaml`) as the selected protocol
   * sees it: the activity id every audit record carries (Logboek Dataverwerkingen).
   */
  readonly processingActivities: ProcessingActivities;
  /**
   * The municipality's own registers (`registers/*.yaml`, issue 16), sorted by file: each one a
   * source whose catalogue and probes are in `catalogue` and `probes`. Empty without the folder.
   */
  readonly registers: readonly RegisterDef[];
  /**
   * Memoises compiled abilities by key inside this instance; a reload builds a new instance and so
   * starts empty (no module-level state).
   */
  memo<T>(key: string, build: () => T): T;
}

/** Everything of a loaded policy set except its cache. */
export type PolicySetParts = Omit<LoadedPolicySet, "memo">;

/** A frozen policy set with its own ability cache (a reload builds a new one, starting empty). */
export function createPolicySet(parts: PolicySetParts): LoadedPolicySet {
  const cache = new Map<string, unknown>();
  return Object.freeze({
    ...parts,
    memo<T>(key: string, build: () => T): T {
      if (cache.has(key)) return cache.get(key) as T;
      const value = build();
      cache.set(key, value);
      return value;
    },
  });
}
