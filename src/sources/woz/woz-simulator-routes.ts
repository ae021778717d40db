import type { GetRouteAnswer, GetRouteRequest, InvalidParam } from "../http/index.ts";
import { wozInvalidParam, wozProblem, type WozProblemStatus } from "./woz-problems.ts";
import type { WozObjectRecord, WozRegistry } from "./woz-records.ts";
import { BAG_ID, HUISLETTER, HUISNUMMERTOEVOEGING, POSTCODE, WOZ_OBJECT_NUMMER } from "./woz-schema.ts";

const HAL = "application/hal+json";
/** The media types the API answers in; an Accept without any of them is a 406. */
const ACCEPTABLE = /(^|,)\s*(\*\/\*|application\/\*|application\/hal\+json|application\/json)\s*(;|,|$)/;
/** The properties of schema WozObject: what `fields` may name. */
const PROPERTIES = [
  "aanduiding",
  "adresseerbaarObjectIdentificaties",
  "belanghebbendeEigenaar",
  "belanghebbendeGebruiker",
  "grondoppervlakte",
  "identificatie",
  "kadastraalOnroerendeZaken",
  "pandIdentificaties",
  "verantwoordelijkeGemeente",
  "waarden",
];
const PATTERNS: Readonly<Record<string, RegExp>> = {
  rsin: /^[0-9]{9}$/,
  kvkNummer: /^[0-9]{8}$/,
  adresseerbaarObjectIdentificatie: BAG_ID,
  nummeraanduidingIdentificatie: BAG_ID,
  postcode: POSTCODE,
  huisnummer: /^[1-9][0-9]{0,4}$/,
  huisletter: HUISLETTER,
  huisnummertoevoeging: HUISNUMMERTOEVOEGING,
  page: /^[1-9][0-9]{0,5}$/,
  pageSize: /^([1-9]|[1-9][0-9]|100)$/,
  fields: /^.+$/,
};
/** The searches of zoekActueleWozobjecten; exactly one per request. */
const SEARCHES = [
  ["rsin"],
  ["kvkNummer"],
  ["adresseerbaarObjectIdentificatie"],
  ["nummeraanduidingIdentificatie"],
  ["postcode", "huisnummer"],
] as const;

const problem = (status: WozProblemStatus, r: GetRouteRequest, extra?: Parameters<typeof wozProblem>[2]) => ({
  status,
  contentType: "application/problem+json",
  body: wozProblem(status, r.instance, extra),
});
const invalid = (r: GetRouteRequest, invalidParams: readonly InvalidParam[], code = "paramsValidation") =>
  problem(400, r, { code, invalidParams });

/** The fields a request asks for (all when absent), or the names the spec does not have. */
function fieldsOf(query: URLSearchParams): { fields: readonly string[] } | { unknown: readonly string[] } {
  const raw = query.get("fields");
  if (raw === null) return { fields: PROPERTIES };
  const names = raw.split(",").map((f) => f.trim());
  const unknown = names.filter((n) => !PROPERTIES.includes(n));
  return unknown.length > 0 ? { unknown } : { fields: names };
}

function render(o: WozObjectRecord, fields: readonly string[], base: string): Record<string, unknown> {
  const picked = Object.fromEntries(Object.entries(o).filter(([k]) => fields.includes(k)));
  return { ...picked, _links: { self: { href: `${base}/wozobjecten/${o.identificatie}` } } };
}

function checkParams(r: GetRouteRequest, allowed: readonly string[]): InvalidParam[] {
  const problems: InvalidParam[] = [];
  for (const [name, value] of r.query) {
    const pattern = PATTERNS[name];
    if (!allowed.includes(name) || !pattern)
      problems.push(
        wozInvalidParam(
          name.replace(/[^a-zA-Z0-9_]/g, "").slice(0, 40) || "param",
          "unknownParam",
          "Parameter is niet verwacht.",
        ),
      );
    else if (!pattern.test(value))
      problems.push(wozInvalidParam(name, "pattern", `Waarde voldoet niet aan patroon ${pattern.source}.`));
  }
  const fields = fieldsOf(r.query);
  if ("unknown" in fields)
    problems.push(
      wozInvalidParam(
        "fields",
        "fields",
        `Parameter bevat niet-bestaande properties: ${fields.unknown.join(", ")}.`,
      ),
    );
  return problems;
}

function search(r: GetRouteRequest, registry: WozRegistry): GetRouteAnswer {
  const problems = checkParams(r, [...Object.keys(PATTERNS)]);
  if (problems.length > 0) return invalid(r, problems);
  const q = r.query;
  const given = SEARCHES.filter((s) => s.some((name) => q.has(name)));
  if (given.length === 0)
    return problem(400, r, {
      code: "paramsRequired",
      title: "Ten minste één parameter moet worden opgegeven.",
    });
  if (given.length > 1)
    return problem(400, r, {
      code: "paramsCombination",
      title: "Deze combinatie van parameters wordt niet ondersteund.",
    });
  const [kind] = given;
  const missing = (kind ?? []).filter((name) => !q.has(name));
  if (missing.length > 0)
    return invalid(
      r,
      missing.map((name) => wozInvalidParam(name, "required", "Parameter is verplicht.")),
    );
  if ((q.has("huisletter") || q.has("huisnummertoevoeging")) && !q.has("postcode"))
    return problem(400, r, {
      code: "paramsCombination",
      title: "Deze combinatie van parameters wordt niet ondersteund.",
    });
  const value = (name: string) => q.get(name) ?? "";
  const found = q.has("rsin")
    ? registry.byEigenaar({ rsin: value("rsin") })
    : q.has("kvkNummer")
      ? registry.byEigenaar({ kvkNummer: value("kvkNummer") })
      : q.has("adresseerbaarObjectIdentificatie")
        ? registry.byAdresseerbaarObject(value("adresseerbaarObjectIdentificatie"))
        : q.has("nummeraanduidingIdentificatie")
          ? registry.byNummeraanduiding(value("nummeraanduidingIdentificatie"))
          : registry.byAdres({
              postcode: value("postcode"),
              huisnummer: Number(value("huisnummer")),
              huisletter: q.get("huisletter") ?? undefined,
              huisnummertoevoeging: q.get("huisnummertoevoeging") ?? undefined,
            });
  const page = Number(q.get("page") ?? 1);
  const pageSize = Number(q.get("pageSize") ?? 20);
  const fields = fieldsOf(q);
  const shown = found.slice((page - 1) * pageSize, page * pageSize);
  const link = (p: number) => {
    const u = new URL(r.instance);
    u.searchParams.set("page", String(p));
    return { href: u.href };
  };
  return {
    status: 200,
    contentType: HAL,
    headers: { "X-Pagination-Page": String(page), "X-Pagination-Limit": String(pageSize) },
    body: {
      _links: {
        self: { href: r.instance },
        first: link(1),
        ...(page > 1 ? { previous: link(page - 1) } : {}),
        ...(page * pageSize < found.length ? { next: link(page + 1) } : {}),
      },
      _embedded: {
        wozObjecten: shown.map((o) => render(o, "fields" in fields ? fields.fields : [], r.base)),
      },
    },
  };
}

function raadpleeg(r: GetRouteRequest, identificatie: string, registry: WozRegistry): GetRouteAnswer {
  const problems = checkParams(r, ["fields"]);
  if (!WOZ_OBJECT_NUMMER.test(identificatie))
    problems.push(
      wozInvalidParam("identificatie", "pattern", "Waarde voldoet niet aan patroon ^[0-9]{12}$."),
    );
  if (problems.length > 0) return invalid(r, problems);
  const found = registry.byIdentificatie(identificatie);
  if (!found) return problem(404, r);
  const fields = fieldsOf(r.query);
  return {
    status: 200,
    contentType: HAL,
    body: render(found, "fields" in fields ? fields.fields : [], r.base),
  };
}

/** Answers one GET below the base path (authentication and faults already handled by the shared simulator). */
export function answerWozRequest(r: GetRouteRequest, registry: WozRegistry): GetRouteAnswer {
  const accept = r.headers["accept"];
  if (accept !== undefined && !ACCEPTABLE.test(accept)) return problem(406, r);
  if (r.path === "/wozobjecten") return search(r, registry);
  const one = /^\/wozobjecten\/([^/]+)$/.exec(r.path);
  if (one) return raadpleeg(r, decodeURIComponent(one[1] ?? ""), registry);
  return problem(404, r);
}
