import type { InvalidParam } from "../http/index.ts";
/** One entry of `invalid-params` (schema InvalidParams of the BAG specs). */
export type BagInvalidParam = InvalidParam;

/** application/problem+json bodies as the BAG specs' `Error` schema and examples. */
export interface BagProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: string;
  readonly "invalid-params"?: readonly BagInvalidParam[];
}

const RFC = "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html";

/** The problem texts of the BAG specs (RFC 2616 links, as in the other Haal Centraal specs of its generation). */
export const BAG_PROBLEM_TEXTS = {
  400: {
    type: `${RFC}#sec10.4.1`,
    title: "Een of meerdere parameters zijn niet correct.",
    code: "paramsValidation",
    detail: "The request could not be understood by the server due to malformed syntax.",
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
  412: {
    type: `${RFC}#sec10.4.13`,
    title: "Niet voldaan aan vooraf gestelde voorwaarde",
    code: "preconditionFailed",
    detail: "The precondition given in one or more of the request-header fields evaluated to false.",
  },
  500: {
    type: `${RFC}#sec10.5.1`,
    title: "Interne server fout.",
    code: "serverError",
    detail: "The server encountered an unexpected condition which prevented it from fulfilling the request.",
  },
  503: {
    type: `${RFC}#sec10.5.4`,
    title: "Bronservice BAG is tijdelijk niet beschikbaar.",
    code: "notAvailable",
    detail: "The service is currently unable to handle the request.",
  },
} as const;

export type BagProblemStatus = keyof typeof BAG_PROBLEM_TEXTS;

export function bagProblem(
  status: BagProblemStatus,
  instance: string,
  extra: { readonly code?: string; readonly invalidParams?: readonly BagInvalidParam[] } = {},
): BagProblem {
  return {
    ...BAG_PROBLEM_TEXTS[status],
    status,
    instance,
    ...(extra.code === undefined ? {} : { code: extra.code }),
    ...(extra.invalidParams ? { "invalid-params": extra.invalidParams } : {}),
  };
}

const VALIDATIES = "https://www.vng.nl/realisatie/api/validaties";

export const invalidParam = (name: string, code: string, reason: string): BagInvalidParam => ({
  type: `${VALIDATIES}/${code}`,
  name,
  code,
  reason,
});
