import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import { createUpstreamJson, type UpstreamClientOptions } from "../http/index.ts";
import {
  BAG_ID,
  HUISLETTER,
  HUISNUMMERTOEVOEGING,
  POSTCODE,
  WOZ_FIELDS,
  WOZ_OBJECT_NUMMER,
  wozObjectCollectieSchema,
  wozObjectSchema,
  type WozObject,
} from "./woz-schema.ts";

/**
 * Base URL of a WOZ Bevragen v1 API, without `/wozobjecten`. The spec declares no security
 * scheme; the API key goes in `X-Api-Key`, as for the other Haal Centraal and Kadaster APIs.
 */
export type WozClientOptions = UpstreamClientOptions;

/** How `GET /wozobjecten` finds objects: by address, or by a BAG identification (as the spec allows). */
export type WozZoekvraag =
  | {
      readonly postcode: string;
      readonly huisnummer: number;
      readonly huisletter?: string | undefined;
      readonly huisnummertoevoeging?: string | undefined;
    }
  | { readonly adresseerbaarObjectIdentificatie: string }
  | { readonly nummeraanduidingIdentificatie: string };

export interface WozClient {
  /** `GET /wozobjecten?…`: the current WOZ objects the search finds; none found is an empty list. */
  zoekWozObjecten(vraag: WozZoekvraag): Promise<Result<WozObject[], SourceError>>;
  /** `GET /wozobjecten/{identificatie}` by WOZ-objectnummer; null if the WOZ has no such object. */
  wozObject(identificatie: string): Promise<Result<WozObject | null, SourceError>>;
}

/** Most results per page the spec allows; one address or BAG object never has more WOZ objects. */
const PAGE_SIZE = 100;
const FIELDS = WOZ_FIELDS.join(",");

const rejected = (reason: string) => err<SourceError>({ kind: "rejected", reason });

/** The query string of a search, or why the search is refused before any call. */
function zoekQuery(vraag: WozZoekvraag): Result<URLSearchParams, SourceError> {
  if ("adresseerbaarObjectIdentificatie" in vraag) {
    if (!BAG_ID.test(vraag.adresseerbaarObjectIdentificatie)) return rejected("invalid_identificatie");
    return ok(
      new URLSearchParams({ adresseerbaarObjectIdentificatie: vraag.adresseerbaarObjectIdentificatie }),
    );
  }
  if ("nummeraanduidingIdentificatie" in vraag) {
    if (!BAG_ID.test(vraag.nummeraanduidingIdentificatie)) return rejected("invalid_identificatie");
    return ok(new URLSearchParams({ nummeraanduidingIdentificatie: vraag.nummeraanduidingIdentificatie }));
  }
  const postcode = vraag.postcode.replace(/\s+/g, "").toUpperCase();
  if (!POSTCODE.test(postcode)) return rejected("invalid_postcode");
  if (!Number.isInteger(vraag.huisnummer) || vraag.huisnummer < 1 || vraag.huisnummer > 99999)
    return rejected("invalid_huisnummer");
  if (vraag.huisletter !== undefined && !HUISLETTER.test(vraag.huisletter))
    return rejected("invalid_huisletter");
  if (vraag.huisnummertoevoeging !== undefined && !HUISNUMMERTOEVOEGING.test(vraag.huisnummertoevoeging))
    return rejected("invalid_huisnummertoevoeging");
  const query = new URLSearchParams({ postcode, huisnummer: String(vraag.huisnummer) });
  if (vraag.huisletter !== undefined) query.set("huisletter", vraag.huisletter);
  if (vraag.huisnummertoevoeging !== undefined) query.set("huisnummertoevoeging", vraag.huisnummertoevoeging);
  return ok(query);
}

/**
 * Client for WOZ Bevragen v1 (Waardering onroerende zaken). Input is checked against the spec's
 * patterns before any call (invalid input is `rejected`, never "nothing found"); only the fields
 * in WOZ_FIELDS are asked; a 404 on one object is `ok(null)`; every other failure is mapped as for
 * every source (http/http-errors.ts), inside the source's resilience.
 */
export function createWozClient(options: WozClientOptions): WozClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const upstream = createUpstreamJson({ ...options, apiKeyHeader: "X-Api-Key" });
  const headers = { Accept: "application/hal+json" };

  return {
    async zoekWozObjecten(vraag) {
      const query = zoekQuery(vraag);
      if (!query.ok) return query;
      query.value.set("fields", FIELDS);
      query.value.set("pageSize", String(PAGE_SIZE));
      const answer = await upstream(
        { url: `${base}/wozobjecten?${query.value}`, method: "GET", headers },
        wozObjectCollectieSchema,
      );
      // The search documents no 404: an unexpected one is a failure, not "nothing found".
      if (!answer.ok) return answer;
      return ok(answer.value._embedded?.wozObjecten ?? []);
    },
    async wozObject(identificatie) {
      if (!WOZ_OBJECT_NUMMER.test(identificatie)) return rejected("invalid_identificatie");
      const answer = await upstream(
        {
          url: `${base}/wozobjecten/${identificatie}?${new URLSearchParams({ fields: FIELDS })}`,
          method: "GET",
          headers,
        },
        wozObjectSchema,
      );
      // An unknown WOZ-objectnummer is an answer, not a failure.
      if (!answer.ok && answer.error.status === 404) return ok(null);
      return answer;
    },
  };
}
