/**
 * What the register source needs of a register definition (policies/registers/<name>.yaml,
 * validated by src/policy/registers.ts). Declared here by shape, so the sources do not depend on
 * the policy module: a checked `RegisterDef` is one.
 */
export interface RegisterSpec {
  readonly source: string;
  readonly key: "bsn" | "kvkNummer" | "bagId" | "adres";
  readonly backend: PostgresBackendSpec | HttpBackendSpec;
  readonly fields: readonly { readonly name: string; readonly column?: string | undefined }[];
  readonly probes: readonly {
    readonly id: string;
    readonly where: readonly RegisterConditionSpec[];
  }[];
  readonly maxRecords?: number | undefined;
}

export interface PostgresBackendSpec {
  readonly kind: "postgres";
  readonly connection: string;
  readonly table: string;
  readonly keyColumns: {
    readonly value?: string | undefined;
    readonly postcode?: string | undefined;
    readonly huisnummer?: string | undefined;
  };
  readonly timeoutMs?: number | undefined;
}

export interface HttpBackendSpec {
  readonly kind: "http";
  readonly url: string;
  readonly auth?: { readonly header: string; readonly env: string } | undefined;
  readonly timeoutMs?: number | undefined;
}

/** A probe's condition over one declared field (see src/policy/registers.ts). */
export type RegisterConditionSpec =
  | { readonly field: string; readonly equals: string | number | boolean }
  | { readonly field: string; readonly in: readonly (string | number)[] }
  | { readonly field: string; readonly since: string }
  | { readonly field: string; readonly notBefore: "today" }
  | { readonly field: string; readonly isNull: boolean };

/** The key of one subject, validated before it gets here (BSN 11-check, KvK, BAG id, postcode). */
export type RegisterKeyValue =
  { readonly value: string } | { readonly postcode: string; readonly huisnummer: number };

/** One record as released: field name to value (text, number, boolean or null). */
export type RegisterRecord = Readonly<Record<string, string | number | boolean | null>>;

/** Records per subject when the file sets no `maxRecords`. */
export const DEFAULT_MAX_RECORDS = 50;

/** Default of a backend's `timeoutMs`. */
export const DEFAULT_REGISTER_TIMEOUT_MS = 5000;

/** The column (postgres) or property (http) of a field. */
export const columnOf = (f: { readonly name: string; readonly column?: string | undefined }): string =>
  f.column ?? f.name;
