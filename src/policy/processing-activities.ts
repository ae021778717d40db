import { z } from "zod";
import { ISO_DURATION } from "../shared/index.ts";
import type { Protocol } from "./types.ts";

/**
 * The register of processing activities (verwerkingsactiviteiten; `policies/processing-activities.yaml`,
 * issue 13). Every audit record names the activity it was done under (Logboek Dataverwerkingen,
 * `dpl.core.processing_activity_id`: "Iedere Dataverwerking van persoonsdata betreft een
 * Verwerkingsactiviteit die in het Register van Verwerkingsactiviteiten moet zijn opgenomen"), so
 * the log answers "why was this person processed" per protocol phase (Delft art. 6b-c: every
 * processing logged; Maastricht art. 9-10: accountability and retention).
 *
 * Ids are versioned (`maastricht.bronnenonderzoek.v1`): the standard's register "MOET iedere relevante
 * wijziging van een Verwerkingsactiviteit opslaan met een nieuwe identifier" (reference/
 * logboek-dataverwerkingen.md, Component: Register), so an entry whose content changes gets a new id
 * (…v2) and the old records keep pointing at the version they were written under.
 */

/** Work that is not a phase of a case but is processing all the same. */
export const ACTIVITY_WORK = [
  /** Data-subject rights: access reports, informing, deferrals, requests (GDPR art. 12-22). */
  "rights",
  /** Destruction at the end of a retention period (Maastricht art. 10; Delft art. 7). */
  "retention",
  /** Accountability: audit search, flagged-refusal review, reports to the FG (Delft art. 6b-c, 9). */
  "accountability",
  /** Running the gateway: policy loads, explanations, refusals of a request before any case. */
  "gateway",
] as const;
export type ActivityWork = (typeof ACTIVITY_WORK)[number];

/** Legal bases as the RvVA API names them (DPV; reference/logboek-rvva.openapi.json). */
export const LEGAL_BASES = [
  "Consent",
  "Contract",
  "DataTransferLegalBasis",
  "LegalObligation",
  "LegitimateInterest",
  "OfficialAuthorityOfController",
  "PublicInterest",
  "VitalInterest",
] as const;

/** Processing operations as the RvVA API names them (DPV). */
export const PROCESSING_OPERATIONS = [
  "Copy",
  "Disclose",
  "Obtain",
  "Organise",
  "Remove",
  "Store",
  "Transfer",
  "Transform",
  "Use",
] as const;

/** `maastricht.bronnenonderzoek.v1`: dotted lower-case words, ending in the version. */
export const ACTIVITY_ID = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\.v([1-9][0-9]*)$/;

const text = z.string().trim().min(1, "must not be empty");
const word = z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, "a lower-case word of letters, digits and _");

export const processingActivitySchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        ACTIVITY_ID,
        "an activity id is dotted lower-case words ending in its version, e.g. maastricht.intake.v1",
      ),
    name: text,
    purpose: text,
    /** Protocol id (`maastricht`, `delft`); absent on non-phase work that applies to every protocol. */
    protocol: word.optional(),
    /** The protocol phase this activity is; exactly one of `phase` and `work`. */
    phase: word.optional(),
    work: z.enum(ACTIVITY_WORK).optional(),
    legalBasis: z.array(z.enum(LEGAL_BASES)).min(1, "name at least one legal basis"),
    /** The ground in Dutch law and the protocol, in words (AVG art. 6 lid 1 onder e, …). */
    legalGround: text,
    /** How long the personal data of this activity are kept at most (ISO-8601 duration). */
    retention: z.string().regex(ISO_DURATION, "not an ISO-8601 duration (examples: P30D, P1Y, P5Y)"),
    processing: z.array(z.enum(PROCESSING_OPERATIONS)).min(1, "name at least one processing operation"),
    /** The day this version took effect; a new version (id) has a new date. */
    validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date, YYYY-MM-DD"),
    articles: z.array(text).min(1, "name at least one protocol article"),
  })
  .refine((a) => (a.phase === undefined) !== (a.work === undefined), {
    message:
      "give exactly one of phase (a protocol phase) and work (rights, retention, accountability, gateway)",
  })
  .refine((a) => a.phase === undefined || a.protocol !== undefined, {
    message: "a phase activity names its protocol",
    path: ["protocol"],
  });

export const processingActivitiesFileSchema = z.strictObject({
  /**
   * What `dpl.core.processing_activity_id` is in the Logboek export: this prefix and the id, a URI
   * (the standard's type for the field), e.g. `urn:poortwachter:verwerkingsactiviteit:maastricht.intake.v1`.
   */
  uriPrefix: z
    .string()
    .regex(/^[a-z][a-z0-9+.-]*:\S*$/, "a URI prefix, e.g. urn:poortwachter:verwerkingsactiviteit:"),
  activities: z.array(processingActivitySchema).min(1, "name at least one activity"),
});
export type ProcessingActivitiesFile = z.infer<typeof processingActivitiesFileSchema>;
export type ProcessingActivityDef = Readonly<z.infer<typeof processingActivitySchema>>;

/** The register as the selected protocol sees it. */
export interface ProcessingActivities {
  readonly uriPrefix: string;
  /** Every entry of the file (all protocols), for the register export. */
  readonly all: readonly ProcessingActivityDef[];
  /** The activity id of a phase of the selected protocol; a phase always has one (checked at load). */
  forPhase(phase: string): string;
  forWork(work: ActivityWork): string;
  byId(id: string): ProcessingActivityDef | undefined;
  /** `dpl.core.processing_activity_id`: the URI of an activity id. */
  uriOf(id: string): string;
}

type Problem = { readonly path: string; readonly reason: string };

/**
 * Cross-checks the register against the selected protocol: unique ids, every phase of the protocol
 * exactly one activity, no activity for a phase the protocol does not have, every kind of non-phase
 * work exactly one activity (protocol-specific or general).
 */
export function checkProcessingActivities(
  file: ProcessingActivitiesFile,
  protocol: Protocol,
): { problems: Problem[]; register?: ProcessingActivities } {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  file.activities.forEach((a, i) => {
    const first = seen.get(a.id);
    if (first !== undefined)
      problems.push({
        path: `activities[${i}].id`,
        reason: `duplicate activity ${a.id} (also activities[${first}])`,
      });
    else seen.set(a.id, i);
  });
  const phases = new Map<string, string>();
  const phaseIds = new Set(protocol.phases.map((p) => p.id));
  file.activities.forEach((a, i) => {
    if (a.phase === undefined || a.protocol !== protocol.id) return;
    if (!phaseIds.has(a.phase))
      problems.push({
        path: `activities[${i}].phase`,
        reason: `protocol ${protocol.id} has no phase ${a.phase} (phases: ${[...phaseIds].join(", ")})`,
      });
    else if (phases.has(a.phase))
      problems.push({
        path: `activities[${i}].phase`,
        reason: `a second activity for phase ${a.phase} of protocol ${protocol.id} (${phases.get(a.phase)})`,
      });
    else phases.set(a.phase, a.id);
  });
  for (const p of protocol.phases)
    if (!phases.has(p.id))
      problems.push({
        path: "activities",
        reason: `no activity for phase ${p.id} of protocol ${protocol.id}: every audit record of a case names its phase's activity`,
      });
  const work = new Map<ActivityWork, string>();
  file.activities.forEach((a, i) => {
    if (a.work === undefined || (a.protocol !== undefined && a.protocol !== protocol.id)) return;
    if (work.has(a.work))
      problems.push({
        path: `activities[${i}].work`,
        reason: `a second activity for ${a.work} under protocol ${protocol.id} (${work.get(a.work)})`,
      });
    else work.set(a.work, a.id);
  });
  for (const w of ACTIVITY_WORK)
    if (!work.has(w))
      problems.push({
        path: "activities",
        reason: `no activity for work ${w} under protocol ${protocol.id}`,
      });
  if (problems.length > 0) return { problems };
  const byId = new Map(file.activities.map((a) => [a.id, Object.freeze({ ...a })]));
  const register: ProcessingActivities = Object.freeze({
    uriPrefix: file.uriPrefix,
    all: Object.freeze([...byId.values()]),
    forPhase: (phase: string) => phases.get(phase) ?? work.get("gateway")!,
    forWork: (w: ActivityWork) => work.get(w)!,
    byId: (id: string) => byId.get(id),
    uriOf: (id: string) => `${file.uriPrefix}${id}`,
  });
  return { problems, register };
}

/**
 * One activity as the RvVA API's `ProcessingActivityVersion` (reference/logboek-rvva.openapi.json),
 * for a read-only register interface or an export; the version is the id's `.vN`.
 */
export function rvvaVersion(a: ProcessingActivityDef): Record<string, unknown> {
  return {
    name: a.name,
    purpose: a.purpose,
    legalBasis: [...a.legalBasis],
    personalData: { retentionPeriod: a.retention },
    processingOptions: [...a.processing],
    version: Number(ACTIVITY_ID.exec(a.id)?.[2] ?? 1),
    validFrom: `${a.validFrom}T00:00:00Z`,
  };
}
