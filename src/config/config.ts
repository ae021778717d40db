import { readFileSync } from "node:fs";
import { readClientTls, type ClientTlsConfig } from "./client-tls.ts";
import { z } from "zod";
import { parseCheckpointPrivateKey, parseCheckpointPublicKey } from "../audit/checkpoint-keys.ts";
import { checkTimeZone, parseOfficeHours, type OfficeSpan } from "../audit/office-hours.ts";
import { ROLES, err, isRole, ok, type Result, type Role } from "../shared/index.ts";

/** Issuer name of the demo token issuer. Tokens from it are refused whenever demo mode is off. */
export const DEMO_ISSUER = "urn:poortwachter:demo";

/**
 * Default of OIDC_MAX_TOKEN_LIFETIME_S: two hours, above the defaults of the usual identity
 * providers (Keycloak 5 min, ADFS and Okta 60 min, Entra ID 60-90 min), far below a stolen
 * token's "valid until 2999".
 */
export const DEFAULT_MAX_TOKEN_LIFETIME_S = 7200;

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);
const millis = z.coerce.number().int().min(1).max(120_000);
/** A database limit in milliseconds; 0 sets none of the gateway's own. */
const dbMillis = z.coerce.number().int().min(0).max(3_600_000);

/**
 * Every setting, keyed by its environment variable. `.describe()` is the text of the README's
 * configuration table (`npm run config:doc` would print it; keep the two in step).
 */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000).describe("HTTP port of the gateway."),
  HOST: z.string().min(1).default("127.0.0.1").describe("Interface to listen on (`0.0.0.0` in a container)."),
  OPS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe("Port of the operator's listener (`/ready` with each source's circuit); unset: none."),
  OPS_HOST: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe("Interface of the operator's listener; keep it off the public network."),
  SHUTDOWN_TIMEOUT_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(600)
    .default(25)
    .describe(
      "On SIGTERM/SIGINT: at most so long to answer the requests in flight (`/ready` is 503 meanwhile) before the rest are cut.",
    ),
  DEMO_MODE: bool
    .default(false)
    .describe(
      "Demo mode: simulators, demo issuer, demo users and cases. A source URL that is set (e.g. `BRP_URL`) is called instead of that source's simulator.",
    ),
  DEMO_POPULATION: z.coerce
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(500)
    .describe("Persons in the demo municipality the simulators serve (e.g. 1000000 for a benchmark)."),
  SIMULATOR_REQUEST_LOG_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1000)
    .describe(
      "Demo mode: requests each simulator keeps in its request log (the newest; the count goes on), so memory stays flat under load.",
    ),
  DATA_DIR: z
    .string()
    .min(1)
    .default("./data")
    .describe("Directory for the embedded database and demo keys."),
  PGLITE_THREAD: z
    .enum(["worker", "main"])
    .default("worker")
    .describe(
      "Embedded database only: `worker` runs PGlite on a thread of its own, so requests go on while a statement runs; `main` runs it on the gateway's thread (one thread fewer, slower under load).",
    ),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .optional()
    .describe("PostgreSQL connection string; without it the embedded PGlite database in DATA_DIR is used."),
  DB_STATEMENT_TIMEOUT_MS: dbMillis
    .default(10_000)
    .describe(
      "PostgreSQL `statement_timeout` of every connection: longest a statement may run; 0 = the server's.",
    ),
  DB_LOCK_TIMEOUT_MS: dbMillis
    .default(5000)
    .describe(
      "PostgreSQL `lock_timeout`: longest a statement waits for a lock (the audit chain's too; the request then fails closed); 0 = the server's.",
    ),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: dbMillis
    .default(10_000)
    .describe(
      "PostgreSQL `idle_in_transaction_session_timeout`: a transaction left idle this long is ended by the server; 0 = the server's.",
    ),
  DB_CONNECT_TIMEOUT_MS: dbMillis
    .default(5000)
    .describe(
      "Longest wait for a PostgreSQL connection (a new one, or a free one of the pool); 0 = no limit.",
    ),
  MIGRATE_ON_START: bool
    .default(true)
    .describe(
      "Apply pending migrations at start-up; `false` when operators run `npm run migrate -- up` as a separate step (the gateway then refuses to start while migrations are pending).",
    ),
  POLICY_DIR: z.string().min(1).default("./policies").describe("Directory with the policy files."),
  PROTOCOL_FILE: z
    .string()
    .min(1)
    .default("protocol.yaml")
    .describe("Protocol file inside POLICY_DIR (e.g. `protocol-delft.yaml`)."),
  MUNICIPALITY_CODE: z
    .string()
    .regex(/^[0-9]{4}$/, "a municipality code has four digits")
    .default("0935")
    .describe("CBS code of this municipality (gemeenteVanInschrijving), used by territory probes."),
  OIDC_ISSUER: z.string().min(1).optional().describe("Expected `iss` of access tokens."),
  OIDC_JWKS_URL: z.url().optional().describe("JWKS URL of the identity provider."),
  OIDC_AUDIENCE: z.string().min(1).optional().describe("Expected `aud` of access tokens."),
  OIDC_ALGORITHMS: list
    .pipe(
      z
        .array(z.enum(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]))
        .min(1),
    )
    .default(["RS256", "PS256", "ES256"])
    .describe("Accepted signature algorithms (comma-separated). `none` and HMAC are never accepted."),
  OIDC_ROLE_CLAIM: z
    .string()
    .min(1)
    .default("roles")
    .describe("Claim holding the roles; a dotted path such as `realm_access.roles` is allowed."),
  OIDC_DEPARTMENT_CLAIM: z.string().min(1).default("department").describe("Claim holding the department."),
  OIDC_REQUIRE_MFA: bool
    .default(false)
    .describe("Require multi-factor authentication (Maastricht art. 9): `amr` or `acr` must show it."),
  OIDC_MFA_AMR: list
    .default(["mfa", "otp", "hwk", "swk", "sms"])
    .describe("`amr` values that count as multi-factor."),
  OIDC_MFA_ACR: list.default([]).describe("`acr` values that count as multi-factor."),
  OIDC_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(30).describe("Allowed clock skew."),
  OIDC_MAX_TOKEN_LIFETIME_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(DEFAULT_MAX_TOKEN_LIFETIME_S)
    .describe(
      "Longest token lifetime accepted (`exp` - `iat`, seconds); `iat` is required and may be at most the clock tolerance ahead.",
    ),
  AUTH_TOKEN_CACHE_SIZE: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(1000)
    .describe(
      "Verified tokens each replica keeps (by SHA-256 of the token, until `exp`; lifetime re-checked on every use, refused tokens never kept); 0 verifies every request anew.",
    ),
  BRP_URL: z
    .url()
    .optional()
    .describe("Base URL of the Haal Centraal BRP Personen v2 API (without `/personen`)."),
  BRP_API_KEY: z.string().min(1).optional().describe("API key sent as `X-API-KEY` to the BRP API."),
  BRP_TOKEN_URL: z
    .url()
    .optional()
    .describe("OAuth2 token endpoint for client-credentials access to the BRP."),
  BRP_CLIENT_ID: z.string().min(1).optional().describe("OAuth2 client id for the BRP."),
  BRP_CLIENT_SECRET: z.string().min(1).optional().describe("OAuth2 client secret for the BRP."),
  BRP_TIMEOUT_MS: millis.default(5000).describe("Timeout of one BRP call."),
  BRP_DOELBINDING: z
    .string()
    .min(1)
    .max(242)
    .optional()
    .describe(
      "Sent as `x-doelbinding` to the BRP API gateway (the municipality's purpose code); unset: not sent.",
    ),
  BRP_VERWERKING: z
    .string()
    .min(1)
    .max(242)
    .default("Ondermijning@Poortwachter")
    .describe("Sent as `x-verwerking` to the BRP API gateway (processing activity@application)."),
  BRP_ORIGIN_OIN: z
    .string()
    .regex(/^[0-9]{20}$/, "an OIN is 20 digits")
    .optional()
    .describe("Sent as `x-origin-oin` to the BRP API gateway (the municipality's OIN); unset: not sent."),
  BAG_URL: z
    .url()
    .optional()
    .describe(
      "Base URL of BAG Individuele Bevragingen v2 (e.g. `https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2`). Without it the BAG is not consulted.",
    ),
  BAG_API_KEY: z.string().min(1).optional().describe("API key sent as `X-Api-Key` to the BAG API."),
  BAG_TIMEOUT_MS: millis.default(5000).describe("Timeout of one BAG call."),
  WOZ_URL: z
    .url()
    .optional()
    .describe("Base URL of WOZ Bevragen v1, without `/wozobjecten`. Without it the WOZ is not consulted."),
  WOZ_API_KEY: z.string().min(1).optional().describe("API key sent as `X-Api-Key` to the WOZ API."),
  WOZ_TIMEOUT_MS: millis.default(5000).describe("Timeout of one WOZ call."),
  KVK_URL: z
    .url()
    .optional()
    .describe(
      "Base URL of the KVK APIs before the version (e.g. `https://api.kvk.nl/api`). Without it the Handelsregister is not consulted.",
    ),
  KVK_API_KEY: z.string().min(1).optional().describe("API key sent as `apikey` to the KVK APIs."),
  KVK_TIMEOUT_MS: millis.default(5000).describe("Timeout of one KVK call."),
  BRK_URL: z
    .url()
    .optional()
    .describe(
      "Base URL of Kadaster BRK-Bevragen v2 (e.g. `https://api.brk.kadaster.nl/esd/bevragen/v2`). Without it the Kadaster is not consulted.",
    ),
  BRK_API_KEY: z.string().min(1).optional().describe("API key sent as `X-Api-Key` to BRK-Bevragen."),
  BRK_TIMEOUT_MS: millis.default(5000).describe("Timeout of one BRK call."),
  BRK_CLIENT_CERT: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Path of the PEM client certificate (PKIoverheid) for mTLS to BRK-Bevragen, which its production endpoint requires; with `BRK_CLIENT_KEY`.",
    ),
  BRK_CLIENT_KEY: z.string().min(1).optional().describe("Path of the PEM private key of `BRK_CLIENT_CERT`."),
  BRK_CA: z
    .string()
    .min(1)
    .optional()
    .describe("Path of a PEM CA bundle to trust for BRK-Bevragen instead of the system's (e.g. a test CA)."),
  BEWONING_URL: z
    .url()
    .optional()
    .describe("Base URL of BRP Bewoning (without `/bewoningen`). Without it Bewoning is not consulted."),
  BEWONING_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe("API key for BRP Bewoning; without it the BRP's credentials are used."),
  BEWONING_TIMEOUT_MS: millis.default(5000).describe("Timeout of one Bewoning call."),
  HISTORIE_URL: z
    .url()
    .optional()
    .describe(
      "Base URL of BRP Verblijfplaatshistorie (without `/verblijfplaatshistorie`). Without it the history is not consulted.",
    ),
  HISTORIE_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe("API key for Verblijfplaatshistorie; without it the BRP's credentials are used."),
  HISTORIE_TIMEOUT_MS: millis.default(5000).describe("Timeout of one Verblijfplaatshistorie call."),
  PERMITS_ZAKEN_URL: z
    .url()
    .optional()
    .describe(
      "Base URL of the ZGW Zaken API 1.5 of the permit system (e.g. `https://zaken.example.nl/zaken/api/v1`). Without it permits are not consulted.",
    ),
  PERMITS_CATALOGI_URL: z.url().optional().describe("Base URL of the ZGW Catalogi API (zaaktypen)."),
  PERMITS_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe("ZGW client id (`iss` and `client_id` of the JWT)."),
  PERMITS_SECRET: z.string().min(1).optional().describe("ZGW shared secret that signs the JWT (HS256)."),
  PERMITS_TIMEOUT_MS: millis.default(5000).describe("Timeout of one Zaken or Catalogi call."),
  UPSTREAM_MAX_CONCURRENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(8)
    .describe("Most calls in flight per source; more wait in a queue."),
  UPSTREAM_QUEUE: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(10_000)
    .describe(
      "Calls that may wait per source, in order of arrival, for a free slot (bulk work waits instead of failing); beyond it a call fails at once (`overloaded`). Bounds the memory of waiting work.",
    ),
  UPSTREAM_QUEUE_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(30_000)
    .describe(
      "Longest wait for a slot; a call that waited longer answers UNKNOWN (`wait_timeout`). 0: no limit.",
    ),
  UPSTREAM_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe("Retries (with jittered backoff) of an idempotent read after a timeout, 5xx or reset."),
  UPSTREAM_BREAKER_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe("Consecutive failures after which a source's circuit opens (answers UNKNOWN at once)."),
  UPSTREAM_BREAKER_COOLDOWN_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(600_000)
    .default(30_000)
    .describe("How long an open circuit waits before one trial call."),
  AUDIT_HMAC_KEY: z
    .string()
    .min(32, "use at least 32 characters")
    .optional()
    .describe("Key for pseudonymising subjects in the audit log. Required outside demo mode."),
  AUDIT_CHECKPOINT_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Ed25519 private key (PEM or base64 PKCS#8) that signs the audit chain's checkpoints (issue 13); required with AUDIT_CHECKPOINT_DIR or AUDIT_CHECKPOINT_STDOUT outside demo mode (demo: generated into DATA_DIR). Unset with no sink: no checkpoints.",
    ),
  AUDIT_CHECKPOINT_PUBLIC_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Ed25519 public key (PEM or base64 SPKI) for `npm run audit -- verify --checkpoints`; unset: derived from AUDIT_CHECKPOINT_KEY.",
    ),
  AUDIT_CHECKPOINT_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Directory (mounted outside the database's reach) to whose `audit-checkpoints.jsonl` a signed checkpoint of the chain's head is appended; unset: no file.",
    ),
  AUDIT_CHECKPOINT_STDOUT: bool
    .default(false)
    .describe("Also log every checkpoint (`audit checkpoint`, info) for the log shipper."),
  AUDIT_CHECKPOINT_INTERVAL_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(60)
    .describe("Seconds between checkpoints; one more is written at shutdown."),
  SUBJECT_RATE_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(500)
    .describe(
      "Most distinct subjects one actor may disclose about in one case within SUBJECT_RATE_WINDOW_S; beyond it each further subject is refused (no enumeration; counted per replica).",
    ),
  SUBJECT_RATE_WINDOW_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3600)
    .describe("Sliding window of SUBJECT_RATE_MAX, in seconds."),
  VERIFY_MAX_CHANGES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(1)
    .describe(
      "Different values after the first that `verify` accepts per case, person and element (naam, geboortedatum, adres) before it refuses (Maastricht art. 14: verify, not search).",
    ),
  FLAG_DENIALS_THRESHOLD: z.coerce
    .number()
    .int()
    .min(2)
    .max(100_000)
    .default(10)
    .describe(
      "Refusals of one actor within FLAG_WINDOW_MIN that put a `pattern.denials` event in the privacy officer's queue of flagged events.",
    ),
  FLAG_VERIFY_VARIANTS: z.coerce
    .number()
    .int()
    .min(2)
    .max(100)
    .default(3)
    .describe(
      "Different value sets one actor verifies for one subject within FLAG_WINDOW_MIN (across cases) that flag `pattern.verifyVariants` (Maastricht art. 14: verify, not search).",
    ),
  FLAG_PROBE_SUBJECTS: z.coerce
    .number()
    .int()
    .min(2)
    .max(100_000)
    .default(20)
    .describe(
      "Distinct subjects of one actor's hit/no-hit probes within FLAG_WINDOW_MIN that flag `pattern.probeSpread`.",
    ),
  FLAG_WINDOW_MIN: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_080)
    .default(60)
    .describe(
      "Window, in minutes, of the FLAG_DENIALS_THRESHOLD, FLAG_VERIFY_VARIANTS and FLAG_PROBE_SUBJECTS patterns.",
    ),
  OFFICE_HOURS: z
    .string()
    .default("Mon-Fri 07:00-19:00")
    .superRefine((value, ctx) => {
      const parsed = parseOfficeHours(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
    })
    .describe(
      "Office hours in OFFICE_TIMEZONE, e.g. `Mon-Fri 07:00-19:00, Sat 09:00-13:00`; case data disclosed or opened outside them flag `pattern.offHours` (one event per actor and day).",
    ),
  OFFICE_TIMEZONE: z
    .string()
    .default("Europe/Amsterdam")
    .superRefine((value, ctx) => {
      const checked = checkTimeZone(value);
      if (!checked.ok) ctx.addIssue({ code: "custom", message: checked.error });
    })
    .describe("IANA time zone of OFFICE_HOURS (summer time included)."),
  FLAG_SCAN_INTERVAL_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(300)
    .describe(
      "Seconds between scans of the audit log for flagged patterns; reading the queue scans too. 0 = only when the queue is read.",
    ),
  RETENTION_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_080)
    .default(60)
    .describe(
      "Minutes between runs of the retention job in the gateway (Maastricht art. 10, Delft art. 7); 0 = off, e.g. when cron runs `npm run retention`.",
    ),
  LIMIT_MAX_HOPS: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe(
      "Most hops from one subject view to another on one path of an operation (`persoon { adres { bewoners } }` is 2); beyond it the operation is refused before it runs.",
    ),
  LIMIT_MAX_FANOUT: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(20_000)
    .describe(
      "Most field resolutions an operation may be estimated at, every list counted LIMIT_LIST_SIZE times.",
    ),
  LIMIT_LIST_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe("Length assumed for every list (residents, former addresses, permits, …) in that estimate."),
  LIMIT_MAX_ALIASES: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(400)
    .describe("Most aliased fields in an operation, counted at every spread of a fragment."),
  LIMIT_MAX_SUBJECTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(50)
    .describe(
      "Most distinct subjects (`persoon(bsn:)`, `onderneming(kvkNummer:)`, `object(…)`) one operation may name, by literal or variable.",
    ),
  LIMIT_MAX_REACHED_SUBJECTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(200)
    .describe(
      "Most distinct subjects one operation may disclose anything about, those reached by hops (residents, addresses, vestigingen) included; beyond it each further subject is refused.",
    ),
  LIMIT_MAX_DEPTH: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(16)
    .describe("Deepest nesting of fields in an operation (fragments are no level of their own)."),
  LIMIT_MAX_TOKENS: z.coerce
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(20_000)
    .describe("Most tokens (names, punctuation, values) in a document; the parser stops beyond it."),
  TRUSTED_DOCUMENTS: z
    .enum(["required", "roles", "off"])
    .optional()
    .describe(
      "Which documents a caller may send (issue 12): `required` only trusted documents (policies/trusted-documents/), `roles` only those unless every role of the caller is in TRUSTED_DOCUMENTS_ADHOC_ROLES, `off` any. Default `roles`, in demo mode `off`. A service account of clients.yaml runs only its `operations` unless `off`.",
    ),
  TRUSTED_DOCUMENTS_ADHOC_ROLES: list
    .default(ROLES.filter((role) => role !== "application"))
    .refine((roles) => roles.every(isRole), `a role of the gateway: ${ROLES.join(", ")}`)
    .describe(
      "Roles that may send documents of their own under TRUSTED_DOCUMENTS=roles (analysts' tools; applications may not).",
    ),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("Log level of the operational log (not the audit log)."),
  REQUEST_LOG: bool
    .default(true)
    .describe(
      "One JSON line per GraphQL request in the operational log (level info): trace id, operation name and type, status, outcome, duration, client id and roles; never a subject or a variable.",
    ),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "OpenTelemetry collector (OTLP/HTTP, spans to `<endpoint>/v1/traces`); unset: no traces are made. The other `OTEL_EXPORTER_OTLP_*` settings of the SDK (headers, timeout) apply.",
    ),
  OTEL_SERVICE_NAME: z.string().min(1).default("poortwachter").describe("`service.name` of the traces."),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Public origin of the gateway as browsers reach it (e.g. https://poortwachter.gemeente.nl); default http://localhost:PORT. The console's redirect URI and the demo issuer's endpoints are under it.",
    ),
  CONSOLE_DIR: z
    .string()
    .min(1)
    .default("./dist/console")
    .describe("Directory of the built web console (`npm run build`), served at `/console`."),
  CONSOLE_CLIENT_ID: z
    .string()
    .min(1)
    .default("poortwachter-console")
    .describe("OIDC client id of the web console (a public client: authorization code flow with PKCE S256)."),
  CONSOLE_REDIRECT_URI: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Redirect URI registered for the console client at the identity provider; default PUBLIC_URL/console/callback.",
    ),
  CONSOLE_OIDC_DISCOVERY_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Discovery document the console logs in with; default OIDC_ISSUER/.well-known/openid-configuration, in demo mode the demo issuer's (PUBLIC_URL/demo-oidc/.well-known/openid-configuration).",
    ),
  CONSOLE_SCOPE: z
    .string()
    .min(1)
    .default("openid")
    .describe("Scope the console asks for (space-separated), e.g. `openid api://poortwachter/.default`."),
});

type Env = z.infer<typeof envSchema>;

export interface OidcConfig {
  readonly issuer: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly audience: string | undefined;
  readonly algorithms: readonly string[];
  readonly roleClaim: string;
  readonly departmentClaim: string;
  readonly requireMfa: boolean;
  readonly mfaAmr: readonly string[];
  readonly mfaAcr: readonly string[];
  readonly clockToleranceS: number;
  /**
   * Longest `exp - iat` accepted, in seconds (OIDC_MAX_TOKEN_LIFETIME_S). Optional only so that
   * hand-made configurations in tests still type-check; absent means the setting's default.
   */
  readonly maxTokenLifetimeS?: number | undefined;
  /**
   * Verified tokens kept per replica (AUTH_TOKEN_CACHE_SIZE); 0 = none. Optional for hand-made
   * configurations in tests; absent means no cache.
   */
  readonly tokenCacheSize?: number | undefined;
}

/** The operator's listener: `/ready` with the circuits, off the public port (src/server/http-server.ts). */
export interface OpsConfig {
  /** Unset: no operator listener. */
  readonly port: number | undefined;
  readonly host: string;
}

export type UpstreamAuth =
  | { readonly kind: "none" }
  | { readonly kind: "apiKey"; readonly apiKey: string }
  | {
      readonly kind: "clientCredentials";
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
    };

export interface UpstreamConfig {
  /** Absent in demo mode until the simulator has started. */
  readonly url: string | undefined;
  readonly auth: UpstreamAuth;
  readonly timeoutMs: number;
}

export interface PermitsConfig {
  readonly zakenUrl: string | undefined;
  readonly catalogiUrl: string | undefined;
  readonly clientId: string | undefined;
  readonly secret: string | undefined;
  readonly timeoutMs: number;
}

/** Per-source protection of the upstreams (src/sources/http/source-resilience.ts). */
export interface ResilienceConfig {
  readonly maxConcurrent: number;
  readonly queueSize: number;
  /** Longest wait for a slot; undefined: no limit. */
  readonly queueWaitMs: number | undefined;
  readonly retries: number;
  readonly breakerFailures: number;
  readonly breakerCooldownMs: number;
}

/** What one operation may ask for before it runs (src/server/operation-limits.ts). */
export interface OperationLimitsConfig {
  readonly maxHops: number;
  readonly maxFanout: number;
  readonly listSize: number;
  readonly maxAliases: number;
  readonly maxSubjects: number;
  /** Subjects one operation may disclose about, hops included (checked as it runs). */
  readonly maxReachedSubjects: number;
  readonly maxDepth: number;
  readonly maxTokens: number;
}

/** PostgreSQL session limits, in milliseconds; 0: none of the gateway's own. */
export interface DatabaseTimeouts {
  readonly statementMs: number;
  readonly lockMs: number;
  readonly idleInTransactionMs: number;
  readonly connectMs: number;
}

/** The web console (issue 14): where its build lies and how it logs in. */
export interface ConsoleConfig {
  /** Origin browsers reach the gateway at, without a trailing slash. */
  readonly publicUrl: string;
  readonly dir: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** Unset outside demo mode without OIDC_ISSUER (a config error then). */
  readonly discoveryUrl: string;
  readonly scope: string;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly ops: OpsConfig;
  /** SHUTDOWN_TIMEOUT_S in milliseconds. */
  readonly shutdownTimeoutMs: number;
  readonly demoMode: boolean;
  readonly demoPopulation: number;
  /** SIMULATOR_REQUEST_LOG_SIZE: requests each demo simulator keeps in its log. */
  readonly simulatorRequestLogSize: number;
  readonly dataDir: string;
  /** PGlite on a thread of its own (`worker`) or the gateway's (`main`); src/store/pglite-db.ts. */
  readonly pgliteThread: "worker" | "main";
  readonly databaseUrl: string | undefined;
  /** Limits of every PostgreSQL connection (src/store/postgres-db.ts). */
  readonly databaseTimeouts: DatabaseTimeouts;
  /** MIGRATE_ON_START: migrate at start-up, or refuse to start while migrations are pending. */
  readonly migrateOnStart: boolean;
  readonly policyDir: string;
  readonly protocolFile: string;
  readonly municipalityCode: string;
  readonly oidc: OidcConfig;
  readonly brp: UpstreamConfig & {
    /** BRP_DOELBINDING, BRP_VERWERKING, BRP_ORIGIN_OIN; `x-gebruiker` is each request's actor. */
    readonly protocollering: {
      readonly doelbinding: string | undefined;
      readonly verwerking: string;
      readonly originOin: string | undefined;
    };
  };
  /** Optional sources: without a URL a source is not consulted (its answers are UNKNOWN). */
  readonly bag: UpstreamConfig;
  readonly kvk: UpstreamConfig;
  /** Kadaster BRK-Bevragen v2, with the client certificate of its mTLS endpoints, if set. */
  readonly brk: UpstreamConfig & { readonly tls: ClientTlsConfig | undefined };
  readonly bewoning: UpstreamConfig;
  readonly historie: UpstreamConfig;
  readonly woz: UpstreamConfig;
  readonly permits: PermitsConfig;
  readonly resilience: ResilienceConfig;
  readonly auditHmacKey: string | undefined;
  /** Signed checkpoints of the audit chain's head (src/audit/checkpoints.ts, issue 13). */
  readonly auditCheckpoint: {
    readonly key: string | undefined;
    readonly publicKey: string | undefined;
    readonly dir: string | undefined;
    readonly stdout: boolean;
    readonly intervalS: number;
  };
  /** Minutes between retention runs inside the gateway; 0: none (src/retention). */
  readonly retentionIntervalMinutes: number;
  /** Changes of a verified value allowed per case, person and element (src/disclosure/verify-values.ts). */
  readonly verifyMaxChanges: number;
  /** Patterns in the audit log for the privacy officer's queue (src/audit/flag-patterns.ts). */
  readonly flagPatterns: {
    readonly denialsThreshold: number;
    readonly verifyVariants: number;
    readonly probeSubjects: number;
    readonly windowMs: number;
    readonly officeHours: { readonly spans: readonly OfficeSpan[]; readonly timeZone: string };
    /** FLAG_SCAN_INTERVAL_S in milliseconds; 0: only when the queue is read. */
    readonly scanIntervalMs: number;
  };
  /** Distinct subjects per actor per case within a window (src/cases/subject-rate.ts). */
  readonly subjectRate: { readonly maxSubjects: number; readonly windowS: number };
  readonly limits: OperationLimitsConfig;
  /** Which documents a caller may send (src/server/trusted-documents.ts, issue 12). */
  readonly trustedDocuments: {
    readonly mode: "required" | "roles" | "off";
    readonly adHocRoles: readonly Role[];
  };
  readonly logLevel: Env["LOG_LEVEL"];
  /** The web console at /console (issue 14). */
  readonly console: ConsoleConfig;
  /**
   * The connection strings (`<NAME>_DATABASE_URL`) and secrets (`<NAME>_REGISTER_AUTH`) the
   * municipality's own registers name (policies/registers, issue 16), by variable name. Names are
   * chosen by the register files, so they are collected by pattern; `DATABASE_URL` is not one.
   */
  readonly registerEnv?: Readonly<Record<string, string>> | undefined;
  /** Traces and the request log (src/observability, issue 13). */
  readonly observability: {
    readonly requestLog: boolean;
    readonly otlpEndpoint: string | undefined;
    readonly serviceName: string;
  };
}

export interface ConfigError {
  readonly kind: "config";
  /** One line per problem, each naming the setting. */
  readonly problems: readonly string[];
}

function upstreamAuth(prefix: string, env: Env, problems: string[]): UpstreamAuth {
  const e = env as unknown as Record<string, string | undefined>;
  const apiKey = e[`${prefix}_API_KEY`];
  const tokenUrl = e[`${prefix}_TOKEN_URL`];
  const clientId = e[`${prefix}_CLIENT_ID`];
  const clientSecret = e[`${prefix}_CLIENT_SECRET`];
  if (tokenUrl ?? clientId ?? clientSecret) {
    if (!tokenUrl || !clientId || !clientSecret) {
      problems.push(
        `${prefix}_TOKEN_URL, ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET: set all three or none`,
      );
      return { kind: "none" };
    }
    return { kind: "clientCredentials", tokenUrl, clientId, clientSecret };
  }
  return apiKey ? { kind: "apiKey", apiKey } : { kind: "none" };
}

/** OFFICE_HOURS as spans; the schema has refused anything it cannot parse. */
function officeSpans(text: string): readonly OfficeSpan[] {
  const parsed = parseOfficeHours(text);
  return Object.freeze(parsed.ok ? parsed.value : []);
}

const apiKey = (key: string | undefined): UpstreamAuth =>
  key ? { kind: "apiKey", apiKey: key } : { kind: "none" };

/**
 * Parses the environment into a frozen Config. Every problem names its variable, so a wrong
 * setting stops start-up with a message that says what to fix.
 */
/**
 * `<NAME>_FILE` for any setting (issue 12): the value is read from that file (a mounted Docker or
 * Kubernetes secret), without its trailing newline, so secrets need not sit in the environment.
 * Setting both `<NAME>` and `<NAME>_FILE`, or a file that cannot be read, is a problem naming it;
 * a `_FILE` variable whose name is no setting of the gateway is left alone.
 */
export function resolveFileSettings(
  env: Readonly<Record<string, string | undefined>>,
  read: (path: string) => string = (path) => readFileSync(path, "utf8"),
): { readonly env: Record<string, string | undefined>; readonly problems: readonly string[] } {
  const out: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  const known = new Set(Object.keys(envSchema.shape));
  for (const [key, path] of Object.entries(env)) {
    if (!key.endsWith("_FILE") || path === undefined || known.has(key)) continue;
    const name = key.slice(0, -"_FILE".length);
    // Other programs' variables (SSL_CERT_FILE, …) are not ours to judge.
    if (!known.has(name) && !REGISTER_ENV.test(name)) continue;
    if (env[name] !== undefined) {
      problems.push(`${key}: set ${name} or ${key}, not both`);
      continue;
    }
    try {
      out[name] = read(path).replace(/\r?\n$/, "");
    } catch (e) {
      problems.push(`${key}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
    delete out[key];
  }
  return { env: out, problems };
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Result<Config, ConfigError> {
  const files = resolveFileSettings(env);
  if (files.problems.length > 0) return err({ kind: "config", problems: [...files.problems] });
  const parsed = envSchema.safeParse(files.env);
  if (!parsed.success) {
    return err({
      kind: "config",
      problems: parsed.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`),
    });
  }
  const e = parsed.data;
  const problems: string[] = [];
  const brpAuth = upstreamAuth("BRP", e, problems);
  if (!e.DEMO_MODE) {
    if (!e.OIDC_ISSUER) problems.push("OIDC_ISSUER: required outside demo mode");
    if (!e.OIDC_JWKS_URL) problems.push("OIDC_JWKS_URL: required outside demo mode");
    if (!e.OIDC_AUDIENCE) problems.push("OIDC_AUDIENCE: required outside demo mode");
    if (!e.BRP_URL) problems.push("BRP_URL: required outside demo mode");
    if (!e.AUDIT_HMAC_KEY) problems.push("AUDIT_HMAC_KEY: required outside demo mode");
  }
  const permitsSet = [e.PERMITS_ZAKEN_URL, e.PERMITS_CATALOGI_URL, e.PERMITS_CLIENT_ID, e.PERMITS_SECRET];
  if (permitsSet.some((v) => v !== undefined) && permitsSet.some((v) => v === undefined))
    problems.push(
      "PERMITS_ZAKEN_URL, PERMITS_CATALOGI_URL, PERMITS_CLIENT_ID and PERMITS_SECRET: set all four or none",
    );
  const brkTls = readClientTls(
    {
      certVar: "BRK_CLIENT_CERT",
      keyVar: "BRK_CLIENT_KEY",
      caVar: "BRK_CA",
      cert: e.BRK_CLIENT_CERT,
      key: e.BRK_CLIENT_KEY,
      ca: e.BRK_CA,
    },
    problems,
  );
  if (e.AUDIT_CHECKPOINT_KEY) {
    const key = parseCheckpointPrivateKey(e.AUDIT_CHECKPOINT_KEY);
    if (!key.ok) problems.push(`AUDIT_CHECKPOINT_KEY: ${key.error}`);
  } else if (!e.DEMO_MODE && (e.AUDIT_CHECKPOINT_DIR || e.AUDIT_CHECKPOINT_STDOUT))
    problems.push("AUDIT_CHECKPOINT_KEY: required with AUDIT_CHECKPOINT_DIR or AUDIT_CHECKPOINT_STDOUT");
  if (e.AUDIT_CHECKPOINT_PUBLIC_KEY) {
    const key = parseCheckpointPublicKey(e.AUDIT_CHECKPOINT_PUBLIC_KEY);
    if (!key.ok) problems.push(`AUDIT_CHECKPOINT_PUBLIC_KEY: ${key.error}`);
  }
  if (e.OPS_PORT !== undefined && e.OPS_PORT !== 0 && e.OPS_PORT === e.PORT)
    problems.push("OPS_PORT: must differ from PORT (the operator's listener is a separate one)");
  if (e.OIDC_ISSUER === DEMO_ISSUER) problems.push(`OIDC_ISSUER: ${DEMO_ISSUER} is reserved for demo mode`);
  if (problems.length > 0) return err({ kind: "config", problems });

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    ops: Object.freeze({ port: e.OPS_PORT, host: e.OPS_HOST }),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_S * 1000,
    demoMode: e.DEMO_MODE,
    demoPopulation: e.DEMO_POPULATION,
    simulatorRequestLogSize: e.SIMULATOR_REQUEST_LOG_SIZE,
    dataDir: e.DATA_DIR,
    pgliteThread: e.PGLITE_THREAD,
    databaseUrl: e.DATABASE_URL,
    migrateOnStart: e.MIGRATE_ON_START,
    databaseTimeouts: Object.freeze({
      statementMs: e.DB_STATEMENT_TIMEOUT_MS,
      lockMs: e.DB_LOCK_TIMEOUT_MS,
      idleInTransactionMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      connectMs: e.DB_CONNECT_TIMEOUT_MS,
    }),
    policyDir: e.POLICY_DIR,
    protocolFile: e.PROTOCOL_FILE,
    municipalityCode: e.MUNICIPALITY_CODE,
    oidc: Object.freeze({
      issuer: e.OIDC_ISSUER,
      jwksUrl: e.OIDC_JWKS_URL,
      audience: e.OIDC_AUDIENCE,
      algorithms: Object.freeze([...e.OIDC_ALGORITHMS]),
      roleClaim: e.OIDC_ROLE_CLAIM,
      departmentClaim: e.OIDC_DEPARTMENT_CLAIM,
      requireMfa: e.OIDC_REQUIRE_MFA,
      mfaAmr: Object.freeze([...e.OIDC_MFA_AMR]),
      mfaAcr: Object.freeze([...e.OIDC_MFA_ACR]),
      clockToleranceS: e.OIDC_CLOCK_TOLERANCE_S,
      maxTokenLifetimeS: e.OIDC_MAX_TOKEN_LIFETIME_S,
      tokenCacheSize: e.AUTH_TOKEN_CACHE_SIZE,
    }),
    brp: Object.freeze({
      url: e.BRP_URL,
      auth: brpAuth,
      timeoutMs: e.BRP_TIMEOUT_MS,
      protocollering: Object.freeze({
        doelbinding: e.BRP_DOELBINDING,
        verwerking: e.BRP_VERWERKING,
        originOin: e.BRP_ORIGIN_OIN,
      }),
    }),
    bag: Object.freeze({ url: e.BAG_URL, auth: apiKey(e.BAG_API_KEY), timeoutMs: e.BAG_TIMEOUT_MS }),
    kvk: Object.freeze({ url: e.KVK_URL, auth: apiKey(e.KVK_API_KEY), timeoutMs: e.KVK_TIMEOUT_MS }),
    woz: Object.freeze({ url: e.WOZ_URL, auth: apiKey(e.WOZ_API_KEY), timeoutMs: e.WOZ_TIMEOUT_MS }),
    brk: Object.freeze({
      url: e.BRK_URL,
      auth: apiKey(e.BRK_API_KEY),
      timeoutMs: e.BRK_TIMEOUT_MS,
      tls: brkTls,
    }),
    // Bewoning and Historie are BRP APIs behind the same gateway: the BRP's credentials by default.
    bewoning: Object.freeze({
      url: e.BEWONING_URL,
      auth: e.BEWONING_API_KEY ? apiKey(e.BEWONING_API_KEY) : brpAuth,
      timeoutMs: e.BEWONING_TIMEOUT_MS,
    }),
    historie: Object.freeze({
      url: e.HISTORIE_URL,
      auth: e.HISTORIE_API_KEY ? apiKey(e.HISTORIE_API_KEY) : brpAuth,
      timeoutMs: e.HISTORIE_TIMEOUT_MS,
    }),
    permits: Object.freeze({
      zakenUrl: e.PERMITS_ZAKEN_URL,
      catalogiUrl: e.PERMITS_CATALOGI_URL,
      clientId: e.PERMITS_CLIENT_ID,
      secret: e.PERMITS_SECRET,
      timeoutMs: e.PERMITS_TIMEOUT_MS,
    }),
    resilience: Object.freeze({
      maxConcurrent: e.UPSTREAM_MAX_CONCURRENT,
      queueSize: e.UPSTREAM_QUEUE,
      queueWaitMs: e.UPSTREAM_QUEUE_WAIT_MS === 0 ? undefined : e.UPSTREAM_QUEUE_WAIT_MS,
      retries: e.UPSTREAM_RETRIES,
      breakerFailures: e.UPSTREAM_BREAKER_FAILURES,
      breakerCooldownMs: e.UPSTREAM_BREAKER_COOLDOWN_MS,
    }),
    auditHmacKey: e.AUDIT_HMAC_KEY,
    auditCheckpoint: Object.freeze({
      key: e.AUDIT_CHECKPOINT_KEY,
      publicKey: e.AUDIT_CHECKPOINT_PUBLIC_KEY,
      dir: e.AUDIT_CHECKPOINT_DIR,
      stdout: e.AUDIT_CHECKPOINT_STDOUT,
      intervalS: e.AUDIT_CHECKPOINT_INTERVAL_S,
    }),
    retentionIntervalMinutes: e.RETENTION_INTERVAL_MINUTES,
    verifyMaxChanges: e.VERIFY_MAX_CHANGES,
    flagPatterns: Object.freeze({
      denialsThreshold: e.FLAG_DENIALS_THRESHOLD,
      verifyVariants: e.FLAG_VERIFY_VARIANTS,
      probeSubjects: e.FLAG_PROBE_SUBJECTS,
      windowMs: e.FLAG_WINDOW_MIN * 60_000,
      officeHours: Object.freeze({
        spans: officeSpans(e.OFFICE_HOURS),
        timeZone: e.OFFICE_TIMEZONE,
      }),
      scanIntervalMs: e.FLAG_SCAN_INTERVAL_S * 1000,
    }),
    subjectRate: Object.freeze({ maxSubjects: e.SUBJECT_RATE_MAX, windowS: e.SUBJECT_RATE_WINDOW_S }),
    limits: Object.freeze({
      maxHops: e.LIMIT_MAX_HOPS,
      maxFanout: e.LIMIT_MAX_FANOUT,
      listSize: e.LIMIT_LIST_SIZE,
      maxAliases: e.LIMIT_MAX_ALIASES,
      maxSubjects: e.LIMIT_MAX_SUBJECTS,
      maxReachedSubjects: e.LIMIT_MAX_REACHED_SUBJECTS,
      maxDepth: e.LIMIT_MAX_DEPTH,
      maxTokens: e.LIMIT_MAX_TOKENS,
    }),
    trustedDocuments: Object.freeze({
      mode: e.TRUSTED_DOCUMENTS ?? (e.DEMO_MODE ? "off" : "roles"),
      adHocRoles: Object.freeze(e.TRUSTED_DOCUMENTS_ADHOC_ROLES.filter(isRole)),
    }),
    logLevel: e.LOG_LEVEL,
    registerEnv: registerEnvOf(files.env),
    observability: Object.freeze({
      requestLog: e.REQUEST_LOG,
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: e.OTEL_SERVICE_NAME,
    }),
    console: Object.freeze({
      publicUrl,
      dir: e.CONSOLE_DIR,
      clientId: e.CONSOLE_CLIENT_ID,
      redirectUri: e.CONSOLE_REDIRECT_URI ?? `${publicUrl}/console/callback`,
      discoveryUrl:
        e.CONSOLE_OIDC_DISCOVERY_URL ??
        (e.DEMO_MODE
          ? `${publicUrl}/demo-oidc/.well-known/openid-configuration`
          : `${(e.OIDC_ISSUER ?? "").replace(/\/$/, "")}/.well-known/openid-configuration`),
      scope: e.CONSOLE_SCOPE,
    }),
  };
  return ok(Object.freeze(config));
}

/** A register's connection or secret variable (src/policy/registers.ts names them so). */
const REGISTER_ENV = /^[A-Z][A-Z0-9_]*_(DATABASE_URL|REGISTER_AUTH)$/;

function registerEnvOf(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string>> {
  return Object.freeze(
    Object.fromEntries(
      Object.entries(env).filter(
        (e): e is [string, string] => REGISTER_ENV.test(e[0]) && e[1] !== undefined && e[1] !== "",
      ),
    ),
  );
}
