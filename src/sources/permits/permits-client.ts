import {
  err,
  ok,
  parseBsn,
  systemClock,
  type Clock,
  type Result,
  type SourceError,
} from "../../shared/index.ts";
import { passThrough, type FetchLike, type SourceResilience } from "../http/index.ts";
import { createZgwHttp } from "./permits-http.ts";
import { createZgwTokenSource } from "./permits-jwt.ts";
import {
  UUID,
  zaakObjectPageSchema,
  zaakPageSchema,
  zaakTypePageSchema,
  type Zaak,
  type ZaakType,
} from "./permits-schema.ts";

/** Where zaakobjecten point for a BAG adresseerbaar object unless told otherwise: BAG IB v2 in production. */
export const BAG_OBJECT_BASE_URL = "https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2";

/** The URL a zaakobject names for a BAG adresseerbaar object (verblijfsobject, standplaats, ligplaats). */
export const bagObjectUrl = (adresseerbaarObjectIdentificatie: string, base = BAG_OBJECT_BASE_URL): string =>
  `${base.replace(/\/+$/, "")}/adresseerbareobjecten/${adresseerbaarObjectIdentificatie}`;

export interface PermitsClientOptions {
  /** Base URL of the Zaken API, e.g. https://zaken.gemeente.nl/zaken/api/v1. */
  readonly zakenUrl: string;
  /** Base URL of the Catalogi API that holds the zaken's zaaktypen, e.g. …/catalogi/api/v1. */
  readonly catalogiUrl: string;
  /** ZGW client id (`iss`, `client_id`) and its shared secret (HS256). */
  readonly clientId: string;
  readonly secret: string;
  readonly timeoutMs: number;
  readonly fetch?: FetchLike | undefined;
  readonly clock?: Clock | undefined;
  readonly resilience?: SourceResilience | undefined;
  /** `user_id` / `user_representation` of the JWT (the ZRC's audit trail); default the client id / "Poortwachter". */
  readonly userId?: string | undefined;
  readonly userRepresentation?: string | undefined;
  /** Most pages one list may have (default 20: 2000 zaken at the usual 100 a page). */
  readonly maxPages?: number | undefined;
  /** Base URL the municipality's zaakobjecten use for BAG objects (default {@link BAG_OBJECT_BASE_URL}). */
  readonly bagUrl?: string | undefined;
}

/** The betrokkene a zaak is searched by, as the `rol__betrokkeneIdentificatie__…` filters name it. */
export type ZakenFilter =
  | { readonly natuurlijkPersoon: { readonly bsn: string } }
  | { readonly nietNatuurlijkPersoon: { readonly rsin: string } }
  | { readonly vestiging: { readonly vestigingsnummer: string } };

export interface PermitsClient {
  /** `GET /zaken?rol__betrokkeneIdentificatie__…=…`, every page. No zaken is an empty list. */
  zaken(filter: ZakenFilter): Promise<Result<Zaak[], SourceError>>;
  /** `GET /zaakobjecten?object=<BAG URL>` (every page), then those zaken by `POST /zaken/_zoek {uuid__in}`. */
  zakenBijObject(adresseerbaarObjectIdentificatie: string): Promise<Result<Zaak[], SourceError>>;
  /** `GET /zaaktypen` of the Catalogi API, every page. Not cached: see createPermitsLoaders. */
  zaaktypen(): Promise<Result<ZaakType[], SourceError>>;
}

export const DEFAULT_MAX_PAGES = 20;
/** uuids per `_zoek` call: one page of the usual page size. */
const UUIDS_PER_SEARCH = 100;
const ADRESSEERBAAR_OBJECT_ID = /^[0-9]{4}(01|02|03)[0-9]{10}$/;

const rejected = (reason: string) => err<SourceError>({ kind: "rejected", reason });
const malformed = (reason: string) => err<SourceError>({ kind: "malformed", status: 200, reason });

function filterParam(filter: ZakenFilter): Result<[string, string], SourceError> {
  const prefix = "rol__betrokkeneIdentificatie__";
  if ("natuurlijkPersoon" in filter) {
    const bsn = parseBsn(filter.natuurlijkPersoon.bsn);
    return bsn.ok ? ok([`${prefix}natuurlijkPersoon__inpBsn`, bsn.value]) : rejected("invalid_bsn");
  }
  if ("nietNatuurlijkPersoon" in filter) {
    const { rsin } = filter.nietNatuurlijkPersoon;
    return /^[0-9]{9}$/.test(rsin)
      ? ok([`${prefix}nietNatuurlijkPersoon__innNnpId`, rsin])
      : rejected("invalid_rsin");
  }
  const { vestigingsnummer } = filter.vestiging;
  return /^[0-9]{12}$/.test(vestigingsnummer)
    ? ok([`${prefix}vestiging__vestigingsNummer`, vestigingsnummer])
    : rejected("invalid_vestigingsnummer");
}

/**
 * Client for the ZGW Zaken API 1.5 and Catalogi API 1.3 (design.md "Upstream protocols"): JWT
 * HS256 client authentication, every call through `resilience` as an idempotent read, every page
 * followed, every failure a value (a 5xx, timeout, wrong content type or body of the wrong shape
 * is an error, never an empty list).
 *
 * Which filters, and why:
 * - per person: `rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn`;
 * - per company: the Zaken API has no KvK-number filter. `…nietNatuurlijkPersoon__innNnpId` holds
 *   the RSIN (RGBZ; the reference implementations validate it as one, gemma-zaken#1885), and an
 *   eenmanszaak has none; `…vestiging__vestigingsNummer` finds zaken of a vestiging. So a company
 *   is searched by its RSIN and by each vestigingsnummer (createPermitsLoaders does the fan-out);
 * - per address: zaken carry no address filter, but zaakobjecten do: `GET /zaakobjecten?object=`
 *   with the BAG URL of the adresseerbaar object (`objectType` is not added, so an object
 *   registered as `adres` and one as `terrein_gebouwd_object` are both found), then the zaken
 *   they name in one `POST /zaken/_zoek` with `uuid__in` (the GET list has no uuid filter).
 *   Every zaakobject returned must name the object asked for: an API that ignored the filter
 *   would otherwise make every zaak a hit.
 *
 * The client must be authorised (Autorisaties API) for `zaken.lezen` on every permit zaaktype up
 * to `zeer_geheim`: the Zaken API silently leaves out zaken a client may not see, which no client
 * can tell from "none".
 */
export function createPermitsClient(options: PermitsClientOptions): PermitsClient {
  const zakenBase = options.zakenUrl.replace(/\/+$/, "");
  const catalogiBase = options.catalogiUrl.replace(/\/+$/, "");
  const tokens = createZgwTokenSource(
    {
      clientId: options.clientId,
      secret: options.secret,
      userId: options.userId ?? options.clientId,
      userRepresentation: options.userRepresentation ?? "Poortwachter",
    },
    options.clock ?? systemClock,
  );
  const list = createZgwHttp({
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs,
    resilience: options.resilience ?? passThrough,
    tokens,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
  });

  /**
   * The uuid of a zaak URL (`…/zaken/{uuid}`); undefined for anything else. The host is not
   * compared: a zaakobject's zaak is one of the same Zaken API, whatever host name it renders.
   */
  const zaakUuid = (url: string): string | undefined => {
    const uuid = /\/zaken\/([^/?#]+)\/?$/.exec(url)?.[1] ?? "";
    return UUID.test(uuid) ? uuid.toLowerCase() : undefined;
  };

  async function zakenByUuid(uuids: readonly string[]): Promise<Result<Zaak[], SourceError>> {
    const found: Zaak[] = [];
    for (let i = 0; i < uuids.length; i += UUIDS_PER_SEARCH) {
      const chunk = uuids.slice(i, i + UUIDS_PER_SEARCH);
      const page = await list(
        { url: `${zakenBase}/zaken/_zoek`, method: "POST", body: { uuid__in: chunk }, crs: true },
        zaakPageSchema,
      );
      if (!page.ok) return page;
      if (page.value.some((z) => !chunk.includes(z.uuid.toLowerCase())))
        return malformed("filter_not_applied");
      found.push(...page.value);
    }
    // A zaakobject naming a zaak the API does not show us: not "no permit", but a zaak we may not see.
    const seen = new Set(found.map((z) => z.uuid.toLowerCase()));
    if (uuids.some((u) => !seen.has(u))) return err({ kind: "unauthorized", reason: "zaak_not_visible" });
    return ok(found);
  }

  return {
    async zaken(filter) {
      const param = filterParam(filter);
      if (!param.ok) return param;
      const query = new URLSearchParams([param.value]);
      return list({ url: `${zakenBase}/zaken?${query}`, method: "GET", crs: true }, zaakPageSchema);
    },
    async zakenBijObject(id) {
      if (!ADRESSEERBAAR_OBJECT_ID.test(id)) return rejected("invalid_identificatie");
      const object = bagObjectUrl(id, options.bagUrl);
      const query = new URLSearchParams({ object });
      const objecten = await list(
        { url: `${zakenBase}/zaakobjecten?${query}`, method: "GET", crs: false },
        zaakObjectPageSchema,
      );
      if (!objecten.ok) return objecten;
      if (objecten.value.some((o) => o.object !== object)) return malformed("filter_not_applied");
      const uuids = objecten.value.map((o) => zaakUuid(o.zaak));
      if (uuids.some((u) => u === undefined)) return malformed("unexpected_zaak_url");
      const distinct = [...new Set(uuids as string[])];
      return distinct.length === 0 ? ok([]) : zakenByUuid(distinct);
    },
    zaaktypen: () =>
      list({ url: `${catalogiBase}/zaaktypen`, method: "GET", crs: false }, zaakTypePageSchema),
  };
}
