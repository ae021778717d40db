import { z } from "zod";
import { ISO_DURATION, ROLES, type DisclosureMode } from "../shared/index.ts";
import { clientsFileSchema } from "./clients.ts";
import { processingActivitiesFileSchema } from "./processing-activities.ts";
import { registerFileSchema } from "./registers.ts";
import { CASE_ACTIONS, FIELD_CLASSES } from "./types.ts";

/**
 * The shape of every policy file, checked at the edge. Cross-file checks (does a rule name a
 * known phase?) live in `protocol.ts`, `catalogue.ts` and `disclosure.ts`; these schemas are
 * also the source of the JSON Schema files editors use (`json-schema.ts`).
 */

const id = z
  .string()
  .regex(
    /^[a-z][a-zA-Z0-9_]*$/,
    "an id is a lower-case word of letters, digits and _ (e.g. bronnenonderzoek)",
  );
const text = z.string().trim().min(1, "must not be empty");

const duration = z.string().regex(ISO_DURATION, "not an ISO-8601 duration (examples: P0D, P14D, P1Y, P5Y)");

export const phaseSchema = z.strictObject({
  id,
  name: text,
  purpose: text,
  articles: z.array(text).min(1, "name at least one protocol article"),
});

export const transitionSchema = z.strictObject({ from: id, to: id, article: text.optional() });

/**
 * Who a signal can be handed over to when a case closes: another municipality, a municipal
 * department (one of roles.yaml `departments`), a partner (police, OM, Belastingdienst, …) or the
 * RIEC (Maastricht art. 14c, 16.2a, 18.3a; Delft art. 12d, 13d, 14e).
 */
export const EXIT_RECEIVER_KINDS = ["gemeente", "afdeling", "partner", "riec"] as const;
export type ExitReceiverKind = (typeof EXIT_RECEIVER_KINDS)[number];

export const outcomeSchema = z.strictObject({
  id,
  name: text,
  fromPhases: z.array(id).min(1, "name at least one phase"),
  /** After closing with this outcome, the case's personal data are kept this long, then destroyed. */
  retention: duration,
  /**
   * The ground on which they are destroyed, recorded with every destruction (Maastricht art. 10.1,
   * 10.3). Required: `checkProtocol` names every outcome without one (optional here only so that the
   * file's other problems are reported together with it).
   */
  legalBasis: text.optional(),
  article: text.optional(),
  /**
   * A closing that hands the signal over (Maastricht art. 14c, 16.2, 18.3; Delft art. 12d, 13d,
   * 14e, 17): the receiver kinds allowed, and whether naming the receiver is required.
   */
  exit: z
    .strictObject({
      required: z.boolean(),
      receivers: z.array(z.enum(EXIT_RECEIVER_KINDS)).min(1, "name at least one kind of receiver"),
      article: text,
    })
    .optional(),
});

/**
 * How long audit records are kept: at most `retention` after they were written, and never longer
 * than the case they concern (Delft art. 7d). Required, like an outcome's legal basis.
 */
export const auditRetentionSchema = z.strictObject({
  retention: duration,
  legalBasis: text,
  article: text,
});

/** Kinds of privacy check: 1 before source research, 2a before the case meeting, 2b before execution. */
export const CHECK_KINDS = ["1", "2a", "2b"] as const;

/** In which phases the approvals of one kind of privacy check take effect. */
export const checkDefSchema = z.strictObject({
  kind: z.enum(CHECK_KINDS),
  phases: z.array(id).min(1, "name at least one phase in which its approvals take effect"),
  article: text.optional(),
});

/** One step of the weighing checklist: a question and the answers the analyst may give. */
export const weighingStepSchema = z.strictObject({
  id,
  question: text,
  answers: z.array(id).min(2, "a step offers at least two answers to choose from"),
  article: text.optional(),
});

export const weighingSchema = z.strictObject({
  phase: id,
  gates: z.array(id).min(1, "name at least one phase the case may enter only with a complete checklist"),
  article: text,
  steps: z.array(weighingStepSchema).min(1, "a checklist has at least one step"),
});

export const protocolFileSchema = z.strictObject({
  id,
  name: text,
  phases: z.array(phaseSchema).min(2, "a protocol has at least a working phase and a closed phase"),
  initialPhase: id,
  closedPhase: id,
  transitions: z.array(transitionSchema),
  outcomes: z.array(outcomeSchema).min(1, "a protocol needs at least one way to close a case"),
  /** Without an entry for a kind, checks of that kind can be neither requested nor approved. */
  checks: z.array(checkDefSchema).optional(),
  /**
   * Present when the protocol lets a theme dataset approve a fitting check without advice (Delft
   * art. 16g-h, 19g); absent, every check is advised, whatever datasets exist.
   */
  themeDatasets: z.strictObject({ article: text }).optional(),
  auditRetention: auditRetentionSchema.optional(),
  /**
   * Who reads a closed case's signal text and history (its phase history with the motivations;
   * Delft art. 21d: after a case ends, only a few authorised staff, for complaints, data-subject
   * rights and accountability). Absent: `legal` and `dpo`; an empty list: nobody.
   */
  closedCaseReaders: z.array(z.enum(ROLES)).optional(),
  /**
   * Who a case is about (issue 11): every mode answers only for the case's subjects. From the
   * phases `checkRequiredIn` on, adding a subject needs a privacy check in effect that names it,
   * because the protocol widens the circle only by a recorded weighing. Absent: every phase but
   * the first needs one.
   */
  /**
   * The reporter's name and contact (Maastricht art. 6.1; Delft art. 4): destroyed when the case
   * records that receipt was acknowledged, and at the latest `retention` after they were recorded,
   * by the retention job. Absent: only on acknowledgement or with the case.
   */
  reporter: z.strictObject({ retention: duration, legalBasis: text, article: text }).optional(),
  subjects: z
    .strictObject({
      checkRequiredIn: z.array(id),
      article: text,
    })
    .optional(),
  /**
   * The weighing checklist (Maastricht art. 15, 16.1, bijlage C; Delft art. 12-15): in `phase` the
   * analyst answers every step; a move from there into a `gates` phase needs every step answered.
   * Absent: the protocol has no checklist and no move is gated.
   */
  weighing: weighingSchema.optional(),
});
export type ProtocolFile = z.infer<typeof protocolFileSchema>;

/**
 * `shared`: only cases where an approved privacy check 2a/2b names the actor's department as a
 * recipient, and inside them only what those checks shared. `client`: only the cases the actor's
 * client entry in clients.yaml names (by theme or reference), for service accounts (issue 12).
 */
export const CASE_SCOPES = ["assigned", "all", "shared", "client", "none"] as const;
export type CaseScope = (typeof CASE_SCOPES)[number];

export const roleSchema = z.strictObject({
  caseScope: z.enum(CASE_SCOPES),
  reason: text,
  actions: z.array(z.strictObject({ action: z.enum(CASE_ACTIONS), reason: text })),
});
export type RoleDef = z.infer<typeof roleSchema>;

/** Every role of the gateway must be listed (an exhaustive record): forgetting one is an error. */
export const rolesFileSchema = z.strictObject({
  roles: z.record(z.enum(ROLES), roleSchema),
  /** Departments a privacy check 2a/2b may name as recipients; the token's department claim. */
  departments: z
    .array(z.strictObject({ id, name: text }))
    .optional()
    .default([]),
});
export type RolesFile = z.infer<typeof rolesFileSchema>;

const sourceId = z
  .string()
  .regex(/^[a-z][a-z0-9]*$/, "a source id is lower-case letters and digits (e.g. brp)");

export const probesFileSchema = z.strictObject({
  probes: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z][a-z0-9]*\.[a-zA-Z][a-zA-Z0-9]*$/, "a probe id is <source>.<name>"),
      source: sourceId,
      description: text,
    }),
  ),
});
export type ProbesFile = z.infer<typeof probesFileSchema>;

const fieldPath = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/, "a dotted field path");

export const catalogueFileSchema = z.strictObject({
  source: sourceId,
  name: text,
  fields: z.array(
    z.strictObject({
      path: fieldPath,
      class: z.enum(FIELD_CLASSES),
      note: text,
      /** Delivered by the upstream whenever its parent is asked; may never be granted. */
      autoDelivered: z.boolean().optional(),
    }),
  ),
  /**
   * Persons embedded in another subject's record (a BRP person's partners, parents, children):
   * each entry under `path` is a person in their own right, identified by the unit `path.key`.
   */
  embeddedPersons: z.array(z.strictObject({ path: fieldPath, key: fieldPath, note: text })).optional(),
});
export type CatalogueFile = z.infer<typeof catalogueFileSchema>;

const ruleBase = {
  id: z.string().regex(/^[a-z][a-z0-9.-]*$/, "a rule id is lower-case letters, digits, '.' and '-'"),
  source: sourceId,
  phases: z.array(id).min(1, "name at least one phase"),
  roles: z.array(z.enum(ROLES)).min(1, "name at least one role"),
  reason: text,
  article: text,
};
/** Modes that need no list: `none`, `verify`, `territory`. */
const PLAIN_MODES = ["none", "verify", "territory"] as const satisfies readonly DisclosureMode[];

export const disclosureRuleSchema = z.discriminatedUnion("mode", [
  z.strictObject({ ...ruleBase, mode: z.enum(PLAIN_MODES) }),
  z.strictObject({
    ...ruleBase,
    mode: z.literal("hit"),
    probes: z.array(text).min(1, "mode hit needs probes"),
  }),
  z.strictObject({
    ...ruleBase,
    mode: z.literal("fields"),
    fields: z.array(fieldPath).min(1, "mode fields needs its maximum"),
    /**
     * Open data (Maastricht appendix A: open HR, BAG, open Kadaster in phases 1 and 2): the
     * maximum is released without a privacy check. Only fields of class `open` may be named.
     */
    openData: z.boolean().optional(),
    /** Probes this rule also answers: a source that may show fields may also answer yes/no. */
    probes: z.array(text).min(1).optional(),
  }),
]);
export type DisclosureRule = z.infer<typeof disclosureRuleSchema>;

export const disclosureFileSchema = z.strictObject({
  protocol: id,
  rules: z.array(disclosureRuleSchema),
});
export type DisclosureFile = z.infer<typeof disclosureFileSchema>;

/**
 * A theme dataset (`themes/<theme>.yaml`): what the privacy officer weighed in advance for one
 * kind of case, so a check that fits it needs no advice (Delft art. 16g-h for check 1, art. 19g
 * for check 2a). Names are checked against probes, catalogue and departments in `themes.ts`.
 */
export const themeFileSchema = z.strictObject({
  theme: id,
  name: text,
  /** Declared by the privacy officer; recorded with every check the dataset approves. */
  version: text,
  reason: text,
  article: text,
  /** Sources and probes a privacy check 1 (hit / no hit) may be approved for. */
  check1: z
    .array(z.strictObject({ source: sourceId, probes: z.array(text).min(1, "name at least one probe") }))
    .optional()
    .default([]),
  /** Fields per recipient department and source a privacy check 2a may share. */
  check2a: z
    .array(
      z.strictObject({
        recipient: id,
        source: sourceId,
        fields: z.array(fieldPath).min(1, "name at least one field"),
      }),
    )
    .optional()
    .default([]),
});
export type ThemeFile = z.infer<typeof themeFileSchema>;

/**
 * The special categories a signal text is screened for before it is stored (Maastricht art. 6.4:
 * special personal data are not registered; GDPR art. 9(1), and art. 10 for criminal data).
 * Each has its own file `special-categories/<category>.yaml`; every one must be present.
 */
export const SPECIAL_CATEGORIES = [
  "health",
  "religion",
  "ethnicity",
  "sexualOrientation",
  "politicalOpinion",
  "unionMembership",
  "biometrics",
  "criminal",
] as const;
export type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number];

/**
 * One term: one or more words separated by single spaces, each a word form (`ziek`), a stem that
 * starts a word (`ziekte*`: ziektes, ziektewet), ends one (`*kanker`: longkanker) or sits inside
 * one (`*verslaafd*`). Written in lower case; diacritics are allowed and ignored when matching.
 */
const specialTerm = z
  .string()
  .regex(
    /^\*?[\p{Ll}\p{N}]+\*?( \*?[\p{Ll}\p{N}]+\*?)*$/u,
    "a term is lower-case words separated by single spaces, each optionally starting or ending with *",
  );

/** A maintained term list for one special category (`special-categories/<category>.yaml`). */
export const specialCategoryFileSchema = z.strictObject({
  category: z.enum(SPECIAL_CATEGORIES),
  /** Used in the refusal: "characters 12-19 look like <label> (<article>)". */
  label: text,
  /** `GDPR art. 9(1)`, or `GDPR art. 10` for criminal data; checked against the category. */
  article: text,
  reason: text,
  terms: z.array(specialTerm).min(1, "name at least one term"),
  /** Whole words a stem would match but that are not special data (`kerkstraat`, `christensen`). */
  except: z.array(specialTerm).optional().default([]),
});
export type SpecialCategoryFile = z.infer<typeof specialCategoryFileSchema>;

/** Schema per kind of policy file; `json-schema.ts` writes one JSON Schema per entry. */
export const FILE_SCHEMAS = {
  protocol: protocolFileSchema,
  roles: rolesFileSchema,
  probes: probesFileSchema,
  catalogue: catalogueFileSchema,
  disclosure: disclosureFileSchema,
  theme: themeFileSchema,
  "special-category": specialCategoryFileSchema,
  clients: clientsFileSchema,
  "processing-activities": processingActivitiesFileSchema,
  register: registerFileSchema,
} as const;
export type FileKind = keyof typeof FILE_SCHEMAS;
