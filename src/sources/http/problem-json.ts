/*
 * application/problem+json bodies of the BRP Bewoning and Verblijfplaatshistorie APIs
 * (Foutbericht / BadRequestFoutbericht). Texts follow the APIs' feature files, except where those
 * break the specs' own patterns (`detail` may not hold a colon, `reason` no regex characters):
 * then the spec wins, because the contract tests validate every simulator answer against it.
 */
/** One invalid parameter of a 400 (the same shape in every Haal Centraal and BAG spec). */
export interface InvalidParam {
  readonly type: string;
  readonly name: string;
  readonly code: string;
  readonly reason: string;
}

/** The fixed texts of one status in an API's problem catalogue. */
export interface ProblemText {
  readonly type: string;
  readonly title: string;
  readonly code: string;
  readonly detail: string;
}

export interface Problem extends ProblemText {
  readonly status: number;
  readonly instance: string;
  readonly invalidParams?: readonly InvalidParam[];
}

/** A problem+json body from an API's own catalogue of texts (each spec words them its own way). */
export function problemFrom<S extends number>(
  catalogue: Readonly<Record<S, ProblemText>>,
  status: S,
  instance: string,
  invalidParams?: readonly InvalidParam[],
): Problem {
  return { ...catalogue[status], status, instance, ...(invalidParams ? { invalidParams } : {}) };
}

const RFC = "https://datatracker.ietf.org/doc/html/rfc7231#section-";

const PROBLEMS = {
  400: {
    type: `${RFC}6.5.1`,
    title: "Een of meerdere parameters zijn niet correct.",
    code: "paramsValidation",
    detail: "De foutieve parameter(s) zijn niet correct.",
  },
  401: {
    type: "https://datatracker.ietf.org/doc/html/rfc7235#section-3.1",
    title: "Niet correct geauthenticeerd.",
    code: "authentication",
    detail: "The request requires user authentication.",
  },
  404: {
    type: `${RFC}6.5.4`,
    title: "Opgevraagde resource bestaat niet.",
    code: "notFound",
    detail: "De opgevraagde resource bestaat niet.",
  },
  406: {
    type: `${RFC}6.5.6`,
    title: "Gevraagde contenttype wordt niet ondersteund.",
    code: "notAcceptable",
    detail: "Ondersteunde content type is application json.",
  },
  415: {
    type: `${RFC}6.5.13`,
    title: "Media Type wordt niet ondersteund.",
    code: "unsupported",
    detail: "Ondersteunde content type is application json.",
  },
  500: {
    type: `${RFC}6.6.1`,
    title: "Interne server fout.",
    code: "serverError",
    detail: "The server encountered an unexpected condition.",
  },
  503: {
    type: `${RFC}6.6.4`,
    title: "Bronservice BRP is tijdelijk niet beschikbaar.",
    code: "notAvailable",
    detail: "The service is currently unable to handle the request.",
  },
} as const;

export type ProblemStatus = keyof typeof PROBLEMS;

export const problem = (status: ProblemStatus, instance: string, invalidParams?: readonly InvalidParam[]) =>
  problemFrom(PROBLEMS, status, instance, invalidParams);

/** One invalid parameter, in the wording of the BRP APIs. */
export function invalidParam(
  name: string,
  code: "required" | "pattern" | "date" | "value" | "unknownParam" | "invalidParam",
): InvalidParam {
  const reasons = {
    required: "Parameter is verplicht.",
    pattern: "Waarde voldoet niet aan patroon.",
    date: "Waarde is geen geldige datum.",
    value: "Waarde is geen geldig zoek type.",
    unknownParam: "Parameter is niet verwacht.",
    invalidParam: `${name} moet na datumVan liggen.`,
  } as const;
  return { type: `${RFC}6.5.1`, name, code, reason: reasons[code] };
}
