import { ok, type Result, type SourceError } from "../../shared/index.ts";
import type { BrkLoaders } from "./brk-loaders.ts";
import type { BrkPersoonBeperkt, BrkZaak } from "./brk-schema.ts";

type Row = Readonly<Record<string, unknown>>;

/** A KadasterPerceel (schema/brk.graphql): the open parcel data of a zaak, the API's names. */
export function kadasterPerceel(z: BrkZaak): Row {
  return {
    identificatie: z.identificatie,
    type: z.type ?? null,
    kadastraleAanduiding: z.kadastraleAanduiding ?? null,
    kadastraleGrootte: z.kadastraleGrootte?.waarde ?? null,
    aardCultuurBebouwd: z.aardCultuurBebouwd?.waarde ?? null,
    aardCultuurOnbebouwd: z.aardCultuurOnbebouwd?.waarde ?? null,
    adressen: (z.adressen ?? []).map((a) => ({
      straat: a.straat ?? null,
      huisnummer: a.huisnummer ?? null,
      huisletter: a.huisletter ?? null,
      huisnummertoevoeging: a.huisnummertoevoeging ?? null,
      postcode: a.postcode ?? null,
      woonplaats: a.woonplaats ?? null,
      nummeraanduidingIdentificatie: a.nummeraanduidingIdentificatie ?? null,
      adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie ?? null,
    })),
  };
}

const naam = (p: BrkPersoonBeperkt) => p.omschrijving ?? null;
const waarde = (w: { code: string; waarde?: string | undefined } | undefined) => w?.waarde ?? w?.code ?? null;
const ids = (xs: readonly string[] | undefined) => [...(xs ?? [])];

/** Every value of the results, or the first failure. */
function all<T>(results: readonly Result<T, SourceError>[]): Result<T[], SourceError> {
  const values: T[] = [];
  for (const r of results) {
    if (!r.ok) return r;
    values.push(r.value);
  }
  return ok(values);
}

/**
 * The closed data of zaken as BrkOnroerendeZaak rows (schema/brk.graphql), asking only the
 * sub-resources that `units` (the permitted catalogue units) reach. A company holding a right is
 * linked to the Handelsregister by the `kvkNummer` of its Kadaster person, looked up only when
 * that unit is permitted; a natural person by the BSN, which the API gives as the identificatie
 * of an ingeschreven natuurlijk persoon. Any failure fails the whole answer (never a partial one).
 */
export async function loadBrkZaken(
  loaders: BrkLoaders,
  zaken: readonly BrkZaak[],
  units: readonly string[],
): Promise<Result<Row[], SourceError>> {
  const want = (p: string) => units.some((u) => u === p || u.startsWith(`${p}.`));
  const stukken = want("stukken");
  const rows = await Promise.all(
    zaken.map(async (z): Promise<Result<Row, SourceError>> => {
      const id = z.identificatie;
      const none = Promise.resolve(ok([] as never[]));
      const [gerechtigden, hypotheken, beslagen, privaat, publiek] = await Promise.all([
        want("zakelijkGerechtigden") || stukken ? loaders.zakelijkGerechtigden.load(id) : none,
        want("hypotheken") || stukken ? loaders.hypotheken.load(id) : none,
        want("beslagen") || stukken ? loaders.beslagen.load(id) : none,
        want("privaatrechtelijkeBeperkingen") || stukken
          ? loaders.privaatrechtelijkeBeperkingen.load(id)
          : none,
        want("publiekrechtelijkeBeperkingen") || stukken
          ? loaders.publiekrechtelijkeBeperkingen.load(id)
          : none,
      ]);
      if (!gerechtigden.ok) return gerechtigden;
      if (!hypotheken.ok) return hypotheken;
      if (!beslagen.ok) return beslagen;
      if (!privaat.ok) return privaat;
      if (!publiek.ok) return publiek;
      const kvk = all(
        await Promise.all(
          gerechtigden.value.map(async (g) => {
            const p = g.persoon;
            if (!want("zakelijkGerechtigden.kvkNummer") || p?.identificatie === undefined) return ok(null);
            if (p.type !== "kadaster_niet_natuurlijk_persoon") return ok(null);
            const nnp = await loaders.nietNatuurlijkPersoon.load(p.identificatie);
            return nnp.ok ? ok(nnp.value?.kvkNummer ?? null) : nnp;
          }),
        ),
      );
      if (!kvk.ok) return kvk;
      const stukIds = [
        ...gerechtigden.value.flatMap((g) => ids(g.tenaamstelling?.stukIdentificaties)),
        ...[...hypotheken.value, ...beslagen.value, ...privaat.value, ...publiek.value].flatMap((x) =>
          ids(x.stukIdentificaties),
        ),
      ];
      const stukRows = all(
        stukken ? await Promise.all([...new Set(stukIds)].map((s) => loaders.stuk.load(s))) : [],
      );
      if (!stukRows.ok) return stukRows;
      return ok({
        identificatie: id,
        adresseerbaarObjectIdentificaties: (z.adressen ?? []).flatMap((a) =>
          a.adresseerbaarObjectIdentificatie ? [a.adresseerbaarObjectIdentificatie] : [],
        ),
        koopsom: z.koopsom
          ? { koopsom: z.koopsom.koopsom ?? null, koopjaar: z.koopsom.koopjaar ?? null }
          : null,
        zakelijkGerechtigden: gerechtigden.value.map((g, i) => ({
          identificatie: g.identificatie,
          type: g.type ?? null,
          aanvangsdatum: g.aanvangsdatum ?? null,
          aandeel: g.tenaamstelling?.aandeel
            ? `${g.tenaamstelling.aandeel.teller}/${g.tenaamstelling.aandeel.noemer}`
            : null,
          persoonType: g.persoon?.type ?? null,
          burgerservicenummer:
            g.persoon?.type === "ingeschreven_natuurlijk_persoon" ? (g.persoon.identificatie ?? null) : null,
          kvkNummer: kvk.value[i] ?? null,
          omschrijving: g.persoon ? naam(g.persoon) : null,
          stukIdentificaties: ids(g.tenaamstelling?.stukIdentificaties),
        })),
        hypotheken: hypotheken.value.map((h) => ({
          identificatie: h.identificatie,
          bedragZekerheidsstelling: h.bedragZekerheidsstelling?.som ?? null,
          hypotheekhouders: (h.hypotheekhouders ?? []).flatMap((p) =>
            p.omschrijving ? [p.omschrijving] : [],
          ),
          stukIdentificaties: ids(h.stukIdentificaties),
        })),
        beslagen: beslagen.value.map((b) => ({
          identificatie: b.identificatie,
          aard: waarde(b.aard),
          bedragVordering: b.bedragVordering?.som ?? null,
          beslagleggers: (b.beslagleggers ?? []).flatMap((p) => (p.omschrijving ? [p.omschrijving] : [])),
          stukIdentificaties: ids(b.stukIdentificaties),
        })),
        privaatrechtelijkeBeperkingen: privaat.value.map((p) => ({
          identificatie: p.identificatie,
          aard: waarde(p.aard),
          omschrijving: p.omschrijving ?? null,
          stukIdentificaties: ids(p.stukIdentificaties),
        })),
        publiekrechtelijkeBeperkingen: publiek.value.map((p) => ({
          identificatie: p.identificatie,
          grondslag: waarde(p.grondslag),
          datumInWerking: p.datumInWerking ?? null,
          bevoegdGezag: p.bevoegdGezag?.omschrijving ?? null,
          stukIdentificaties: ids(p.stukIdentificaties),
        })),
        stukken: stukRows.value.flatMap((s) =>
          s
            ? [
                {
                  identificatie: s.identificatie,
                  aard: waarde(s.aard),
                  deel: s.deelEnNummer?.deel ?? null,
                  nummer: s.deelEnNummer?.nummer ?? null,
                  soortRegister: waarde(s.deelEnNummer?.soortRegister),
                },
              ]
            : [],
        ),
      });
    }),
  );
  return all(rows);
}
