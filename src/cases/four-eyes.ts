import type { Actor } from "../shared/index.ts";
import type { CaseRecord, PrivacyCheckRecord, PrivacyCheckStep } from "./case-record.ts";

/**
 * Four eyes: a weighing is someone else's. The privacy officer advises on what the analyst asks
 * (Delft art. 16a-b, 19a-b, 20a-c), the coordinator decides when those two disagree (16d-e, 19d-e,
 * 20e-f), the FG gives a second opinion to the parties who ask (16f, 19f, 20g); Juridische Zaken
 * handles a data subject's request about the case (Delft art. 11b-c). None of that is a weighing
 * if the person weighing is a party to it, whatever roles their token holds. So:
 *
 * - nobody advises, decides or gives the second opinion on a check they asked for, or on a check
 *   of a case they work on as its owner or substitute (Maastricht art. 8.2);
 * - the coordinator's decision does not come from whoever gave the advice that is disputed;
 * - the FG's second opinion does not come from whoever advised or decided the check, or asked for
 *   this opinion;
 * - nobody decides a data subject's request, or lifts a restriction, on a case they work on.
 *
 * What is no weighing stays open to everyone the roles allow: asking for a check, escalating
 * (only the case's analysts can), asking the FG, revoking an approval (it only ends access),
 * recording that a person was informed or made a request (facts; a restriction protects them),
 * and deferring informing (Maastricht art. 12.3 gives that assessment to the RO/AVO; who decided
 * and who advised are recorded with it).
 */
export type Weighing = "check.advise" | "check.decide" | "check.opinion" | "rights.decide" | "rights.lift";

/** What a weighing is about: the case, and for a check step the check and its steps so far. */
export interface WeighedMatter {
  readonly record: CaseRecord;
  readonly check?: PrivacyCheckRecord | undefined;
  readonly steps?: readonly PrivacyCheckStep[] | undefined;
}

const lastActor = (steps: readonly PrivacyCheckStep[], kind: PrivacyCheckStep["kind"]) =>
  steps.filter((s) => s.kind === kind).at(-1)?.actor;

/** The people a weighing may not come from, each with why (for the audit record). */
function parties(weighing: Weighing, on: WeighedMatter): [string | null | undefined, string][] {
  const steps = on.steps ?? [];
  const out: [string | null | undefined, string][] = [
    [on.record.owner, "the actor owns the case"],
    [on.record.substitute, "the actor is the case's substitute"],
    [on.check?.requestedBy, "the actor asked for this check"],
  ];
  if (weighing === "check.decide")
    out.push([lastActor(steps, "advised"), "the actor gave the disputed advice"]);
  if (weighing === "check.opinion") {
    for (const s of steps) {
      if (s.kind === "advised") out.push([s.actor, "the actor advised on this check"]);
      if (s.kind === "decided") out.push([s.actor, "the actor decided this check"]);
    }
    out.push([lastActor(steps, "opinion_requested"), "the actor asked for this second opinion"]);
  }
  return out;
}

/**
 * Why the actor may not take this weighing (`four eyes (…): …`, for the audit record), or
 * undefined when they may. The refusal is FORBIDDEN: the actor sees the case, the step is not theirs.
 */
export function fourEyesRefusal(actor: Actor, weighing: Weighing, on: WeighedMatter): string | undefined {
  const hit = parties(weighing, on).find(([who]) => who === actor.subject);
  if (!hit) return undefined;
  const article = weighing.startsWith("rights.") ? "Delft art. 11" : "Delft art. 16, 19-20";
  return `four eyes (${article}): ${hit[1]}; ${weighing} must come from someone else`;
}

/** Whether the weighing needs the check's steps (who advised, decided, asked the FG). */
export const needsSteps = (weighing: Weighing): boolean =>
  weighing === "check.decide" || weighing === "check.opinion";
