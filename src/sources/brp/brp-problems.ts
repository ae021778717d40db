import { problemFrom, type InvalidParam } from "../http/index.ts";

/* application/problem+json bodies with the texts of the BRP Personen spec's examples. */

const RFC = "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html";

const PROBLEMS = {
  400: {
    type: `${RFC}#sec10.4.1`,
    title: "Een of meerdere parameters zijn niet correct.",
    code: "paramsValidation",
    detail: "De foutieve parameter(s) zijn niet correct.",
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
    detail: "De opgevraagde resource bestaat niet.",
  },
  415: {
    type: `${RFC}#sec10.4.16`,
    title: "Media Type wordt niet ondersteund.",
    code: "unsupported",
    detail: "Ondersteunde content type is application json.",
  },
  500: {
    type: `${RFC}#sec10.5.1`,
    title: "Interne server fout.",
    code: "serverError",
    detail: "The server encountered an unexpected condition.",
  },
  503: {
    type: `${RFC}#sec10.5.4`,
    title: "Bronservice BRP is tijdelijk niet beschikbaar.",
    code: "notAvailable",
    detail: "The service is currently unable to handle the request.",
  },
} as const;

export type ProblemStatus = keyof typeof PROBLEMS;

/** The 400 the BRP answers when a search type's required parameters are missing (its feature files). */
const COMBINATION = {
  400: {
    ...PROBLEMS[400],
    title: "Minimale combinatie van parameters moet worden opgegeven.",
    code: "paramsCombination",
  },
} as const;

export const combinationProblem = (instance: string, invalidParams: readonly InvalidParam[]) =>
  problemFrom(COMBINATION, 400, instance, invalidParams);

export const problem = (status: ProblemStatus, instance: string, invalidParams?: readonly InvalidParam[]) =>
  problemFrom(PROBLEMS, status, instance, invalidParams);
