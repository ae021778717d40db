import type { ApolloServerPlugin } from "@apollo/server";
import { MapperKind, mapSchema } from "@graphql-tools/utils";
import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import type { Logger } from "pino";
import type { GatewayContext } from "../../resolvers/index.ts";
import type { AuditEntry, ReadGroup, ReadLedger } from "../audit/index.ts";
import type { VisibleCase } from "../cases/index.ts";
import { casesOf } from "../cases/index.ts";
import { auditBase } from "../context/index.ts";
import { auditIdOfKey } from "../shared/index.ts";

/**
 * Every allowed read of case data is an audit record (issue 13 "Complete"; Delft art. 6b-c,
 * Maastricht art. 9-10). The resolvers of case data stay thin: this layer wraps them once, at
 * schema build, and notes in the request's {@link ReadLedger} which part of which case each
 * answered; {@link readAuditPlugin} writes the ledger as `access` records before the answer
 * leaves (no log, no data: a failed write replaces the answer with an error).
 *
 * Deny by default for the log, too: every root field and every field of `Case` and
 * `PrivacyCheck` must be classified here, and building the schema fails otherwise, so a new field
 * cannot be added without saying how its reads are logged.
 */

/**
 * How each root field's reads are logged:
 * - `ledger`: this layer writes them (one record per case read, or one for the call);
 * - `self`: the use case writes its own record of what it did or refused (mutations, reports,
 *   searches, the rights workflow); this layer adds the case parts beyond the case's own metadata
 *   that its answer showed (`transitionCase { transitions { motivation } }`);
 * - `exempt`: shows no case or registry data (who the caller is; the published protocol).
 */
export const ROOT_READS: Readonly<Record<string, "ledger" | "self" | "exempt">> = {
  me: "exempt",
  protocol: "exempt",
  case: "ledger",
  cases: "ledger",
  pendingPrivacyChecks: "ledger",
  explain: "ledger",
  auditLog: "self",
  destructionRecords: "self",
  policyDiff: "self",
  policyReplay: "self",
  policyVersions: "self",
  policyEvaluationsDue: "self",
  recordPolicyEvaluation: "self",
  flaggedEvents: "self",
  fgReport: "self",
  dpiaSample: "self",
  subjectAccessReport: "self",
  accessReportWithholdings: "ledger",
  informingWorklist: "self",
  subjectRights: "ledger",
  openCase: "self",
  registerSignal: "self",
  addCaseSubject: "self",
  transitionCase: "self",
  closeCase: "self",
  assignCase: "self",
  acknowledgeSignalReceipt: "self",
  recordWeighing: "self",
  requestPrivacyCheck: "self",
  advisePrivacyCheck: "self",
  escalatePrivacyCheck: "self",
  decidePrivacyCheck: "self",
  revokePrivacyCheck: "self",
  requestSecondOpinion: "self",
  giveSecondOpinion: "self",
  reviewFlaggedEvent: "self",
  recordSubjectInformed: "self",
  deferSubjectInforming: "self",
  recordSubjectRequest: "self",
  decideSubjectRequest: "self",
  liftRestriction: "self",
};

/**
 * The part of a case each `Case` field shows. `null`: logged where it is decided — registry data
 * by the registry guard (a disclosure record per subject), the reporter by `reporter.read`.
 */
export const CASE_PARTS: Readonly<Record<string, string | null>> = {
  id: "metadata",
  reference: "metadata",
  theme: "metadata",
  phase: "metadata",
  status: "metadata",
  outcome: "metadata",
  owner: "metadata",
  substitute: "metadata",
  openedAt: "metadata",
  closedAt: "metadata",
  allowedTransitions: "metadata",
  transitions: "history",
  privacyChecks: "checks",
  subjects: "subjects",
  signal: "signal",
  exit: "exit",
  weighing: "weighing",
  persoon: null,
  onderneming: null,
  object: null,
  reporter: null,
};

/** Root fields of the data subject's rights workflow: their records name that activity. */
const RIGHTS_ROOTS = new Set(["subjectRights", "accessReportWithholdings"]);

/** The parts a `self` root's own record already covers: its case's metadata and its check. */
const COVERED_BY_SELF = new Set(["metadata", "check"]);

/** Why a ledger root's call record is allowed (the call was answered: the role passed its rule). */
const ROOT_REASON: Readonly<Record<string, string>> = {
  case: "case.read (roles.yaml)",
  cases: "case.read (roles.yaml): the caller's cases by its case scope",
  pendingPrivacyChecks: "the role's queue: check.advise, check.decide or check.opinion (roles.yaml)",
  explain: "policy.explain (roles.yaml)",
  accessReportWithholdings: "subject.access (roles.yaml): the withholdings of an access report",
  subjectRights: "subject.record (roles.yaml): the rights records of a case",
};

const rootKeyOf = (info: GraphQLResolveInfo): string => {
  let p = info.path;
  while (p.prev) p = p.prev;
  return String(p.key);
};
/** Whether a resolved value showed anything: a non-empty list, or a value. */
const showed = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined);

type Resolver = GraphQLFieldResolver<unknown, GatewayContext>;

function wrapRoot(field: string, resolve: Resolver): Resolver {
  const kind = ROOT_READS[field];
  return async (source, args, ctx, info) => {
    ctx.reads.enter(info.path.key as string, field);
    const result: unknown = await resolve(source, args, ctx, info);
    if (kind === "ledger") {
      const { caseId: named, id, reportId } = args as { caseId?: unknown; id?: unknown; reportId?: unknown };
      // `case(id:)` names its case by `id`; explain and subjectRights by `caseId`.
      const caseId = field === "case" ? id : named;
      ctx.reads.root(String(info.path.key), field, {
        caseId: typeof caseId === "string" ? caseId : undefined,
        reportId: typeof reportId === "string" ? reportId : undefined,
      });
    }
    return result;
  };
}

function wrapCaseField(part: string, resolve: Resolver): Resolver {
  return async (source, args, ctx, info) => {
    const result: unknown = await resolve(source, args, ctx, info);
    const c = source as VisibleCase;
    if (showed(result) && c?.record) {
      const subjects =
        part === "subjects" && Array.isArray(result)
          ? result.map((s) => String((s as { key: unknown }).key))
          : [];
      ctx.reads.note({
        rootKey: rootKeyOf(info),
        caseId: c.record.id,
        phase: c.record.phase,
        part,
        subjects,
        reason: () => c.ability.can("case.read").reason,
      });
    }
    return result;
  };
}

function wrapCheckField(resolve: Resolver): Resolver {
  return async (source, args, ctx, info) => {
    const result: unknown = await resolve(source, args, ctx, info);
    const check = source as { id?: unknown; caseId?: unknown; subjects?: unknown };
    if (typeof check?.caseId === "string") {
      const subjects =
        info.fieldName === "subjects" && Array.isArray(check.subjects) ? check.subjects.map(String) : [];
      ctx.reads.note({
        rootKey: rootKeyOf(info),
        caseId: check.caseId,
        part: "check",
        checkId: typeof check.id === "string" ? check.id : undefined,
        subjects,
      });
    }
    return result;
  };
}

/** Installs the read audit on the executable schema; throws for a field nobody classified. */
export function applyReadAudit(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  const unclassified: string[] = [];
  const mapped = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const resolve = (config.resolve ?? defaultFieldResolver) as Resolver;
      if (roots.has(typeName)) {
        if (!(fieldName in ROOT_READS)) unclassified.push(`${typeName}.${fieldName}`);
        return { ...config, resolve: wrapRoot(fieldName, resolve) };
      }
      if (typeName === "Case") {
        if (!(fieldName in CASE_PARTS)) unclassified.push(`Case.${fieldName}`);
        const part = CASE_PARTS[fieldName];
        return part ? { ...config, resolve: wrapCaseField(part, resolve) } : config;
      }
      if (typeName === "PrivacyCheck") return { ...config, resolve: wrapCheckField(resolve) };
      return config;
    },
  });
  if (unclassified.length > 0)
    throw new Error(
      `src/server/read-audit.ts: say how reads of ${unclassified.join(", ")} are logged (ROOT_READS / CASE_PARTS)`,
    );
  return mapped;
}

/** The access records of a request's ledger: per root field and case, and per subject it showed. */
export async function readRecords(ctx: GatewayContext, ledger: ReadLedger): Promise<AuditEntry[]> {
  const { groups, roots, covered } = ledger.take();
  const logged = groups.filter(
    (g) => ROOT_READS[g.rootField] === "ledger" || g.parts.some((p) => !COVERED_BY_SELF.has(p)),
  );
  // A check read from a queue names its case but not its phase: one query for all of them.
  const phaseless = [
    ...new Set([
      ...logged.flatMap((g) => (g.caseId && !g.phase ? [g.caseId] : [])),
      ...roots.flatMap((r) => (r.caseId ? [r.caseId] : [])),
    ]),
  ];
  // From the request's own case views where it has them (src/cases/case-view.ts, issue 15).
  const phases = new Map(
    phaseless.length > 0 ? (await casesOf(ctx, phaseless)).map((r) => [r.id, r.phase]) : [],
  );
  const entries: AuditEntry[] = [];
  const withCases = new Set(logged.map((g) => g.rootKey));
  for (const g of logged) entries.push(...groupRecords(ctx, g, g.phase ?? phases.get(g.caseId ?? "")));
  for (const r of roots) {
    if (withCases.has(r.rootKey)) continue;
    // `case(id) { persoon { … } }`: the registry's own records (per subject, field and probe)
    // name the case; the call needs no record besides them.
    if (r.rootField === "case" && r.caseId && covered.has(r.caseId)) continue;
    const phase = phases.get(r.caseId ?? "");
    entries.push({
      ...auditBase(
        ctx,
        r.caseId && phase ? { id: r.caseId, phase } : undefined,
        RIGHTS_ROOTS.has(r.rootField) ? "rights" : undefined,
      ),
      caseId: r.caseId,
      kind: "access",
      operation: `${r.rootField}.read`,
      decision: "allow",
      reason: ROOT_REASON[r.rootField] ?? r.rootField,
      detail: {
        via: r.rootField,
        ...(r.rootKey === r.rootField ? {} : { alias: r.rootKey }),
        ...(r.reportId ? { reportId: r.reportId } : {}),
        read: [],
      },
    });
  }
  return entries;
}

function groupRecords(ctx: GatewayContext, g: ReadGroup, phase: string | undefined): AuditEntry[] {
  const base: AuditEntry = {
    ...auditBase(ctx, g.caseId && phase ? { id: g.caseId, phase } : undefined),
    caseId: g.caseId,
    kind: "access",
    operation: "case.read",
    decision: "allow",
    reason: g.reason ?? ROOT_REASON[g.rootField] ?? "case.read (roles.yaml)",
    detail: {
      via: g.rootField,
      ...(g.rootKey === g.rootField ? {} : { alias: g.rootKey }),
      read: g.parts,
      ...(g.checks.length > 0 ? { checks: g.checks } : {}),
    },
  };
  // The Logboek Dataverwerkingen records a processing per data subject: one record for each
  // subject the answer showed, pseudonymised by the log like every other subject.
  return g.subjects.length === 0 ? [base] : g.subjects.map((key) => ({ ...base, ...auditIdOfKey(key) }));
}

/**
 * Writes the request's reads before its answer is sent; if they cannot be written, the answer is
 * replaced by an error and nothing read leaves (no log, no data).
 */
export function readAuditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const ledger = (contextValue as Partial<GatewayContext> | undefined)?.reads;
          if (!ledger || ledger.empty) return;
          let failed: string | undefined;
          try {
            const entries = await readRecords(contextValue, ledger);
            if (entries.length > 0) {
              const logged = await contextValue.audit.append(entries);
              if (!logged.ok) failed = logged.error.reason;
            }
          } catch (error) {
            failed = error instanceof Error ? error.message : String(error);
          }
          if (failed === undefined) return;
          logger.error({ reason: failed }, "read audit could not be written; answer withheld");
          if (response.body.kind === "single")
            response.body.singleResult = {
              errors: [
                {
                  message: "The audit log could not be written.",
                  extensions: { code: "INTERNAL_SERVER_ERROR" },
                },
              ],
            };
        },
      };
    },
  };
}
