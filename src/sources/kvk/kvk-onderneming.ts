import { ok, type KvkNummer, type Result, type SourceError } from "../../shared/index.ts";
import type { KvkLoaders } from "./kvk-loaders.ts";
import type { KvkBasisprofiel, KvkVestigingsprofiel } from "./kvk-schema.ts";

/** The gateway's HrOnderneming (schema/hr.graphql), assembled from Basisprofiel, Zoeken and Vestigingsprofiel. */
export interface HrOndernemingView {
  readonly kvkNummer: string;
  readonly naam: string | null;
  readonly statutaireNaam: string | null;
  readonly handelsnamen: readonly string[];
  readonly rechtsvorm: string | null;
  readonly uitgebreideRechtsvorm: string | null;
  readonly sbiActiviteiten: readonly HrSbi[];
  readonly formeleRegistratiedatum: string | null;
  readonly datumAanvang: string | null;
  readonly datumEinde: string | null;
  readonly totaalWerkzamePersonen: number | null;
  /** null when not asked for (then not fetched). */
  readonly vestigingen: readonly HrVestigingView[] | null;
}

export interface HrSbi {
  readonly sbiCode: string;
  readonly sbiOmschrijving: string | null;
  readonly indHoofdactiviteit: string | null;
}

export interface HrAdresView {
  readonly straatnaam: string | null;
  readonly huisnummer: number | null;
  readonly huisletter: string | null;
  readonly huisnummertoevoeging: string | null;
  readonly postcode: string | null;
  readonly plaats: string | null;
  readonly adresseerbaarObjectIdentificatie: string | null;
  readonly nummeraanduidingIdentificatie: string | null;
}

export interface HrVestigingView {
  readonly vestigingsnummer: string;
  readonly eersteHandelsnaam: string | null;
  readonly indHoofdvestiging: string | null;
  readonly indCommercieleVestiging: string | null;
  readonly adres: HrAdresView | null;
  readonly sbiActiviteiten: readonly HrSbi[];
  readonly totaalWerkzamePersonen: number | null;
}

const sbi = (list: KvkBasisprofiel["sbiActiviteiten"]): HrSbi[] =>
  (list ?? []).map((s) => ({
    sbiCode: s.sbiCode,
    sbiOmschrijving: s.sbiOmschrijving ?? null,
    indHoofdactiviteit: s.indHoofdactiviteit ?? null,
  }));

/** The bezoekadres of a vestiging (the correspondentieadres may be a postbus elsewhere). */
function bezoekadres(v: KvkVestigingsprofiel): HrAdresView | null {
  const a = v.adressen?.find((x) => x.type === "bezoekadres") ?? v.adressen?.[0];
  if (!a) return null;
  return {
    straatnaam: a.straatnaam ?? null,
    huisnummer: a.huisnummer ?? null,
    huisletter: a.huisletter ?? null,
    huisnummertoevoeging: a.huisnummerToevoeging ?? null,
    postcode: a.postcode?.replace(/\s+/g, "") ?? null,
    plaats: a.plaats ?? null,
    adresseerbaarObjectIdentificatie: a.geoData?.addresseerbaarObjectId ?? null,
    nummeraanduidingIdentificatie: a.geoData?.nummerAanduidingId ?? null,
  };
}

function vestigingView(v: KvkVestigingsprofiel): HrVestigingView {
  return {
    vestigingsnummer: v.vestigingsnummer,
    eersteHandelsnaam: v.eersteHandelsnaam ?? null,
    indHoofdvestiging: v.indHoofdvestiging ?? null,
    indCommercieleVestiging: v.indCommercieleVestiging ?? null,
    adres: bezoekadres(v),
    sbiActiviteiten: sbi(v.sbiActiviteiten),
    totaalWerkzamePersonen: v.totaalWerkzamePersonen ?? null,
  };
}

/** Every active vestiging of a registration, through Zoeken (all pages) then Vestigingsprofiel each. */
export async function loadVestigingen(
  loaders: KvkLoaders,
  kvkNummer: KvkNummer,
): Promise<Result<HrVestigingView[], SourceError>> {
  const found = await loaders.zoeken.load({
    params: { kvkNummer, type: ["hoofdvestiging", "nevenvestiging"] },
    allPages: true,
  });
  if (!found.ok) return found;
  const numbers = [
    ...new Set(found.value.resultaten.map((r) => r.vestigingsnummer).filter((n) => n !== undefined)),
  ];
  const profiles = await Promise.all(numbers.map((n) => loaders.vestigingsprofiel.load(n)));
  const out: HrVestigingView[] = [];
  for (const p of profiles) {
    if (!p.ok) return p;
    if (p.value) out.push(vestigingView(p.value));
  }
  // The hoofdvestiging first, then by number: a stable order for the caller.
  return ok(
    out.sort(
      (a, b) =>
        Number(b.indHoofdvestiging === "Ja") - Number(a.indHoofdvestiging === "Ja") ||
        a.vestigingsnummer.localeCompare(b.vestigingsnummer),
    ),
  );
}

/**
 * A registration as HrOnderneming; the vestigingen only when asked for. null when KVK does not know
 * the number; any upstream failure is an error, never a partial answer.
 */
export async function loadOnderneming(
  loaders: KvkLoaders,
  kvkNummer: KvkNummer,
  options: { readonly vestigingen: boolean },
): Promise<Result<HrOndernemingView | null, SourceError>> {
  const profiel = await loaders.basisprofiel.load(kvkNummer);
  if (!profiel.ok) return profiel;
  const p = profiel.value;
  if (p === null) return ok(null);
  let vestigingen: HrVestigingView[] | null = null;
  if (options.vestigingen) {
    const loaded = await loadVestigingen(loaders, kvkNummer);
    if (!loaded.ok) return loaded;
    vestigingen = loaded.value;
  }
  const eigenaar = p._embedded?.eigenaar;
  return ok({
    kvkNummer: p.kvkNummer,
    naam: p.naam ?? null,
    statutaireNaam: p.statutaireNaam ?? null,
    handelsnamen: (p.handelsnamen ?? []).map((h) => h.naam),
    rechtsvorm: eigenaar?.rechtsvorm ?? null,
    uitgebreideRechtsvorm: eigenaar?.uitgebreideRechtsvorm ?? null,
    sbiActiviteiten: sbi(p.sbiActiviteiten),
    formeleRegistratiedatum: p.formeleRegistratiedatum ?? null,
    datumAanvang: p.materieleRegistratie?.datumAanvang ?? null,
    datumEinde: p.materieleRegistratie?.datumEinde ?? null,
    totaalWerkzamePersonen: p.totaalWerkzamePersonen ?? null,
    vestigingen,
  });
}

/** KvK numbers of the registrations with an active vestiging at an address (Zoeken, all pages). */
export async function ondernemingenOpAdres(
  loaders: KvkLoaders,
  adres: { readonly postcode: string; readonly huisnummer: number; readonly huisletter?: string | undefined },
): Promise<Result<KvkNummer[], SourceError>> {
  const found = await loaders.zoeken.load({
    params: {
      postcode: adres.postcode,
      huisnummer: adres.huisnummer,
      ...(adres.huisletter ? { huisletter: adres.huisletter } : {}),
      type: ["hoofdvestiging", "nevenvestiging"],
    },
    allPages: true,
  });
  if (!found.ok) return found;
  return ok([...new Set(found.value.resultaten.map((r) => r.kvkNummer as KvkNummer))].sort());
}
