import type { z } from "zod";
import { err, ok, type Result, type SourceError } from "../../shared/index.ts";
import { createUpstreamJson, type UpstreamClientOptions } from "../http/index.ts";
import {
  ADRESSEERBAAR_OBJECT_ID,
  adresseerbaarObjectResponseSchema,
  adressenResponseSchema,
  PAND_ID,
  pandResponseSchema,
  VERBLIJFSOBJECT_ID,
  verblijfsobjectResponseSchema,
  type BagAdres,
  type BagAdresseerbaarObject,
  type BagPand,
  type BagVerblijfsobject,
} from "./bag-schema.ts";

/** Base URL without a resource, e.g. https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2; an API key goes in `X-Api-Key`. */
export type BagClientOptions = UpstreamClientOptions;

export interface BagAdresZoekvraag {
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
  /** Only addresses with exactly this huisletter / toevoeging (absent = none), see the exacte_match feature. */
  readonly exacteMatch?: boolean | undefined;
}

export interface BagClient {
  /** `GET /adressen?postcode&huisnummer…`: the current addresses; none found is an empty list. */
  zoekAdressen(vraag: BagAdresZoekvraag): Promise<Result<BagAdres[], SourceError>>;
  /** `GET /adressen?adresseerbaarObjectIdentificatie=…`: the object's main and secondary addresses. */
  adressenVanObject(id: string): Promise<Result<BagAdres[], SourceError>>;
  /** `GET /adresseerbareobjecten/{id}`: a verblijfsobject, standplaats or ligplaats; null if unknown. */
  adresseerbaarObject(id: string): Promise<Result<BagAdresseerbaarObject | null, SourceError>>;
  /** `GET /verblijfsobjecten/{id}`; null if unknown. */
  verblijfsobject(id: string): Promise<Result<BagVerblijfsobject | null, SourceError>>;
  /** `GET /panden/{id}`; null if unknown. */
  pand(id: string): Promise<Result<BagPand | null, SourceError>>;
}

/** The only CRS the BAG API supports; required for every answer with geometry. */
const ACCEPT_CRS = "epsg:28992";
/** Most results per page the spec allows; a postcode + huisnummer never has more addresses. */
const PAGE_SIZE = 100;

const rejected = (reason: string) => err<SourceError>({ kind: "rejected", reason });

/**
 * Client for BAG Individuele Bevragingen v2 (Kadaster). Input is checked against the spec's
 * patterns before any call (an invalid identification is `rejected`, not "not found"); a 404 is
 * `ok(null)`; everything else is mapped as for every source (http/http-errors.ts).
 */
export function createBagClient(options: BagClientOptions): BagClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const upstream = createUpstreamJson({ ...options, apiKeyHeader: "X-Api-Key" });

  async function get<S extends z.ZodType>(
    path: string,
    schema: S,
    geometry: boolean,
  ): Promise<Result<z.output<S> | null, SourceError>> {
    const answer = await upstream(
      {
        url: base + path,
        method: "GET",
        headers: { Accept: "application/hal+json", ...(geometry ? { "Accept-Crs": ACCEPT_CRS } : {}) },
      },
      schema,
    );
    // An unknown identification is an answer, not a failure.
    if (!answer.ok && answer.error.status === 404) return ok(null);
    return answer;
  }

  const byId = async <S extends z.ZodType, T>(
    resource: string,
    pattern: RegExp,
    id: string,
    schema: S,
    pick: (body: z.output<S>) => T,
  ): Promise<Result<T | null, SourceError>> => {
    if (!pattern.test(id)) return rejected("invalid_identificatie");
    const result = await get(`/${resource}/${id}`, schema, true);
    return result.ok && result.value !== null
      ? ok(pick(result.value))
      : (result as Result<null, SourceError>);
  };

  return {
    async zoekAdressen(vraag) {
      const postcode = vraag.postcode.replace(/\s+/g, "").toUpperCase();
      if (!/^[1-9][0-9]{3}[A-Z]{2}$/.test(postcode)) return rejected("invalid_postcode");
      if (!Number.isInteger(vraag.huisnummer) || vraag.huisnummer < 1 || vraag.huisnummer > 99999)
        return rejected("invalid_huisnummer");
      if (vraag.huisletter !== undefined && !/^[a-zA-Z]$/.test(vraag.huisletter))
        return rejected("invalid_huisletter");
      if (vraag.huisnummertoevoeging !== undefined && !/^[0-9a-zA-Z]{1,4}$/.test(vraag.huisnummertoevoeging))
        return rejected("invalid_huisnummertoevoeging");
      const query = new URLSearchParams({ postcode, huisnummer: String(vraag.huisnummer) });
      if (vraag.huisletter !== undefined) query.set("huisletter", vraag.huisletter);
      if (vraag.huisnummertoevoeging !== undefined)
        query.set("huisnummertoevoeging", vraag.huisnummertoevoeging);
      if (vraag.exacteMatch !== undefined) query.set("exacteMatch", String(vraag.exacteMatch));
      query.set("pageSize", String(PAGE_SIZE));
      const result = await get(`/adressen?${query}`, adressenResponseSchema, false);
      if (!result.ok) return result;
      // /adressen documents no 404; an unexpected one is not "nothing found".
      if (result.value === null) return err({ kind: "rejected", status: 404, reason: "http_404" });
      return ok(result.value._embedded?.adressen ?? []);
    },
    async adressenVanObject(id) {
      if (!ADRESSEERBAAR_OBJECT_ID.test(id)) return rejected("invalid_identificatie");
      const query = new URLSearchParams({
        adresseerbaarObjectIdentificatie: id,
        pageSize: String(PAGE_SIZE),
      });
      const result = await get(`/adressen?${query}`, adressenResponseSchema, false);
      if (!result.ok) return result;
      if (result.value === null) return err({ kind: "rejected", status: 404, reason: "http_404" });
      return ok(result.value._embedded?.adressen ?? []);
    },
    adresseerbaarObject: (id) =>
      byId("adresseerbareobjecten", ADRESSEERBAAR_OBJECT_ID, id, adresseerbaarObjectResponseSchema, (o) => o),
    verblijfsobject: (id) =>
      byId(
        "verblijfsobjecten",
        VERBLIJFSOBJECT_ID,
        id,
        verblijfsobjectResponseSchema,
        (r) => r.verblijfsobject,
      ),
    pand: (id) => byId("panden", PAND_ID, id, pandResponseSchema, (r) => r.pand),
  };
}
