import { problemFrom, type InvalidParam, type Problem } from "../http/index.ts";

const RFC = "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html";

/** The problem+json texts of BRK-Bevragen v2, as the spec's examples word them (schema Foutbericht). */
const PROBLEMS = {
  400: {
    type: `${RFC}#sec10.4.1`,
    title: "Ten minste één parameter moet worden opgegeven.",
    code: "paramsRequired",
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
  500: {
    type: `${RFC}#sec10.5.1`,
    title: "Interne server fout.",
    code: "serverError",
    detail: "The server encountered an unexpected condition which prevented it from fulfilling the request.",
  },
  503: {
    type: `${RFC}#sec10.5.4`,
    title: "Bronservice BRK is tijdelijk niet beschikbaar.",
    code: "notAvailable",
    detail: "The service is currently unable to handle the request.",
  },
} as const;

export type BrkProblemStatus = keyof typeof PROBLEMS;

export const brkProblem = (
  status: BrkProblemStatus,
  instance: string,
  invalidParams?: readonly InvalidParam[],
): Problem => problemFrom(PROBLEMS, status, instance, invalidParams);

/** One invalid parameter of a 400 (schema InvalidParams). */
export const brkInvalidParam = (
  name: string,
  code: "required" | "pattern" | "unknownParam",
): InvalidParam => ({
  type: "https://www.vng.nl/realisatie/api/validaties/" + code,
  name,
  code,
  reason:
    code === "required"
      ? "Parameter is verplicht."
      : code === "pattern"
        ? "Waarde voldoet niet aan patroon."
        : "Parameter is niet verwacht.",
});
