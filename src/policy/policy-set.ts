import type { Role } from "../shared/index.ts";
import type { Catalogue } from "./catalogue.ts";
import type { CompiledRule } from "./disclosure.ts";
import type { RoleDef } from "./schemas.ts";
import type { PolicySet, ProbeDef, Protocol } from "./types.ts";

/** What the loader returns: the public {@link PolicySet} plus what the ability and the CLI need. */
export interface LoadedPolicySet extends PolicySet {
  readonly catalogue: Catalogue;
  readonly roles: Readonly<Record<Role, RoleDef>>;
  /** Disclosure rules of the selected protocol, field maxima expanded to catalogue units. */
  readonly rules: readonly CompiledRule[];
  /** File names (relative to the policy folder) that make up this policy set, sorted. */
  readonly files: readonly string[];
  readonly protocolFile: string;
  readonly rulesFile: string;
  /**
   * Memoises compiled abilities by key inside this instance; a reload builds a new instance and so
   * starts empty (no module-level state).
   */
  memo<T>(key: string, build: () => T): T;
}

export interface PolicySetParts {
  readonly hash: string;
  readonly protocol: Protocol;
  readonly catalogue: Catalogue;
  readonly probes: readonly ProbeDef[];
  readonly sources: readonly string[];
  readonly roles: Readonly<Record<Role, RoleDef>>;
  readonly rules: readonly CompiledRule[];
  readonly files: readonly string[];
  readonly protocolFile: string;
  readonly rulesFile: string;
}

class CompiledPolicySet implements LoadedPolicySet {
  readonly hash: string;
  readonly protocol: Protocol;
  readonly catalogue: Catalogue;
  readonly probes: readonly ProbeDef[];
  readonly sources: readonly string[];
  readonly roles: Readonly<Record<Role, RoleDef>>;
  readonly rules: readonly CompiledRule[];
  readonly files: readonly string[];
  readonly protocolFile: string;
  readonly rulesFile: string;
  readonly #cache = new Map<string, unknown>();

  constructor(parts: PolicySetParts) {
    this.hash = parts.hash;
    this.protocol = parts.protocol;
    this.catalogue = parts.catalogue;
    this.probes = parts.probes;
    this.sources = parts.sources;
    this.roles = parts.roles;
    this.rules = parts.rules;
    this.files = parts.files;
    this.protocolFile = parts.protocolFile;
    this.rulesFile = parts.rulesFile;
  }

  memo<T>(key: string, build: () => T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = build();
    this.#cache.set(key, value);
    return value;
  }
}

export const createPolicySet = (parts: PolicySetParts): LoadedPolicySet => new CompiledPolicySet(parts);
