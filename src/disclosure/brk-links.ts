import type { VisibleCase } from "../cases/index.ts";
import {
  ok,
  parseBsn,
  parseKvkNummer,
  type BagId,
  type Bsn,
  type KvkNummer,
  type Result,
  type SourceError,
} from "../shared/index.ts";
import { kadasterPerceel, loadBrkZaken, type BrkZaak } from "../sources/brk/index.ts";
import { notConfigured } from "../sources/source-loaders.ts";
import type { DisclosureContext, DisclosureError } from "./disclosure-context.ts";
import { subjectFields, subjectLinks } from "./fields.ts";
import { objectAddressOf } from "./object-resolution.ts";
import { isObjectId, objectSubject, type ObjectRef, type Subject } from "./subject.ts";

/**
 * The Kadaster's fields and hops (issue 16): the open parcel data (source `kadaster`), the closed
 * rights, mortgages, attachments, restrictions and deeds (source `brk`), and the hops where the
 * BRK links: object → owners (persons by BSN, companies by KvK number), person → owned objects.
 * Each hop is decided by the brk field that holds the link, like the hops in links.ts; a subject
 * reached is decided again by its own sources.
 */

const object = objectSubject;
type Row = Readonly<Record<string, unknown>>;
/** Only the top-level parts some permitted unit reaches: the guard decides the leaves again. */
const only = (row: Row, units: readonly string[]): Row =>
  Object.fromEntries(
    Object.entries(row).filter(([k]) => units.some((u) => u === k || u.startsWith(`${k}.`))),
  );

/** The zaken of an object: by address; asked by BAG id, the BAG gives the address and the id narrows. */
async function zakenOfObject(
  ctx: DisclosureContext,
  ref: ObjectRef,
): Promise<Result<BrkZaak[], SourceError>> {
  const brk = ctx.sources.brk;
  if (!brk) return notConfigured();
  const adres = await objectAddressOf(ctx.sources, ref);
  if (!adres.ok) return adres;
  if (adres.value === null) return ok([]);
  const found = await brk.zakenOpAdres.load(adres.value);
  if (!found.ok || !isObjectId(ref)) return found;
  const id = ref.adresseerbaarObjectIdentificatie;
  return ok(
    found.value.filter((z) => (z.adressen ?? []).some((a) => a.adresseerbaarObjectIdentificatie === id)),
  );
}

/** ObjectView.kadaster: the open parcel data of the zaken at the object. */
export function objectKadaster(
  ctx: DisclosureContext,
  c: VisibleCase,
  ref: ObjectRef,
  paths: readonly string[],
) {
  return subjectFields(
    ctx,
    c,
    object(ref),
    "kadaster",
    paths,
    async (units) => {
      const zaken = await zakenOfObject(ctx, ref);
      return zaken.ok ? ok(zaken.value.map((z) => only(kadasterPerceel(z), units))) : zaken;
    },
    "many",
  );
}

/** The closed Kadaster data of `zaken` as fields of `subject` (source brk), only what `units` reach. */
function brkFields(
  ctx: DisclosureContext,
  c: VisibleCase,
  subject: Subject,
  paths: readonly string[],
  zaken: () => Promise<Result<BrkZaak[], SourceError>>,
) {
  return subjectFields(
    ctx,
    c,
    subject,
    "brk",
    paths,
    async (units) => {
      const brk = ctx.sources.brk;
      if (!brk) return notConfigured();
      const found = await zaken();
      if (!found.ok) return found;
      const rows = await loadBrkZaken(brk, found.value, units);
      return rows.ok ? ok(rows.value.map((r) => only(r, units))) : rows;
    },
    "many",
  );
}

/** ObjectView.brk: the closed Kadaster data of the zaken at the object. */
export const objectBrk = (ctx: DisclosureContext, c: VisibleCase, ref: ObjectRef, paths: readonly string[]) =>
  brkFields(ctx, c, object(ref), paths, () => zakenOfObject(ctx, ref));

/** The zaken a person holds a right on (`POST /kadastraalonroerendezaken` by BSN). */
function zakenOfPerson(ctx: DisclosureContext, bsn: Bsn): Promise<Result<BrkZaak[], SourceError>> {
  const brk = ctx.sources.brk;
  return brk ? brk.zakenVanPersoon.load(bsn) : Promise.resolve(notConfigured());
}

/** PersoonView.brk: the closed Kadaster data of the zaken the person holds a right on. */
export const personBrk = (ctx: DisclosureContext, c: VisibleCase, bsn: Bsn, paths: readonly string[]) =>
  brkFields(ctx, c, { kind: "persoon", bsn }, paths, () => zakenOfPerson(ctx, bsn));

/** PersoonView.eigendommen: the objects of the zaken the person holds a right on. */
export function personEigendommen(
  ctx: DisclosureContext,
  c: VisibleCase,
  bsn: Bsn,
): Promise<Result<readonly ObjectRef[], DisclosureError>> {
  return subjectLinks(
    ctx,
    c,
    { kind: "persoon", bsn },
    "brk",
    "adresseerbaarObjectIdentificaties",
    "brk.eigendommen",
    async () => {
      const zaken = await zakenOfPerson(ctx, bsn);
      if (!zaken.ok) return zaken;
      const ids = zaken.value.flatMap((z) =>
        (z.adressen ?? []).flatMap((a) => a.adresseerbaarObjectIdentificatie ?? []),
      );
      return ok([...new Set(ids)].sort().map((id) => ({ adresseerbaarObjectIdentificatie: id as BagId })));
    },
    object,
  );
}

/** The holders of rights on the object's zaken, as the link field `unit` of each names them. */
async function holdersOf<T extends string>(
  ctx: DisclosureContext,
  ref: ObjectRef,
  unit: "burgerservicenummer" | "kvkNummer",
): Promise<Result<T[], SourceError>> {
  const brk = ctx.sources.brk;
  if (!brk) return notConfigured();
  const zaken = await zakenOfObject(ctx, ref);
  if (!zaken.ok) return zaken;
  const rows = await loadBrkZaken(brk, zaken.value, [`zakelijkGerechtigden.${unit}`]);
  if (!rows.ok) return rows;
  // Only a well-formed identifier reaches a subject (a BSN passes the 11-check, a KvK number is 8 digits).
  const valid = unit === "burgerservicenummer" ? parseBsn : parseKvkNummer;
  const links = rows.value.flatMap((r) =>
    (r["zakelijkGerechtigden"] as readonly Row[]).flatMap((g) => {
      const v = g[unit];
      return typeof v === "string" && valid(v).ok ? [v as T] : [];
    }),
  );
  return ok([...new Set(links)].sort());
}

/** ObjectView.eigenaren: the natural persons holding a right on the object's zaken, by BSN. */
export function objectEigenaren(
  ctx: DisclosureContext,
  c: VisibleCase,
  ref: ObjectRef,
): Promise<Result<readonly Bsn[], DisclosureError>> {
  return subjectLinks(
    ctx,
    c,
    object(ref),
    "brk",
    "zakelijkGerechtigden.burgerservicenummer",
    "brk.eigenaren",
    async () => {
      const bsns = await holdersOf<Bsn>(ctx, ref, "burgerservicenummer");
      // A person whose processing in this case is restricted (GDPR art. 18) is not processed further.
      return bsns.ok ? ok(bsns.value.filter((b) => !c.restricted(`persoon:${b}`))) : bsns;
    },
    (bsn) => ({ kind: "persoon", bsn }),
  );
}

/** ObjectView.eigenaarOndernemingen: the companies holding a right on the object's zaken, by KvK number. */
export function objectEigenaarOndernemingen(
  ctx: DisclosureContext,
  c: VisibleCase,
  ref: ObjectRef,
): Promise<Result<readonly KvkNummer[], DisclosureError>> {
  return subjectLinks(
    ctx,
    c,
    object(ref),
    "brk",
    "zakelijkGerechtigden.kvkNummer",
    "brk.eigenaarOndernemingen",
    () => holdersOf<KvkNummer>(ctx, ref, "kvkNummer"),
    (kvkNummer) => ({ kind: "onderneming", kvkNummer }),
  );
}
