import { isActive, type Company, type Vestiging } from "./kvk-model.ts";
import { renderResultaatItem, type RenderContext } from "./kvk-render.ts";
import type { KvkRegister } from "./kvk-synthetic.ts";

/** KVK's error body (kvk-zoeken-v2.openapi.yaml `Error`). Codes follow KVK's IPD numbering style. */
export interface Fout {
  readonly fout: readonly { readonly code: string; readonly omschrijving: string }[];
}
export const fout = (code: string, omschrijving: string): Fout => ({ fout: [{ code, omschrijving }] });
export const NO_RESULTS = fout("IPD5200", "Geen resultaten gevonden.");
const invalid = (name: string) => fout("IPD1002", `De parameter ${name} is niet valide.`);

export type ZoekOutcome =
  | { readonly status: 200; readonly body: Record<string, unknown> }
  | { readonly status: 400 | 404; readonly body: Fout };

const PATTERNS: Readonly<Record<string, RegExp>> = {
  kvkNummer: /^[0-9]{8}$/,
  rsin: /^[0-9]{9}$/,
  vestigingsnummer: /^[0-9]{12}$/,
  naam: /^.+$/s,
  straatnaam: /^.+$/s,
  plaats: /^.+$/s,
  postcode: /^[0-9]{4}[a-zA-Z]{2}$/,
  huisnummer: /^[0-9]{1,5}$/,
  huisletter: /^[a-zA-Z]$/,
  postbusnummer: /^[0-9]{1,5}$/,
  type: /^(hoofdvestiging|nevenvestiging|rechtspersoon)$/,
  inclusiefInactieveRegistraties: /^(true|false)$/,
  pagina: /^[0-9]{1,4}$/,
  resultatenPerPagina: /^[0-9]{1,3}$/,
};
const CRITERIA = ["kvkNummer", "rsin", "vestigingsnummer", "naam", "straatnaam", "plaats", "postcode"];

const includes = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

/**
 * GET /api/v2/zoeken over the register, validating as the spec says: parameter patterns, postcode
 * only with huisnummer or postbusnummer (and the reverse), huisletter only with huisnummer, pagina
 * 1–1000, resultatenPerPagina 1–100. No results is 404 with KVK's `fout` body (also a page past
 * the end). Inactive registrations only with inclusiefInactieveRegistraties=true.
 */
export function answerZoeken(query: URLSearchParams, register: KvkRegister, ctx: RenderContext): ZoekOutcome {
  const one = (name: string) => query.get(name) ?? undefined;
  for (const [name, value] of query) {
    const pattern = PATTERNS[name];
    if (!pattern) return { status: 400, body: fout("IPD1001", `Onbekende parameter ${name}.`) };
    const values = name === "type" ? value.split(",") : [value];
    if (!values.every((v) => pattern.test(v))) return { status: 400, body: invalid(name) };
    if (name !== "type" && query.getAll(name).length > 1) return { status: 400, body: invalid(name) };
  }
  const has = (name: string) => query.has(name);
  if (
    (has("postcode") && !has("huisnummer") && !has("postbusnummer")) ||
    (has("huisletter") && !has("huisnummer"))
  )
    return { status: 400, body: invalid(has("postcode") ? "postcode" : "huisletter") };
  if ((has("huisnummer") || has("postbusnummer")) && !has("postcode"))
    return { status: 400, body: invalid(has("huisnummer") ? "huisnummer" : "postbusnummer") };
  if (!CRITERIA.some(has))
    return { status: 400, body: fout("IPD1003", "Geef minimaal één zoekcriterium op.") };
  const pagina = Number(one("pagina") ?? 1);
  const perPage = Number(one("resultatenPerPagina") ?? 10);
  if (pagina < 1 || pagina > 1000) return { status: 400, body: invalid("pagina") };
  if (perPage < 1 || perPage > 100) return { status: 400, body: invalid("resultatenPerPagina") };

  const types = new Set(query.getAll("type").flatMap((t) => t.split(",")));
  const postcode = one("postcode")?.toUpperCase();
  const huisnummer = one("huisnummer");
  const huisletter = one("huisletter");
  const inactive = one("inclusiefInactieveRegistraties") === "true";

  const companyMatches = (c: Company) =>
    (inactive || isActive(c)) &&
    [one("kvkNummer")].every((k) => k === undefined || k === c.kvkNummer) &&
    [one("rsin")].every((r) => r === undefined || r === c.rsin);
  const itemMatches = (c: Company, v: Vestiging | undefined) => {
    const a = (v ?? c.vestigingen[0])?.adres;
    const naam = one("naam");
    const straat = one("straatnaam");
    const plaats = one("plaats");
    const nr = one("vestigingsnummer");
    return (
      (types.size === 0 ||
        types.has(v ? (v.hoofdvestiging ? "hoofdvestiging" : "nevenvestiging") : "rechtspersoon")) &&
      (nr === undefined || v?.vestigingsnummer === nr) &&
      (naam === undefined ||
        [c.naam, ...c.handelsnamen, ...(v?.handelsnamen ?? [])].some((n) => includes(n, naam))) &&
      (straat === undefined || (a !== undefined && includes(a.straatnaam, straat))) &&
      (plaats === undefined || a?.plaats.toLowerCase() === plaats.toLowerCase()) &&
      // The synthetic register has no postbus addresses: a postbusnummer search finds nothing.
      !has("postbusnummer") &&
      (postcode === undefined ||
        (a?.postcode === postcode && String(a.huisnummer) === String(Number(huisnummer)))) &&
      (huisletter === undefined || (a?.huisletter ?? "").toLowerCase() === huisletter.toLowerCase())
    );
  };

  const items: [Company, Vestiging | undefined][] = [];
  for (const c of register.companies) {
    if (!companyMatches(c)) continue;
    for (const v of [...(c.rsin ? [undefined] : []), ...c.vestigingen])
      if (itemMatches(c, v)) items.push([c, v]);
  }
  const totaal = Math.min(items.length, 1000);
  const page = items.slice((pagina - 1) * perPage, Math.min(pagina * perPage, totaal));
  if (page.length === 0) return { status: 404, body: NO_RESULTS };

  const href = (p: number) => {
    const q = new URLSearchParams(query);
    q.set("pagina", String(p));
    q.set("resultatenPerPagina", String(perPage));
    return `${ctx.origin}/api/v2/zoeken?${q.toString()}`;
  };
  const hasNext = pagina * perPage < totaal;
  return {
    status: 200,
    body: {
      pagina,
      resultatenPerPagina: perPage,
      totaal,
      ...(pagina > 1 ? { vorige: href(pagina - 1) } : {}),
      ...(hasNext ? { volgende: href(pagina + 1) } : {}),
      resultaten: page.map(([c, v]) => renderResultaatItem(c, v, ctx, postcode !== undefined)),
      links: [
        { rel: "self", href: href(pagina) },
        ...(pagina > 1 ? [{ rel: "vorige", href: href(pagina - 1) }] : []),
        ...(hasNext ? [{ rel: "volgende", href: href(pagina + 1) }] : []),
      ],
    },
  };
}
