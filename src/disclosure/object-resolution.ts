import { ok, type BagId, type Clock, type Result, type SourceError } from "../shared/index.ts";
import { bagAdres, bagObjectId } from "../sources/bag/index.ts";
import { notConfigured, type SourceLoaders } from "../sources/source-loaders.ts";
import { isObjectId, type ObjectRef } from "./subject.ts";

/**
 * What other sources need of an object that the caller may have named the other way: Bewoning
 * and the Zaken API take the BAG id, KVK Zoeken the address. The BAG translates; the translation
 * itself releases nothing (only the source asked answers, by its own rules). null: the BAG does
 * not know the object.
 */
export function objectIdOf(
  loaders: SourceLoaders,
  ref: ObjectRef,
): Promise<Result<BagId | null, SourceError>> {
  if (isObjectId(ref)) return Promise.resolve(ok(ref.adresseerbaarObjectIdentificatie));
  if (!loaders.bag) return Promise.resolve(notConfigured());
  return bagObjectId(loaders.bag, ref) as Promise<Result<BagId | null, SourceError>>;
}

export interface ObjectAddress {
  readonly postcode: string;
  readonly huisnummer: number;
  readonly huisletter?: string | undefined;
}

/** The address of an object (see objectIdOf); null when the BAG has no address with a postcode for it. */
export async function objectAddressOf(
  loaders: SourceLoaders,
  ref: ObjectRef,
): Promise<Result<ObjectAddress | null, SourceError>> {
  if (!isObjectId(ref)) return ok(ref);
  if (!loaders.bag) return notConfigured();
  const found = await bagAdres(loaders.bag, ref);
  if (!found.ok) return found;
  const a = found.value;
  return ok(
    a?.postcode ? { postcode: a.postcode, huisnummer: a.huisnummer, huisletter: a.huisletter } : null,
  );
}

/** Today as an ISO date: the peildatum of "now" questions. */
export const todayOf = (clock: Clock): string => clock.now().toISOString().slice(0, 10);
