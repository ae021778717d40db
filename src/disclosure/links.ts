import type { VisibleCase } from "../cases/index.ts";
import {
  err,
  ISO_DATE_RULE,
  isIsoDate,
  ok,
  parsePostcode,
  type BagId,
  type Bsn,
  type KvkNummer,
  type Result,
  type SourceError,
} from "../shared/index.ts";
import { loadBagObject } from "../sources/bag/index.ts";
import { loadOnderneming, loadVestigingen, ondernemingenOpAdres } from "../sources/kvk/index.ts";
import { wholeHistory, type HistorieVerblijfplaats } from "../sources/historie/index.ts";
import type { Permit } from "../sources/permits/index.ts";
import { notConfigured } from "../sources/source-loaders.ts";
import { wozObjectFor } from "../sources/woz/index.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { subjectFields, subjectLinks } from "./fields.ts";
import { objectAddressOf, objectIdOf, todayOf } from "./object-resolution.ts";
import { objectSubject, type ObjectRef, type Subject } from "./subject.ts";

/**
 * The registries' links as hops between subjects (issue 3 "navigation"), and the fields of the
 * sources that are not the BRP. Every hop is a field of the source that holds the link, decided
 * like any field; the subject it reaches is decided again by its own sources.
 */

const object = objectSubject;
const under = (units: readonly string[], prefix: string) => units.some((u) => u.startsWith(`${prefix}.`));

/** ObjectView.bag: the BAG's fields of the object, fetching only the parts asked for. */
export function objectBag(ctx: DisclosureContext, c: VisibleCase, ref: ObjectRef, paths: readonly string[]) {
  return subjectFields(ctx, c, object(ref), "bag", paths, async (units) => {
    if (!ctx.sources.bag) return notConfigured();
    const loaded = await loadBagObject(ctx.sources.bag, ref, {
      adres: under(units, "adres"),
      adresseerbaarObject: under(units, "adresseerbaarObject"),
      panden: under(units, "panden"),
    });
    return loaded.ok ? ok(loaded.value as Readonly<Record<string, unknown>> | null) : loaded;
  });
}

/**
 * ObjectView.woz: the WOZ object of the object (hop object → WOZ, decided like any WOZ field). The
 * client asks the API only for catalogued properties; the guard decides every leaf.
 */
export function objectWoz(ctx: DisclosureContext, c: VisibleCase, ref: ObjectRef, paths: readonly string[]) {
  return subjectFields(ctx, c, object(ref), "woz", paths, async () => {
    if (!ctx.sources.woz) return notConfigured();
    const loaded = await wozObjectFor(ctx.sources.woz, ref);
    return loaded.ok ? ok(loaded.value as Readonly<Record<string, unknown>> | null) : loaded;
  });
}

/**
 * ObjectView.bewoners: the persons registered at the object on a date (BRP Bewoning). The date is
 * checked first, before the BAG translates the address or anything is audited (the edge checks
 * it too: src/server/argument-rules.ts).
 */
export function objectBewoners(
  ctx: DisclosureContext,
  c: VisibleCase,
  ref: ObjectRef,
  peildatum: string | undefined,
): Promise<Result<readonly Bsn[], DisclosureError>> {
  if (peildatum !== undefined && !isIsoDate(peildatum))
    return Promise.resolve(err({ kind: "bad_input", message: `peildatum: ${ISO_DATE_RULE}.` }));
  return subjectLinks(
    ctx,
    c,
    object(ref),
    "bewoning",
    "bewoners",
    "bewoning.bewoners",
    async () => {
      if (!ctx.sources.bewoning) return notConfigured();
      const id = await objectIdOf(ctx.sources, ref);
      if (!id.ok) return id;
      if (id.value === null) return ok([]);
      const loaded = await ctx.sources.bewoning.bewoning.load({
        adresseerbaarObjectIdentificatie: id.value,
        peildatum: peildatum ?? todayOf(ctx.clock),
      });
      if (!loaded.ok) return loaded;
      const bsns = loaded.value.flatMap((b) => b.bewoners.map((p) => p.burgerservicenummer));
      // A person whose processing in this case is restricted (GDPR art. 18) is not processed further,
      // not even as a resident of the address.
      const listed = bsns.filter((b): b is string => b !== undefined && !c.restricted(`persoon:${b}`));
      return ok([...new Set(listed)].sort() as Bsn[]);
    },
    (bsn) => ({ kind: "persoon", bsn }),
  );
}

/** ObjectView.ondernemingen: registrations with an active vestiging at the address (KVK Zoeken). */
export function objectOndernemingen(
  ctx: DisclosureContext,
  c: VisibleCase,
  ref: ObjectRef,
): Promise<Result<readonly KvkNummer[], DisclosureError>> {
  return subjectLinks(
    ctx,
    c,
    object(ref),
    "hr",
    "kvkNummer",
    "hr.ondernemingenOpAdres",
    async () => {
      if (!ctx.sources.hr) return notConfigured();
      const adres = await objectAddressOf(ctx.sources, ref);
      if (!adres.ok) return adres;
      return adres.value ? ondernemingenOpAdres(ctx.sources.hr, adres.value) : ok([]);
    },
    (kvkNummer) => ({ kind: "onderneming", kvkNummer }),
  );
}

/** OndernemingView.handelsregister: the registration's fields; vestigingen only when asked. */
export function ondernemingHandelsregister(
  ctx: DisclosureContext,
  c: VisibleCase,
  kvkNummer: KvkNummer,
  paths: readonly string[],
) {
  return subjectFields(ctx, c, { kind: "onderneming", kvkNummer }, "hr", paths, async (units) => {
    if (!ctx.sources.hr) return notConfigured();
    const loaded = await loadOnderneming(ctx.sources.hr, kvkNummer, {
      vestigingen: under(units, "vestigingen"),
    });
    return loaded.ok ? ok(loaded.value as unknown as Readonly<Record<string, unknown>> | null) : loaded;
  });
}

/** OndernemingView.vestigingen: the addresses of the registration's vestigingen, as objects. */
export function ondernemingVestigingen(
  ctx: DisclosureContext,
  c: VisibleCase,
  kvkNummer: KvkNummer,
): Promise<Result<readonly ObjectRef[], DisclosureError>> {
  const subject: Subject = { kind: "onderneming", kvkNummer };
  return subjectLinks(
    ctx,
    c,
    subject,
    "hr",
    "vestigingen.adres",
    "hr.vestigingen",
    async () => {
      if (!ctx.sources.hr) return notConfigured();
      const loaded = await loadVestigingen(ctx.sources.hr, kvkNummer);
      if (!loaded.ok) return loaded;
      const refs: ObjectRef[] = [];
      for (const v of loaded.value) {
        const a = v.adres;
        const postcode = a?.postcode ? parsePostcode(a.postcode) : undefined;
        if (a?.adresseerbaarObjectIdentificatie)
          refs.push({ adresseerbaarObjectIdentificatie: a.adresseerbaarObjectIdentificatie as BagId });
        else if (postcode?.ok && a?.huisnummer != null)
          refs.push({
            postcode: postcode.value,
            huisnummer: a.huisnummer,
            ...(a.huisletter ? { huisletter: a.huisletter } : {}),
            ...(a.huisnummertoevoeging ? { huisnummertoevoeging: a.huisnummertoevoeging } : {}),
          });
      }
      return ok(refs);
    },
    object,
  );
}

/** PersoonView.adres: the person's current address, reached through the BRP's link to the BAG. */
export function personAdres(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
): Promise<Result<readonly ObjectRef[], DisclosureError>> {
  const unit = "verblijfplaats.adresseerbaarObjectIdentificatie";
  return subjectLinks(
    ctx,
    c,
    { kind: "persoon", bsn },
    "brp",
    unit,
    "brp.adres",
    async () => {
      const loaded = await ctx.sources.brp.persoon.load({ bsn, fields: [unit] });
      if (!loaded.ok) return loaded;
      const id = (loaded.value as { verblijfplaats?: { adresseerbaarObjectIdentificatie?: string } } | null)
        ?.verblijfplaats?.adresseerbaarObjectIdentificatie;
      return ok(id ? [{ adresseerbaarObjectIdentificatie: id as BagId }] : []);
    },
    object,
  );
}

/** The person's whole residence history up to today (shared with the historie probe's call). */
function historyOf(ctx: DisclosureContext, bsn: Bsn): Promise<Result<HistorieVerblijfplaats[], SourceError>> {
  if (!ctx.sources.historie) return Promise.resolve(notConfigured());
  return wholeHistory(ctx.sources.historie, bsn, todayOf(ctx.clock));
}

/** PersoonView.eerdereAdressen: former (ended) addresses from the Verblijfplaatshistorie. */
export function personEerdereAdressen(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
): Promise<Result<readonly ObjectRef[], DisclosureError>> {
  const subject: Subject = { kind: "persoon", bsn };
  return subjectLinks(
    ctx,
    c,
    subject,
    "historie",
    "adresseerbaarObjectIdentificatie",
    "historie.eerdereAdressen",
    async () => {
      const loaded = await historyOf(ctx, bsn);
      if (!loaded.ok) return loaded;
      const ids = loaded.value
        .filter((v) => v.datumTot !== undefined && v.adresseerbaarObjectIdentificatie !== undefined)
        .map((v) => v.adresseerbaarObjectIdentificatie as BagId);
      return ok([...new Set(ids)].map((id) => ({ adresseerbaarObjectIdentificatie: id })));
    },
    object,
  );
}

/** PersoonView.verblijfplaatshistorie: the history's fields, most recent first. */
export function personVerblijfplaatshistorie(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
  paths: readonly string[],
) {
  return subjectFields(
    ctx,
    c,
    { kind: "persoon", bsn },
    "historie",
    paths,
    async (units) => {
      const loaded = await historyOf(ctx, bsn);
      if (!loaded.ok) return loaded;
      // The API has no `fields`: what was not permitted is dropped here, before the guard.
      return ok(
        loaded.value.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => units.includes(k)))),
      );
    },
    "many",
  );
}

/** The gateway's Vergunning (schema/permits.graphql) from a permit case. */
function vergunning(p: Permit): Readonly<Record<string, unknown>> {
  return {
    identificatie: p.identificatie ?? null,
    soort: p.kind,
    zaaktype: p.zaaktype?.omschrijving ?? null,
    omschrijving: p.omschrijving ?? null,
    registratiedatum: p.registratiedatum ?? null,
    startdatum: p.startdatum,
    einddatum: p.einddatum ?? null,
    status: p.status,
  };
}

/**
 * `vergunningen` on every view: the permit cases of a person, a company or an object, as fields
 * of the permits source (approved by a check in the model policy). Newest first.
 */
export function subjectVergunningen(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  paths: readonly string[],
) {
  return subjectFields(
    ctx,
    c,
    subject,
    "permits",
    paths,
    async (units) => {
      const loaders = ctx.sources.permits;
      if (!loaders) return notConfigured();
      let loaded: Result<Permit[], SourceError>;
      if (subject.kind === "persoon") loaded = await loaders.byBsn.load(subject.bsn);
      else if (subject.kind === "onderneming") loaded = await loaders.byKvkNummer.load(subject.kvkNummer);
      else {
        const id = await objectIdOf(ctx.sources, subject.ref);
        if (!id.ok) return id;
        loaded = id.value === null ? ok([]) : await loaders.byAdresseerbaarObject.load(id.value);
      }
      if (!loaded.ok) return loaded;
      return ok(
        [...loaded.value]
          .sort((a, b) => b.startdatum.localeCompare(a.startdatum))
          .map((p) => Object.fromEntries(Object.entries(vergunning(p)).filter(([k]) => units.includes(k)))),
      );
    },
    "many",
  );
}
