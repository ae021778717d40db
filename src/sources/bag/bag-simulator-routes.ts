import type { GetRouteAnswer, GetRouteRequest } from "../http/index.ts";
import { bagProblem, invalidParam, type BagInvalidParam, type BagProblemStatus } from "./bag-problems.ts";
import type { BagRegistry } from "./bag-records.ts";
import {
  renderAdres,
  renderAdresseerbaarObject,
  renderAdressen,
  renderPand,
  renderVerblijfsobject,
} from "./bag-render.ts";

/** What one simulator route answers, and what it is asked (the shared GET simulator's). */
export type RouteAnswer = GetRouteAnswer;
export type RouteRequest = GetRouteRequest;

const HAL = "application/hal+json";
const CRS = "epsg:28992";

const PARAM_RULES: Readonly<Record<string, readonly [RegExp, string, string]>> = {
  postcode: [
    /^[1-9][0-9]{3}[a-zA-Z]{2}$/,
    "pattern",
    "Waarde voldoet niet aan patroon ^[1-9]{1}[0-9]{3}[a-zA-Z]{2}$.",
  ],
  huisnummer: [/^[1-9][0-9]{0,4}$/, "integer", "Waarde is geen geldige integer tussen 1 en 99999."],
  huisletter: [/^[a-zA-Z]$/, "pattern", "Waarde voldoet niet aan patroon ^[a-zA-Z]{1}$."],
  huisnummertoevoeging: [
    /^[0-9a-zA-Z]{1,4}$/,
    "pattern",
    "Waarde voldoet niet aan patroon ^[0-9a-zA-Z]{1,4}$.",
  ],
  exacteMatch: [/^(true|false)$/, "boolean", "Waarde is geen geldige boolean."],
  adresseerbaarObjectIdentificatie: [
    /^[0-9]{4}(01|02|03)[0-9]{10}$/,
    "pattern",
    "Waarde is geen geldige identificatie.",
  ],
  pandIdentificatie: [/^[0-9]{4}10[0-9]{10}$/, "pattern", "Waarde is geen geldige identificatie."],
  page: [/^[1-9][0-9]{0,5}$/, "integer", "Waarde is geen geldige integer groter dan 0."],
  pageSize: [/^([1-9][0-9]|100)$/, "integer", "Waarde is geen geldige integer tussen 10 en 100."],
  // Accepted and ignored: the simulator only has current data and no expansion.
  geldigOp: [/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, "date", "Waarde is geen geldige datum."],
  beschikbaarOp: [/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+/, "date-time", "Waarde is geen geldige datum-tijd."],
  expand: [/^.*$/, "string", ""],
};

const ZOEK_PARAMS = [
  "postcode",
  "huisnummer",
  "huisletter",
  "huisnummertoevoeging",
  "exacteMatch",
  "adresseerbaarObjectIdentificatie",
  "pandIdentificatie",
  "page",
  "pageSize",
];
const ID_PARAMS = ["geldigOp", "beschikbaarOp", "expand"];

function checkParams(query: URLSearchParams, allowed: readonly string[]): BagInvalidParam[] {
  const problems: BagInvalidParam[] = [];
  for (const [name, value] of query) {
    const rule = PARAM_RULES[name];
    if (!allowed.includes(name) || !rule)
      problems.push(invalidParam(name, "unknownParam", "Parameter is niet verwacht."));
    else if (!rule[0].test(value) || query.getAll(name).length > 1)
      problems.push(invalidParam(name, rule[1], rule[2]));
  }
  return problems;
}

const IDS: Readonly<Record<string, RegExp>> = {
  adressen: /^[0-9]{16}$/,
  adresseerbareobjecten: /^[0-9]{4}(01|02|03)[0-9]{10}$/,
  verblijfsobjecten: /^[0-9]{4}01[0-9]{10}$/,
  panden: /^[0-9]{4}10[0-9]{10}$/,
};

/** Answers one GET below the base path (after the API key has been checked). */
export function answerBagRequest(req: RouteRequest, registry: BagRegistry): RouteAnswer {
  const problem = (status: BagProblemStatus, extra: Parameters<typeof bagProblem>[2] = {}): RouteAnswer => ({
    status,
    contentType: "application/problem+json",
    body: bagProblem(status, req.instance, extra),
  });
  const ok = (body: unknown, geometry: boolean): RouteAnswer => ({
    status: 200,
    contentType: HAL,
    body,
    headers: geometry ? { "Content-Crs": CRS } : {},
  });

  const segments = req.path.split("/").filter((s) => s !== "");
  const [collection, id, ...rest] = segments;
  if (collection === undefined || !(collection in IDS) || rest.length > 0) return problem(404);
  if (collection === "adressen" && id === undefined) return zoekAdressen(req, registry, problem);

  const accept = req.headers["accept"];
  if (accept !== undefined && !/application\/(hal\+)?json|\*\/\*|application\/\*/i.test(accept))
    return problem(406);
  const invalid = checkParams(req.query, ID_PARAMS);
  if (id === undefined || !(IDS[collection] as RegExp).test(id))
    invalid.push(invalidParam("identificatie", "pattern", "Waarde is geen geldige identificatie."));
  if (invalid.length > 0) return problem(400, { invalidParams: invalid });

  if (collection === "adressen") {
    const adres = registry.adres(id as string);
    return adres ? ok(renderAdres(adres, registry, req.base), false) : problem(404);
  }
  // Getting started: "Bij een aanvraag die geometrie teruglevert, moet de request header Accept-Crs
  // worden meegestuurd"; the spec answers a missing precondition with 412, an unknown CRS with 406.
  const crs = req.headers["accept-crs"];
  if (crs === undefined) return problem(412);
  if (crs.toLowerCase() !== CRS) return problem(406);

  switch (collection) {
    case "adresseerbareobjecten": {
      const object = registry.object(id as string);
      return object ? ok(renderAdresseerbaarObject(object, req.base), true) : problem(404);
    }
    case "verblijfsobjecten": {
      const object = registry.object(id as string);
      return object?.type === "Verblijfsobject"
        ? ok(renderVerblijfsobject(object, req.base), true)
        : problem(404);
    }
    default: {
      const pand = registry.pand(id as string);
      return pand ? ok(renderPand(pand, req.base), true) : problem(404);
    }
  }
}

function zoekAdressen(
  req: RouteRequest,
  registry: BagRegistry,
  problem: (status: BagProblemStatus, extra?: Parameters<typeof bagProblem>[2]) => RouteAnswer,
): RouteAnswer {
  const q = req.query;
  const invalid = checkParams(q, ZOEK_PARAMS);
  if (invalid.length > 0) return problem(400, { invalidParams: invalid });
  const has = (name: string) => q.has(name);
  const byAdres = has("postcode") || has("huisnummer") || has("huisletter") || has("huisnummertoevoeging");
  const byObject = has("adresseerbaarObjectIdentificatie");
  const byPand = has("pandIdentificatie");
  if (!byAdres && !byObject && !byPand) return problem(400, { code: "paramsRequired" });
  if (
    [byAdres, byObject, byPand].filter(Boolean).length > 1 ||
    (byAdres && (!has("postcode") || !has("huisnummer"))) ||
    (has("exacteMatch") && !byAdres)
  )
    return problem(400, { code: "paramsCombination" });

  let found;
  if (byObject) found = registry.adressenVanObject(q.get("adresseerbaarObjectIdentificatie") ?? "");
  else if (byPand)
    found = (registry.pand(q.get("pandIdentificatie") ?? "")?.verblijfsobjecten ?? []).flatMap((o) =>
      registry.adressenVanObject(o),
    );
  else
    found = registry.zoekAdressen({
      postcode: q.get("postcode") ?? "",
      huisnummer: Number(q.get("huisnummer")),
      huisletter: q.get("huisletter") ?? undefined,
      huisnummertoevoeging: q.get("huisnummertoevoeging") ?? undefined,
      exacteMatch: q.get("exacteMatch") === "true",
    });
  const page = Number(q.get("page") ?? 1);
  const pageSize = Number(q.get("pageSize") ?? 20);
  const slice = found.slice((page - 1) * pageSize, page * pageSize);
  return {
    status: 200,
    contentType: HAL,
    body: renderAdressen(slice, registry, req.base, req.instance),
    headers: { "X-Pagination-Page": String(page), "X-Pagination-Limit": String(pageSize) },
  };
}
