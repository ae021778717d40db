import type { z } from "zod";
import { err, ok, parseBsn, type Result, type SourceError } from "../../shared/index.ts";
import { createUpstreamJson, type UpstreamClientOptions } from "../http/index.ts";
import {
  BRK_ID,
  brkBeslagenResponseSchema,
  brkHypothekenResponseSchema,
  brkNietNatuurlijkPersoonSchema,
  brkPrivaatrechtelijkeBeperkingenResponseSchema,
  brkPubliekrechtelijkeBeperkingenResponseSchema,
  brkStukSchema,
  brkZakelijkGerechtigdenResponseSchema,
  brkZakenResponseSchema,
  type BrkBeslag,
  type BrkHypotheek,
  type BrkNietNatuurlijkPersoon,
  type BrkPrivaatrechtelijkeBeperking,
  type BrkPubliekrechtelijkeBeperking,
  type BrkStuk,
  type BrkZaak,
  type BrkZakelijkGerechtigde,
} from "./brk-schema.ts";
import { createTlsFetch, type ClientTls } from "./brk-tls.ts";

/**
 * Base URL including `/bevragen/v2`, e.g. https://api.brk.kadaster.nl/esd/bevragen/v2; the API key
 * goes in `X-Api-Key` (securitySchemes.apiKeyAuth). With `tls` every call presents that client
 * certificate (mTLS, required by the production endpoint).
 */
export interface BrkClientOptions extends UpstreamClientOptions {
  readonly tls?: ClientTls | undefined;
}

/** Exactly category 3 ("Adres") of GET /kadastraalonroerendezaken. */
export interface BrkAdresZoekvraag {
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
  readonly huisnummertoevoeging?: string | undefined;
}

type R<T> = Promise<Result<T, SourceError>>;

export interface BrkClient {
  /** `GET /kadastraalonroerendezaken?postcode&huisnummer…`; none found is an empty list. */
  zakenOpAdres(vraag: BrkAdresZoekvraag): R<BrkZaak[]>;
  /** `GET /kadastraalonroerendezaken?nummeraanduidingIdentificatie=…` (a BAG id, 16 digits). */
  zakenOpNummeraanduiding(nummeraanduidingIdentificatie: string): R<BrkZaak[]>;
  /** `POST /kadastraalonroerendezaken` with `{burgerservicenummer}`: the zaken this person holds a right on. */
  zakenVanPersoon(bsn: string): R<BrkZaak[]>;
  /** `GET /kadastraalonroerendezaken?persoon__identificatie=…` (a Kadaster person). */
  zakenVanKadasterPersoon(identificatie: string): R<BrkZaak[]>;
  /** `GET /kadastraalonroerendezaken/{id}/zakelijkgerechtigden`; an unknown zaak is an empty list. */
  zakelijkGerechtigden(zaakId: string): R<BrkZakelijkGerechtigde[]>;
  /** `GET /kadastraalonroerendezaken/{id}/hypotheken`. */
  hypotheken(zaakId: string): R<BrkHypotheek[]>;
  /** `GET /kadastraalonroerendezaken/{id}/beslagen`. */
  beslagen(zaakId: string): R<BrkBeslag[]>;
  /** `GET /kadastraalonroerendezaken/{id}/privaatrechtelijkebeperkingen`. */
  privaatrechtelijkeBeperkingen(zaakId: string): R<BrkPrivaatrechtelijkeBeperking[]>;
  /** `GET /publiekrechtelijkebeperkingen?kadastraalOnroerendeZaakIdentificatie=…`. */
  publiekrechtelijkeBeperkingen(zaakId: string): R<BrkPubliekrechtelijkeBeperking[]>;
  /** `GET /kadasternietnatuurlijkpersonen/{id}`: a company that holds a right; null if unknown. */
  nietNatuurlijkPersoon(identificatie: string): R<BrkNietNatuurlijkPersoon | null>;
  /** `GET /stukken/{id}`: a deed; null if unknown. */
  stuk(identificatie: string): R<BrkStuk | null>;
}

/** The only CRS the API supports (header Accept-Crs of the endpoints with geometry). */
const ACCEPT_CRS = "epsg:28992";
const POSTCODE = /^[1-9][0-9]{3}[A-Z]{2}$/;
const NUMMERAANDUIDING = /^[0-9]{16}$/;

const rejected = (reason: string) => err<SourceError>({ kind: "rejected", reason });

/**
 * Client for BRK-Bevragen v2 (Kadaster). Input is checked against the spec's patterns before any
 * call (invalid input is `rejected`, not "not found"); a 404 on a sub-resource or a single
 * resource is "nothing there"; every other failure is mapped as for every source
 * (http/http-errors.ts), so a probe over it can only be UNKNOWN.
 */
export function createBrkClient(options: BrkClientOptions): BrkClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const fetch = options.fetch ?? (options.tls ? createTlsFetch(options.tls) : undefined);
  const upstream = createUpstreamJson({ ...options, fetch, apiKeyHeader: "X-Api-Key" });
  const headers = { Accept: "application/hal+json", "Accept-Crs": ACCEPT_CRS };

  const get = async <S extends z.ZodType>(path: string, schema: S): R<z.output<S> | null> => {
    const answer = await upstream({ url: base + path, method: "GET", headers }, schema);
    if (!answer.ok && answer.error.status === 404) return ok(null);
    return answer;
  };
  /** A search: the spec documents no 404 for it, so an unexpected one is no "nothing found". */
  const search = async (query: URLSearchParams): R<BrkZaak[]> => {
    const answer = await upstream(
      { url: `${base}/kadastraalonroerendezaken?${query}`, method: "GET", headers },
      brkZakenResponseSchema,
    );
    return answer.ok ? ok(answer.value._embedded?.kadastraalOnroerendeZaken ?? []) : answer;
  };
  const list = async <S extends z.ZodType, T>(
    id: string,
    path: (id: string) => string,
    schema: S,
    pick: (body: z.output<S>) => T[] | undefined,
  ): R<T[]> => {
    if (!BRK_ID.test(id)) return rejected("invalid_identificatie");
    const answer = await get(path(encodeURIComponent(id)), schema);
    if (!answer.ok) return answer;
    return ok(answer.value === null ? [] : (pick(answer.value) ?? []));
  };
  const zaak = (sub: string) => (id: string) => `/kadastraalonroerendezaken/${id}/${sub}`;

  return {
    zakenOpAdres(vraag) {
      const postcode = vraag.postcode.replace(/\s+/g, "").toUpperCase();
      if (!POSTCODE.test(postcode)) return Promise.resolve(rejected("invalid_postcode"));
      if (!Number.isInteger(vraag.huisnummer) || vraag.huisnummer < 1 || vraag.huisnummer > 99999)
        return Promise.resolve(rejected("invalid_huisnummer"));
      if (vraag.huisletter !== undefined && !/^[a-zA-Z]$/.test(vraag.huisletter))
        return Promise.resolve(rejected("invalid_huisletter"));
      if (vraag.huisnummertoevoeging !== undefined && !/^[a-zA-Z0-9]{1,4}$/.test(vraag.huisnummertoevoeging))
        return Promise.resolve(rejected("invalid_huisnummertoevoeging"));
      const query = new URLSearchParams({ postcode, huisnummer: String(vraag.huisnummer) });
      if (vraag.huisletter !== undefined) query.set("huisletter", vraag.huisletter);
      if (vraag.huisnummertoevoeging !== undefined)
        query.set("huisnummertoevoeging", vraag.huisnummertoevoeging);
      return search(query);
    },
    zakenOpNummeraanduiding(id) {
      if (!NUMMERAANDUIDING.test(id)) return Promise.resolve(rejected("invalid_identificatie"));
      return search(new URLSearchParams({ nummeraanduidingIdentificatie: id }));
    },
    async zakenVanPersoon(input) {
      const bsn = parseBsn(input);
      if (!bsn.ok) return rejected("invalid_bsn");
      const answer = await upstream(
        {
          url: `${base}/kadastraalonroerendezaken`,
          method: "POST",
          headers: { ...headers, "Content-Type": "application/json" },
          body: JSON.stringify({ burgerservicenummer: bsn.value }),
          // A search by POST (so the BSN is not in a URL): repeating it changes nothing.
          idempotent: true,
        },
        brkZakenResponseSchema,
      );
      return answer.ok ? ok(answer.value._embedded?.kadastraalOnroerendeZaken ?? []) : answer;
    },
    zakenVanKadasterPersoon(id) {
      if (!BRK_ID.test(id)) return Promise.resolve(rejected("invalid_identificatie"));
      return search(new URLSearchParams({ persoon__identificatie: id }));
    },
    zakelijkGerechtigden: (id) =>
      list(
        id,
        zaak("zakelijkgerechtigden"),
        brkZakelijkGerechtigdenResponseSchema,
        (b) => b._embedded?.zakelijkGerechtigden,
      ),
    hypotheken: (id) =>
      list(id, zaak("hypotheken"), brkHypothekenResponseSchema, (b) => b._embedded?.hypotheken),
    beslagen: (id) => list(id, zaak("beslagen"), brkBeslagenResponseSchema, (b) => b._embedded?.beslagen),
    privaatrechtelijkeBeperkingen: (id) =>
      list(
        id,
        zaak("privaatrechtelijkebeperkingen"),
        brkPrivaatrechtelijkeBeperkingenResponseSchema,
        (b) => b._embedded?.privaatrechtelijkeBeperkingen,
      ),
    async publiekrechtelijkeBeperkingen(id) {
      if (!BRK_ID.test(id)) return rejected("invalid_identificatie");
      // A search like /kadastraalonroerendezaken: no 404 documented, so none is "nothing found".
      const query = new URLSearchParams({ kadastraalOnroerendeZaakIdentificatie: id });
      const answer = await upstream(
        { url: `${base}/publiekrechtelijkebeperkingen?${query}`, method: "GET", headers },
        brkPubliekrechtelijkeBeperkingenResponseSchema,
      );
      return answer.ok ? ok(answer.value._embedded?.publiekrechtelijkeBeperkingen ?? []) : answer;
    },
    async nietNatuurlijkPersoon(id) {
      if (!BRK_ID.test(id)) return rejected("invalid_identificatie");
      return get(`/kadasternietnatuurlijkpersonen/${encodeURIComponent(id)}`, brkNietNatuurlijkPersoonSchema);
    },
    async stuk(id) {
      if (!BRK_ID.test(id)) return rejected("invalid_identificatie");
      return get(`/stukken/${encodeURIComponent(id)}`, brkStukSchema);
    },
  };
}
