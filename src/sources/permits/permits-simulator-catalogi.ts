import type { PermitRegister } from "./permits-records.ts";
import { invalidParam } from "./permits-problems.ts";
import type { RenderContext } from "./permits-render.ts";
import { renderZaaktype } from "./permits-render-zaaktype.ts";
import { CATALOGUS_UUID } from "./permits-catalogue.ts";
import {
  fout,
  json,
  pageOf,
  unknownParams,
  type ApiContext,
  type RouteAnswer,
  type RouteRequest,
} from "./permits-simulator-http.ts";

/** The Catalogi API's `GET /zaaktypen` (filters catalogus, identificatie, status) and `GET /zaaktypen/{uuid}`. */
export function answerCatalogi(
  req: RouteRequest,
  register: PermitRegister,
  ctx: ApiContext,
  rctx: RenderContext,
): RouteAnswer {
  const [resource, id, ...rest] = req.path.split("/").filter((s) => s !== "");
  const query = req.url.searchParams;
  if (req.method !== "GET" || resource !== "zaaktypen" || rest.length > 0) return fout(ctx, req, 404);
  if (id !== undefined) {
    const problems = unknownParams(query, ["datumGeldigheid"]);
    if (problems.length > 0) return fout(ctx, req, 400, { invalidParams: problems });
    const found = register.zaaktypen.find((t) => t.uuid === id.toLowerCase());
    return found ? json(renderZaaktype(found, rctx)) : fout(ctx, req, 404);
  }
  const problems = unknownParams(query, ["catalogus", "identificatie", "status", "page"]);
  const status = query.get("status");
  if (status !== null && !["alles", "concept", "definitief"].includes(status))
    problems.push(invalidParam("status", "invalid_choice", "Selecteer een geldige keuze."));
  if (problems.length > 0) return fout(ctx, req, 400, { invalidParams: problems });
  const catalogus = query.get("catalogus");
  const identificatie = query.get("identificatie");
  // Every zaaktype of the simulator is published (concept: false).
  const found = register.zaaktypen
    .filter(
      () =>
        status !== "concept" &&
        (catalogus === null || catalogus === `${ctx.base}/catalogussen/${CATALOGUS_UUID}`),
    )
    .filter((t) => identificatie === null || t.identificatie === identificatie);
  return pageOf(
    ctx,
    req,
    found.map((t) => renderZaaktype(t, rctx)),
  );
}
