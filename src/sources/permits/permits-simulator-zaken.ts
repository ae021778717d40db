import type { PermitRegister, PermitZaakRecord } from "./permits-records.ts";
import { invalidParam, type ZgwInvalidParam } from "./permits-problems.ts";
import {
  renderRol,
  renderZaak,
  renderZaakObject,
  zaaktypeUrl,
  zaakUrl,
  type RenderContext,
} from "./permits-render.ts";
import { UUID } from "./permits-schema.ts";
import {
  crsProblem,
  fout,
  json,
  pageOf,
  unknownParams,
  uuidIn,
  type ApiContext,
  type RouteAnswer,
  type RouteRequest,
} from "./permits-simulator-http.ts";

const ROL = "rol__betrokkeneIdentificatie__";
const BSN = `${ROL}natuurlijkPersoon__inpBsn`;
const RSIN = `${ROL}nietNatuurlijkPersoon__innNnpId`;
const VESTIGING = `${ROL}vestiging__vestigingsNummer`;
const BETROKKENE_TYPES = [
  "natuurlijk_persoon",
  "niet_natuurlijk_persoon",
  "vestiging",
  "organisatorische_eenheid",
  "medewerker",
];
/** The filters of `GET /zaken` (and `POST /zaken/_zoek`) the simulator implements. */
const ZAAK_FILTERS = [
  BSN,
  RSIN,
  VESTIGING,
  "rol__betrokkeneType",
  "identificatie",
  "zaaktype",
  "bronorganisatie",
];
const MAX_LENGTH: Readonly<Record<string, number>> = { [BSN]: 9, [VESTIGING]: 24 };

const RESOURCES = ["zaken", "zaakobjecten", "rollen"];

type Filters = Readonly<Record<string, string | undefined>>;

const hasRol = (
  z: PermitZaakRecord,
  test: (b: PermitZaakRecord["rollen"][number]["betrokkene"]) => boolean,
) => z.rollen.some((r) => test(r.betrokkene));

function checkFilters(filters: Filters): ZgwInvalidParam[] {
  const problems: ZgwInvalidParam[] = [];
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    const max = MAX_LENGTH[name];
    if (max !== undefined && value.length > max)
      problems.push(
        invalidParam(name, "max_length", `Zorg ervoor dat dit veld niet meer dan ${max} karakters bevat.`),
      );
    if (name === "rol__betrokkeneType" && !BETROKKENE_TYPES.includes(value))
      problems.push(invalidParam(name, "invalid_choice", "Selecteer een geldige keuze."));
  }
  return problems;
}

/** Zaken matching every given filter; starts from the register's index for a betrokkene filter. */
function selectZaken(register: PermitRegister, rctx: RenderContext, f: Filters, start?: PermitZaakRecord[]) {
  const candidates =
    start ??
    (f[BSN] !== undefined
      ? register.zakenVanBsn(f[BSN])
      : f[RSIN] !== undefined
        ? register.zakenVanRsin(f[RSIN])
        : f[VESTIGING] !== undefined
          ? register.zakenVanVestiging(f[VESTIGING])
          : [...register.zaken()]);
  const seen = new Set<string>();
  return candidates.filter((z) => {
    if (seen.has(z.uuid)) return false;
    seen.add(z.uuid);
    return (
      (f[BSN] === undefined ||
        hasRol(z, (b) => b.type === "natuurlijk_persoon" && b.person.bsn === f[BSN])) &&
      (f[RSIN] === undefined ||
        hasRol(z, (b) => b.type === "niet_natuurlijk_persoon" && b.company.rsin === f[RSIN])) &&
      (f[VESTIGING] === undefined ||
        hasRol(z, (b) => b.type === "vestiging" && b.vestiging.vestigingsnummer === f[VESTIGING])) &&
      (f["rol__betrokkeneType"] === undefined || hasRol(z, (b) => b.type === f["rol__betrokkeneType"])) &&
      (f["identificatie"] === undefined || z.identificatie === f["identificatie"]) &&
      (f["zaaktype"] === undefined || zaaktypeUrl(z.zaaktype, rctx) === f["zaaktype"]) &&
      (f["bronorganisatie"] === undefined || register.rsin === f["bronorganisatie"])
    );
  });
}

/** `POST /zaken/_zoek`: the body is a ZaakZoek; of it, `uuid__in` and the filters above. */
function zoek(
  ctx: ApiContext,
  req: RouteRequest,
  register: PermitRegister,
  rctx: RenderContext,
): RouteAnswer {
  const crs = crsProblem(ctx, req, true);
  if (crs) return crs;
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) return fout(ctx, req, 415);
  const body = req.body;
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return fout(ctx, req, 400, {
      invalidParams: [invalidParam("nonFieldErrors", "invalid", "Ongeldige data.")],
    });
  const entries = Object.entries(body as Record<string, unknown>);
  const problems = unknownParams(new URLSearchParams(req.url.search), ["page"]);
  const filters: Record<string, string> = {};
  let uuids: string[] | undefined;
  for (const [name, value] of entries) {
    if (name === "uuid__in") {
      if (!Array.isArray(value) || !value.every((u) => typeof u === "string" && UUID.test(u)))
        problems.push(invalidParam(name, "invalid", "Voer een geldige UUID in."));
      else uuids = value.map((u: string) => u.toLowerCase());
    } else if (ZAAK_FILTERS.includes(name) && typeof value === "string") filters[name] = value;
    else
      problems.push(
        invalidParam(
          name.replace(/[^a-zA-Z0-9_]/g, "").slice(0, 80) || "body",
          "unknown-parameters",
          "Onbekend zoekveld.",
        ),
      );
  }
  problems.push(...checkFilters(filters));
  if (problems.length > 0) return fout(ctx, req, 400, { invalidParams: problems });
  const start = uuids?.flatMap((u) => register.zaak(u) ?? []);
  const found = selectZaken(register, rctx, filters, start);
  return pageOf(
    ctx,
    req,
    found.map((z) => renderZaak(z, rctx)),
    true,
  );
}

/** The Zaken API's resources the simulator serves (below /zaken/api/v1); anything else is 404. */
export function answerZaken(
  req: RouteRequest,
  register: PermitRegister,
  ctx: ApiContext,
  rctx: RenderContext,
): RouteAnswer {
  const [resource, id, ...rest] = req.path.split("/").filter((s) => s !== "");
  const query = req.url.searchParams;
  if (rest.length > 0 || resource === undefined || !RESOURCES.includes(resource)) return fout(ctx, req, 404);
  if (resource === "zaken" && id === "_zoek")
    return req.method === "POST" ? zoek(ctx, req, register, rctx) : fout(ctx, req, 404);
  if (req.method !== "GET") return fout(ctx, req, 404);

  if (id !== undefined) {
    const found = register.zaakVan(id);
    const problems = unknownParams(query, []);
    if (problems.length > 0) return fout(ctx, req, 400, { invalidParams: problems });
    if (resource === "zaken") {
      const crs = crsProblem(ctx, req, false);
      if (crs) return crs;
      return found?.uuid === id.toLowerCase() ? json(renderZaak(found, rctx), true) : fout(ctx, req, 404);
    }
    const rol = resource === "rollen" ? found?.rollen.find((r) => r.uuid === id.toLowerCase()) : undefined;
    if (rol && found) return json(renderRol(found, rol, rctx));
    const object =
      resource === "zaakobjecten" ? found?.objecten.find((o) => o.uuid === id.toLowerCase()) : undefined;
    if (object && found) return json(renderZaakObject(found, object, rctx));
    return fout(ctx, req, 404);
  }

  const filters = (names: readonly string[]) =>
    Object.fromEntries(names.map((n) => [n, query.get(n) ?? undefined]));
  switch (resource) {
    case "zaken": {
      const crs = crsProblem(ctx, req, false);
      if (crs) return crs;
      const problems = [
        ...unknownParams(query, [...ZAAK_FILTERS, "page"]),
        ...checkFilters(filters(ZAAK_FILTERS)),
      ];
      if (problems.length > 0) return fout(ctx, req, 400, { invalidParams: problems });
      const found = selectZaken(register, rctx, filters(ZAAK_FILTERS));
      return pageOf(
        ctx,
        req,
        found.map((z) => renderZaak(z, rctx)),
        true,
      );
    }
    case "zaakobjecten": {
      const problems = unknownParams(query, ["zaak", "object", "objectType", "page"]);
      const object = query.get("object");
      const zaak = query.get("zaak");
      for (const [name, value] of [
        ["object", object],
        ["zaak", zaak],
      ] as const)
        if (value !== null && !URL.canParse(value))
          problems.push(invalidParam(name, "invalid", "Voer een geldige URL in."));
      if (problems.length > 0) return fout(ctx, req, 400, { invalidParams: problems });
      const aoid = object?.split("/").pop() ?? "";
      const zaken =
        object !== null
          ? rctx.bagObjectUrl(aoid) === object
            ? register.zakenBijObject(aoid)
            : []
          : zaak !== null
            ? [register.zaak(uuidIn(zaak, ctx.base, "zaken") ?? "")].flatMap((z) => z ?? [])
            : [...register.zaken()];
      const type = query.get("objectType");
      const found = zaken
        .filter((z) => zaak === null || zaakUrl(z, rctx) === zaak)
        .flatMap((z) => z.objecten.map((o) => renderZaakObject(z, o, rctx)))
        .filter(
          (o) => (object === null || o["object"] === object) && (type === null || o["objectType"] === type),
        );
      return pageOf(ctx, req, found);
    }
    case "rollen": {
      const names = ["zaak", "betrokkeneType", "page"];
      const problems = unknownParams(query, names);
      const zaak = query.get("zaak");
      if (zaak !== null && !URL.canParse(zaak))
        problems.push(invalidParam("zaak", "invalid", "Voer een geldige URL in."));
      if (problems.length > 0) return fout(ctx, req, 400, { invalidParams: problems });
      const zaken =
        zaak === null
          ? [...register.zaken()]
          : [register.zaak(uuidIn(zaak, ctx.base, "zaken") ?? "")].flatMap((z) => z ?? []);
      const type = query.get("betrokkeneType");
      const found = zaken.flatMap((z) =>
        z.rollen.filter((r) => type === null || r.betrokkene.type === type).map((r) => renderRol(z, r, rctx)),
      );
      return pageOf(ctx, req, found);
    }
    default:
      return fout(ctx, req, 404);
  }
}
