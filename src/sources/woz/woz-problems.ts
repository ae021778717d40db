import { BAG_PROBLEM_TEXTS } from "../bag/index.ts";
import { problemFrom, type InvalidParam, type ProblemText } from "../http/index.ts";

/**
 * The problem+json texts of WOZ Bevragen v1 (Foutbericht / BadRequestFoutbericht): the same RFC 2616
 * links and titles as the BAG specs of its generation, the WOZ's own name when it is unavailable.
 */
const WOZ_PROBLEMS = {
  400: BAG_PROBLEM_TEXTS[400],
  401: BAG_PROBLEM_TEXTS[401],
  404: BAG_PROBLEM_TEXTS[404],
  406: BAG_PROBLEM_TEXTS[406],
  500: BAG_PROBLEM_TEXTS[500],
  503: { ...BAG_PROBLEM_TEXTS[503], title: "Bronservice WOZ is tijdelijk niet beschikbaar." },
} as const satisfies Record<number, ProblemText>;

export type WozProblemStatus = keyof typeof WOZ_PROBLEMS;

/** A WOZ problem+json body; a 400 may name the parameters at fault and its own `code`. */
export function wozProblem(
  status: WozProblemStatus,
  instance: string,
  extra: {
    readonly code?: string;
    readonly title?: string;
    readonly invalidParams?: readonly InvalidParam[];
  } = {},
) {
  const base = problemFrom(WOZ_PROBLEMS, status, instance, extra.invalidParams);
  return {
    ...base,
    ...(extra.code === undefined ? {} : { code: extra.code }),
    ...(extra.title === undefined ? {} : { title: extra.title }),
  };
}

const VALIDATIES = "https://www.vng.nl/realisatie/api/validaties";

/** One entry of `invalidParams` (schema InvalidParams). */
export const wozInvalidParam = (name: string, code: string, reason: string): InvalidParam =>
  Object.freeze({ type: `${VALIDATIES}/${code}`, name, code, reason });
