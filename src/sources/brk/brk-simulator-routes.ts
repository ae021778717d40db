import { parseBsn } from "../../shared/index.ts";
import { brkInvalidParam, brkProblem, type BrkProblemStatus } from "./brk-problems.ts";
import type { BrkZaakRecord } from "./brk-records.ts";
import {
  renderBeslag,
  renderHypotheek,
  renderNietNatuurlijkPersoon,
  renderPrivaatrechtelijkeBeperking,
  renderPubliekrechtelijkeBeperking,
  renderStuk,
  renderZaak,
  renderZakelijkGerechtigde,
} from "./brk-render.ts";
import type { BrkRegister } from "./brk-synthetic.ts";

/** What one simulator route answers (before faults and recording). */
export interface BrkRouteAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

export interface BrkRouteRequest {
  readonly method: string;
  /** Path below the base path, e.g. `/kadastraalonroerendezaken/09350000001000/hypotheken`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST; undefined when absent or not JSON. */
  readonly body: unknown;
  /** Absolute base URL, for `_links`. */
  readonly base: string;
  /** Absolute URL of the request, for `instance`. */
  readonly instance: string;
}

const HAL = "application/hal+json";
const ADRES = ["postcode", "huisnummer", "huisletter", "huisnummertoevoeging"];
const PATTERNS: Readonly<Record<string, RegExp>> = {
  postcode: /^[1-9][0-9]{3}[A-Z]{2}$/,
  huisnummer: /^[1-9][0-9]{0,4}$/,
  huisletter: /^[a-zA-Z]$/,
  huisnummertoevoeging: /^[a-zA-Z0-9]{1,4}$/,
  nummeraanduidingIdentificatie: /^[0-9]{16}$/,
  persoon__identificatie: /^.{1,60}$/,
  kadastraalOnroerendeZaakIdentificatie: /^.{1,60}$/,
};
/** Accepted and ignored: the simulator has no expansion and answers every field. */
const IGNORED = new Set(["fields", "expand"]);

/**
 * Answers one request as BRK-Bevragen v2 does: the searches of GET /kadastraalonroerendezaken
 * (exactly one category of parameters: address, nummeraanduiding or Kadaster person), the BSN
 * search by POST, the sub-resources of a zaak (404 for an unknown zaak), the public-law
 * restrictions, Kadaster niet-natuurlijke personen and stukken.
 */
export function answerBrkRequest(req: BrkRouteRequest, register: BrkRegister): BrkRouteAnswer {
  const problem = (status: BrkProblemStatus, params?: Parameters<typeof brkProblem>[2]) => ({
    status,
    contentType: "application/problem+json",
    body: brkProblem(status, req.instance, params),
  });
  const hal = (body: unknown) => ({ status: 200, contentType: HAL, body });
  const zaken = (list: readonly BrkZaakRecord[], withGerechtigden: boolean) =>
    hal({
      _links: { self: { href: req.instance } },
      _embedded: { kadastraalOnroerendeZaken: list.map((z) => renderZaak(z, req.base, withGerechtigden)) },
    });
  const badParams = () => {
    const bad = [...req.query.entries()].filter(
      ([k, v]) => !IGNORED.has(k) && !(PATTERNS[k]?.test(v) ?? false),
    );
    return bad.length > 0
      ? problem(
          400,
          bad.map(([k]) => brkInvalidParam(k, PATTERNS[k] ? "pattern" : "unknownParam")),
        )
      : undefined;
  };
  const segments = req.path.split("/").filter(Boolean).map(decodeURIComponent);
  const [resource, id, sub, ...rest] = segments;

  if (resource === "kadastraalonroerendezaken" && id === undefined && req.method === "POST") {
    const bsn = (req.body as { burgerservicenummer?: unknown } | undefined)?.burgerservicenummer;
    if (typeof bsn !== "string" || !parseBsn(bsn).ok)
      return problem(400, [
        brkInvalidParam("burgerservicenummer", typeof bsn === "string" ? "pattern" : "required"),
      ]);
    return zaken(register.zakenVanPersoon(bsn), false);
  }
  if (req.method !== "GET") return problem(404);

  if (resource === "kadastraalonroerendezaken" && id === undefined) {
    const invalid = badParams();
    if (invalid) return invalid;
    const q = req.query;
    const categories = [
      ADRES.some((k) => q.has(k)),
      q.has("nummeraanduidingIdentificatie"),
      q.has("persoon__identificatie"),
    ];
    if (categories.filter(Boolean).length !== 1) return problem(400);
    if (categories[0]) {
      const postcode = q.get("postcode");
      if (!postcode) return problem(400, [brkInvalidParam("postcode", "required")]);
      const huisnummer = q.get("huisnummer");
      return zaken(
        huisnummer === null
          ? []
          : register.zakenOpAdres({
              postcode,
              huisnummer: Number(huisnummer),
              huisletter: q.get("huisletter") ?? undefined,
              huisnummertoevoeging: q.get("huisnummertoevoeging") ?? undefined,
            }),
        true,
      );
    }
    if (categories[1]) {
      const z = register.zaakOpNummeraanduiding(q.get("nummeraanduidingIdentificatie") ?? "");
      return zaken(z ? [z] : [], true);
    }
    // Category 2 answers without the zakelijk gerechtigden (spec).
    return zaken(register.zakenVanKadasterPersoon(q.get("persoon__identificatie") ?? ""), false);
  }

  if (resource === "kadastraalonroerendezaken" && id !== undefined && rest.length === 0) {
    const z = register.zaak(id);
    if (!z) return problem(404);
    const self = `${req.base}/kadastraalonroerendezaken/${z.identificatie}`;
    const collection = (key: string, items: unknown[]) =>
      hal({ _links: { self: { href: req.instance } }, _embedded: { [key]: items } });
    switch (sub) {
      case undefined:
        return hal(renderZaak(z, req.base, true));
      case "zakelijkgerechtigden":
        return collection(
          "zakelijkGerechtigden",
          z.zakelijkGerechtigden.map((g) => renderZakelijkGerechtigde(g, self, req.base)),
        );
      case "hypotheken":
        return collection(
          "hypotheken",
          z.hypotheken.map((h) => renderHypotheek(h, self, req.base)),
        );
      case "beslagen":
        return collection(
          "beslagen",
          z.beslagen.map((b) => renderBeslag(b, self, req.base)),
        );
      case "privaatrechtelijkebeperkingen":
        return collection(
          "privaatrechtelijkeBeperkingen",
          z.privaatrechtelijkeBeperkingen.map((p) => renderPrivaatrechtelijkeBeperking(p, self, req.base)),
        );
      default:
        return problem(404);
    }
  }

  if (resource === "publiekrechtelijkebeperkingen" && id === undefined) {
    const invalid = badParams();
    if (invalid) return invalid;
    const zaakId = req.query.get("kadastraalOnroerendeZaakIdentificatie");
    if (!zaakId) return problem(400, [brkInvalidParam("kadastraalOnroerendeZaakIdentificatie", "required")]);
    const z = register.zaak(zaakId);
    return hal({
      _links: { self: { href: req.instance } },
      _embedded: {
        publiekrechtelijkeBeperkingen: (z?.publiekrechtelijkeBeperkingen ?? []).map((p) =>
          renderPubliekrechtelijkeBeperking(p, req.base),
        ),
      },
    });
  }
  if (resource === "kadasternietnatuurlijkpersonen" && id !== undefined && sub === undefined) {
    const p = register.kadasterNietNatuurlijkPersoon(id);
    return p ? hal(renderNietNatuurlijkPersoon(p, req.base)) : problem(404);
  }
  if (resource === "stukken" && id !== undefined && sub === undefined) {
    const s = register.stuk(id);
    return s ? hal(renderStuk(s, req.base)) : problem(404);
  }
  return problem(404);
}
