import { problemFrom, type InvalidParam, type ProblemText } from "../http/index.ts";

const RFC = "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html";

/** The problem+json texts of WOZ Bevragen v1 (Foutbericht / BadRequestFoutbericht and their examples). */
const WOZ_PROBLEMS = {
  400: {
    type: `${RFC}#sec10.4.1`,
    title: "Een of meerdere parameters zijn niet correct.",
    code: "paramsValidation",
    detail:
      "The request could not be understood by the server due to malformed syntax. The client SHOULD NOT repeat the request without modification.",
  },
  401: {
    type: `${RFC}#sec10.4.2`,
    title: "Niet correct geauthenticeerd.",
    code: "authentication",
    detail: "The request requires user authentication.",
  },
  404: {
    type: `${RFC}#sec10.4.5`,
    title: "Opgevraagde resource bestaat niet.",
    code: "notFound",
    detail: "The server has not found anything matching the Request-URI.",
  },
  406: {
    type: `${RFC}#sec10.4.7`,
    title: "Gevraagde contenttype wordt niet ondersteund.",
    code: "notAcceptable",
    detail:
      "The resource is only capable of generating content not acceptable according to the accept headers.",
  },
  500: {
    type: `${RFC}#sec10.5.1`,
    title: "Interne server fout.",
    code: "serverError",
    detail: "The server encountered an unexpected condition which prevented it from fulfilling the request.",
  },
  503: {
    type: `${RFC}#sec10.5.4`,
    title: "Bronservice WOZ is tijdelijk niet beschikbaar.",
    code: "notAvailable",
    detail: "The service is currently unable to handle the request.",
  },
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
