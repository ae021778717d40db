import { randomUUID } from "node:crypto";
import { ApolloServer, HeaderMap } from "@apollo/server";
import type { Logger } from "pino";
import type { GatewayContext } from "../../resolvers/index.ts";
import { bindTraceActor, currentTraceId, traceIdFrom } from "../context/index.ts";
import type { OperationLimitsConfig } from "../config/index.ts";
import { createAuditBatcher, createReadLedger, type AuditLog, type PatternDetector } from "../audit/index.ts";
import { bearerChallenge, type Authenticator } from "../auth/index.ts";
import type { LoadedPolicySet, PolicyRefSources, TrustedDocumentSettings } from "../policy/index.ts";
import type { PolicyHolder } from "../policy/versions/index.ts";
import { GatewayError, systemClock, type Clock } from "../shared/index.ts";
import { createSourceLoaders, type Upstreams } from "../sources/source-loaders.ts";
import { createObservability, type Observability } from "../observability/index.ts";
import type { Db } from "../store/index.ts";
import { edgeValidationPlugin } from "./edge-validation.ts";
import { createErrorFormatter, schemaNames } from "./format-error.ts";
import { createSubjectRate } from "../cases/subject-rate.ts";
import { operationLimitsPlugin } from "./operation-limits.ts";
import { trustedDocumentsPlugin } from "./trusted-documents.ts";
import { buildSchema } from "./schema.ts";
import { readAuditPlugin } from "./read-audit.ts";
import { requestErrorStatusPlugin } from "./request-error-status.ts";
import { graphqlSurface } from "./surface.ts";

export interface GatewayDeps {
  readonly db: Db;
  readonly audit: AuditLog;
  readonly policy: LoadedPolicySet;
  /**
   * The stored policy versions (issue 14): each request takes the newest version from it, checked
   * before anything else; when that version cannot be loaded the request is refused
   * (POLICY_UNAVAILABLE, HTTP 503). Absent (tests of one fixed policy): `policy` for every request.
   */
  readonly policyHolder?: Pick<PolicyHolder, "forRequest"> | undefined;
  /** The upstream clients; DataLoaders over them are made per request. */
  readonly upstreams: Upstreams;
  readonly authenticator: Authenticator;
  readonly municipalityCode: string;
  readonly logger: Logger;
  /** What one operation may ask for (LIMIT_* settings); refused before it runs otherwise. */
  readonly limits: OperationLimitsConfig;
  /** DEMO_MODE: introspection, APQ and a local landing page; absent or false: none of them. */
  readonly demoMode?: boolean | undefined;
  /** TRUSTED_DOCUMENTS and TRUSTED_DOCUMENTS_ADHOC_ROLES (src/server/trusted-documents.ts). */
  readonly trustedDocuments?: TrustedDocumentSettings | undefined;
  /** VERIFY_MAX_CHANGES: changes of a verified value per case, person and element (default 1). */
  readonly verifyMaxChanges?: number | undefined;
  /** Distinct subjects per actor per case within a window; absent: not limited. */
  readonly subjectRate?: { readonly maxSubjects: number; readonly windowS: number } | undefined;
  /** Scans the audit log for flagged patterns before the queue is read; absent: none. */
  readonly flagPatterns?: PatternDetector | undefined;
  readonly clock?: Clock | undefined;
  readonly newId?: (() => string) | undefined;
  /** Traces, metrics and the request log (src/observability); absent: metrics only, kept here. */
  readonly observability?: Observability | undefined;
  /** The working files and stored versions policyDiff/policyReplay may name (issue 14); absent: `current` only. */
  readonly policySources?: PolicyRefSources | undefined;
}

/**
 * The gateway: Apollo Server over the schema, with a context per request that carries the
 * verified actor, a policy snapshot, per-request DataLoaders and the audit batcher.
 */
export function createGateway(deps: GatewayDeps) {
  const clock = deps.clock ?? systemClock;
  const newId = deps.newId ?? randomUUID;
  const observability = deps.observability ?? createObservability();
  const schema = buildSchema();
  // One window per process: it outlives the requests it counts.
  const subjectRate = deps.subjectRate
    ? createSubjectRate(deps.subjectRate.maxSubjects, deps.subjectRate.windowS)
    : undefined;
  const surface = graphqlSurface(deps.demoMode === true);
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // What the endpoint shows of itself, by mode (surface.ts, issue 12).
    introspection: surface.introspection,
    persistedQueries: surface.persistedQueries,
    csrfPrevention: true,
    // The parser stops at LIMIT_MAX_TOKENS, before a huge document costs anything.
    parseOptions: { maxTokens: deps.limits.maxTokens },
    // Each runs before execution (didResolveOperation) and may refuse the operation.
    plugins: [
      trustedDocumentsPlugin(schema, deps.policy, deps.trustedDocuments),
      operationLimitsPlugin(schema, deps.limits),
      edgeValidationPlugin(deps.logger),
      surface.landingPage,
      requestErrorStatusPlugin(),
      // Writes what the answer shows of case data before it is sent (issue 13); before the
      // request observer, so that a withheld answer is counted and logged as what it became.
      readAuditPlugin(deps.logger),
      observability.requests.plugin,
    ],
    formatError: createErrorFormatter(
      (error) => deps.logger.error({ err: error }, "internal error"),
      schemaNames(schema),
    ),
  });

  /** Authenticates and builds the request context; UNAUTHENTICATED (HTTP 401) otherwise. */
  async function contextFor(headers: {
    authorization?: string | undefined;
    traceparent?: string | undefined;
  }): Promise<GatewayContext> {
    // LDV `start_time` of the request's audit records (issue 13): before authentication.
    const startedAt = clock.now();
    // Issue 14: the newest stored policy version, or no data at all; never an older version.
    let policy = deps.policy;
    if (deps.policyHolder) {
      const held = await deps.policyHolder.forRequest();
      // The database did not answer the check: fails closed like any request without a database.
      if (!held.ok && held.error.kind === "check_failed") throw new GatewayError("INTERNAL_SERVER_ERROR");
      if (!held.ok) {
        deps.logger.warn(
          { version: held.error.version, reason: held.error.reason },
          "request refused: the newest policy version cannot be loaded",
        );
        throw new GatewayError("POLICY_UNAVAILABLE", undefined, { http: { status: 503 } });
      }
      policy = held.value;
    }
    const auth = await deps.authenticator.authenticate(headers.authorization);
    if (!auth.ok) {
      deps.logger.info({ reason: auth.error.reason, kind: auth.error.kind }, "authentication refused");
      // RFC 6750 §3: every 401 says how to authenticate; Apollo copies these headers onto the response.
      const challenge = bearerChallenge(headers.authorization, auth.error);
      throw new GatewayError("UNAUTHENTICATED", undefined, {
        http: { status: 401, headers: new HeaderMap([["www-authenticate", challenge]]) },
      });
    }
    const batcher = createAuditBatcher(deps.audit);
    const reads = createReadLedger();
    // The BRP's protocollering names the user of each call (`x-gebruiker`).
    bindTraceActor(
      auth.value.clientId && auth.value.roles.includes("application")
        ? auth.value.clientId
        : auth.value.subject,
    );
    return {
      actor: auth.value,
      // The trace the HTTP layer runs this request in (src/context/trace-context.ts).
      traceId: currentTraceId() ?? traceIdFrom(headers.traceparent),
      policy,
      db: deps.db,
      audit: deps.audit,
      clock,
      newId,
      startedAt,
      record: (entry) => {
        const written = batcher.record(entry);
        // A registry record names the case it was asked in: that access needs no record of its
        // own, once that record is committed. One that failed covers nothing, so the case read
        // is then written itself (and withheld with the answer if that fails too).
        const caseId = entry.caseId;
        return observability.queued(
          caseId === undefined
            ? written
            : written.then((r) => {
                if (r.ok) reads.covered(caseId);
                return r;
              }),
        );
      },
      sources: createSourceLoaders(deps.upstreams),
      municipalityCode: deps.municipalityCode,
      verifyMaxChanges: deps.verifyMaxChanges,
      visibleCases: new Map(),
      // One read of each case's view per request, never across requests (issue 15).
      caseViews: new Map(),
      reads,
      reach: { subjects: new Set<string>(), max: deps.limits.maxReachedSubjects },
      subjectRate,
      flagPatterns: deps.flagPatterns,
      policySources: deps.policySources,
    };
  }

  return { apollo, contextFor, HeaderMap, observability };
}

export type Gateway = ReturnType<typeof createGateway>;
