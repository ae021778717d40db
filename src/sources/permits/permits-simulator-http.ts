import { paginate } from "./permits-paging.ts";
import { invalidParam, zgwFout, type ZgwFoutStatus, type ZgwInvalidParam } from "./permits-problems.ts";

/** One request to one of the simulator's APIs, after faults and authentication. */
export interface RouteRequest {
  readonly method: string;
  /** Path below the API's base path, e.g. `/zaken/{uuid}`. */
  readonly path: string;
  /** The absolute request URL (for `next` / `previous`). */
  readonly url: URL;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body; undefined when absent or not JSON. */
  readonly body: unknown;
  /** `urn:uuid:…` for an error's `instance`. */
  readonly instance: string;
}

/** What one route answers (before faults and recording). */
export interface RouteAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiContext {
  /** Absolute base URL of the API (origin + base path). */
  readonly base: string;
  readonly pageSize: number;
}

export const CRS = "EPSG:4326";

export const fout = (
  ctx: ApiContext,
  req: RouteRequest,
  status: ZgwFoutStatus,
  extra: Parameters<typeof zgwFout>[3] = {},
): RouteAnswer => ({
  status,
  contentType: "application/problem+json",
  body: zgwFout(ctx.base, status, req.instance, extra),
});

export const json = (body: unknown, crs = false): RouteAnswer => ({
  status: 200,
  contentType: "application/json",
  body,
  ...(crs ? { headers: { "Content-Crs": CRS } } : {}),
});

/** The page the request asks for, or the 404 of a page past the end. */
export function pageOf<T>(ctx: ApiContext, req: RouteRequest, items: readonly T[], crs = false): RouteAnswer {
  const page = paginate(items, req.url, ctx.pageSize);
  return page ? json(page, crs) : fout(ctx, req, 404, { detail: "Ongeldige pagina." });
}

/**
 * Query parameters outside `allowed` are refused (the reference implementations answer
 * `unknown-parameters`): a filter the API would silently ignore would turn a search for one
 * subject into a list of everything.
 */
export function unknownParams(query: URLSearchParams, allowed: readonly string[]): ZgwInvalidParam[] {
  const unknown = [...new Set(query.keys())].filter((k) => !allowed.includes(k));
  return unknown.length === 0
    ? []
    : [
        invalidParam(
          "nonFieldErrors",
          "unknown-parameters",
          `Onbekende query parameters: ${unknown.join(", ")}`,
        ),
      ];
}

/** `Accept-Crs` as the ZAAK operations require it: absent is 412, another CRS 406. */
export function crsProblem(ctx: ApiContext, req: RouteRequest, contentToo: boolean): RouteAnswer | undefined {
  const accept = req.headers["accept-crs"];
  if (accept === undefined) return fout(ctx, req, 412);
  if (accept.toUpperCase() !== CRS)
    return fout(ctx, req, 406, { detail: `CRS '${accept.slice(0, 20)}' is niet ondersteund.` });
  const content = req.headers["content-crs"];
  if (contentToo && content === undefined)
    return fout(ctx, req, 412, { detail: "'Content-Crs' header ontbreekt" });
  if (contentToo && content?.toUpperCase() !== CRS)
    return fout(ctx, req, 406, { detail: "CRS is niet ondersteund." });
  return undefined;
}

/** The uuid at the end of a URL below `base` + `/resource/`, or undefined. */
export function uuidIn(url: string, base: string, resource: string): string | undefined {
  const prefix = `${base}/${resource}/`;
  if (!url.startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length).replace(/\/$/, "");
  return /^[0-9a-f-]{36}$/i.test(rest) ? rest.toLowerCase() : undefined;
}
