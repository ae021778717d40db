/**
 * The data subject's rights as stored per case and subject (GDPR art. 15-23; Maastricht art.
 * 11-12; Delft art. 10-11). Subjects are natural persons, named by the subject key privacy checks
 * use (`persoon:<bsn>`); after retention destroyed a row its key and free text are null.
 */

/**
 * The grounds of GDPR art. 23(1)(a)-(j) on which informing may be deferred, as Maastricht art.
 * 12.5 lists them (Delft art. 10d names (d)). A fixed list: anything else is refused.
 */
export const DEFERRAL_GROUNDS = {
  national_security: "GDPR art. 23(1)(a): national security",
  defence: "GDPR art. 23(1)(b): defence",
  public_security: "GDPR art. 23(1)(c): public security",
  criminal_offences:
    "GDPR art. 23(1)(d): the prevention, investigation, detection or prosecution of criminal offences or the execution of criminal penalties, including safeguarding against threats to public security",
  public_interest:
    "GDPR art. 23(1)(e): other important objectives of general public interest, in particular an important economic or financial interest",
  judicial_independence:
    "GDPR art. 23(1)(f): the protection of judicial independence and judicial proceedings",
  professional_ethics: "GDPR art. 23(1)(g): breaches of ethics for regulated professions",
  supervision:
    "GDPR art. 23(1)(h): a monitoring, inspection or regulatory function connected to the exercise of official authority in the cases of (a) to (e) and (g)",
  protection_of_persons:
    "GDPR art. 23(1)(i): the protection of the data subject or the rights and freedoms of others",
  civil_claims: "GDPR art. 23(1)(j): the enforcement of civil law claims",
} as const;
export type DeferralGround = keyof typeof DEFERRAL_GROUNDS;

/** How the subject was informed (Maastricht art. 12.1, 12.4; Delft art. 10b-c). */
export const INFORMING_METHODS = ["letter", "email", "in_person", "phone", "other"] as const;
export type InformingMethod = (typeof INFORMING_METHODS)[number];

/** GDPR art. 16 (rectification), 17 (erasure), 18 (restriction), 21 (objection). */
export const REQUEST_KINDS = ["rectification", "erasure", "restriction", "objection"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_DECISIONS = ["granted", "partially_granted", "refused"] as const;
export type RequestDecision = (typeof REQUEST_DECISIONS)[number];

/** That a subject was informed about the processing in a case. */
export interface InformingRecord {
  readonly id: string;
  readonly caseId: string;
  readonly subjectKey: string | null;
  readonly informedAt: Date;
  readonly method: InformingMethod;
  readonly note: string | null;
  readonly recordedBy: string;
  readonly recordedAt: Date;
  readonly destroyed: boolean;
}

/**
 * Informing deferred under GDPR art. 23 (Maastricht art. 12.5-12.7; Delft art. 10d-e). In force
 * while `endedAt` is null; while in force the case is withheld from the subject's access report.
 */
export interface DeferralRecord {
  readonly id: string;
  readonly caseId: string;
  readonly subjectKey: string | null;
  readonly ground: DeferralGround;
  readonly motivation: string | null;
  /** The responsible manager who decided (Maastricht art. 12.6; Delft art. 10e: the GSO). */
  readonly decidedBy: string;
  /** The FG or privacy adviser whose advice was asked (Maastricht art. 12.6). */
  readonly adviceBy: string;
  readonly advice: string | null;
  /** When the ground is weighed again (Delft art. 10e: how periodically it is reviewed). */
  readonly reviewAt: Date;
  readonly recordedBy: string;
  readonly recordedAt: Date;
  readonly endedAt: Date | null;
  readonly endedBy: string | null;
  readonly endReason: "informed" | "superseded" | null;
  readonly destroyed: boolean;
}

/** A request of GDPR art. 16, 17, 18 or 21 and its handling. */
export interface SubjectRequestRecord {
  readonly id: string;
  readonly caseId: string;
  readonly subjectKey: string | null;
  readonly kind: RequestKind;
  readonly receivedAt: Date;
  readonly motivation: string | null;
  readonly recordedBy: string;
  readonly recordedAt: Date;
  readonly decision: RequestDecision | null;
  readonly decisionMotivation: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  /** A restriction only: lifted (GDPR art. 18(3): the subject is told before it is lifted). */
  readonly liftedAt: Date | null;
  readonly liftedBy: string | null;
  readonly liftMotivation: string | null;
  readonly destroyed: boolean;
}

/**
 * A restriction is in force from the moment it is recorded (GDPR art. 18(1)(a), (d): processing is
 * restricted while the controller verifies) until it is refused or lifted.
 */
export const restrictionInForce = (r: SubjectRequestRecord): boolean =>
  r.kind === "restriction" && !r.destroyed && r.liftedAt === null && r.decision !== "refused";

/** A case left out of an access report, as recorded internally. */
export interface WithholdingRecord {
  readonly reportId: string;
  readonly caseId: string;
  readonly deferralId: string;
  readonly subjectKey: string | null;
  readonly ground: DeferralGround;
  readonly at: Date;
  readonly destroyed: boolean;
}

/**
 * Expected failures of the rights use cases: the same kinds as the case errors, so the GraphQL
 * layer maps them with the same function.
 */
export interface RightsError {
  readonly kind: "not_found" | "forbidden" | "phase_conflict" | "bad_input" | "audit_failed";
  /** Safe to show the caller: names the problem, never registry values. */
  readonly message: string;
}

/** The BSN of a `persoon:<bsn>` key; null for a destroyed row or another kind of key. */
export const bsnOfKey = (key: string | null): string | null =>
  key?.startsWith("persoon:") ? key.slice("persoon:".length) : null;
