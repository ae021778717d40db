import { parseBsn, UnreachableCaseError, type HitResult } from "../../shared/index.ts";
import type { BrkAdresZoekvraag } from "./brk-client.ts";
import type { BrkLoaders } from "./brk-loaders.ts";
import type { BrkZaak } from "./brk-schema.ts";

/**
 * The Kadaster probes (design.md "Hit semantics"): named yes/no questions about a person (BSN) or
 * an object (address). Per Maastricht appendix A the deeds, mortgages and attachments are closed
 * sources: in source research (after privacy check 1) they answer hit/no-hit, nothing else.
 */
export const BRK_PROBES = [
  {
    id: "brk.eigendomBekend",
    description:
      "Persoon: heeft een zakelijk recht (eigendom) op een kadastraal onroerende zaak. Object: de zaak op het adres heeft een bekende zakelijk gerechtigde.",
  },
  {
    id: "brk.hypotheekBekend",
    description: "Op een zaak van de persoon of op het adres rust een hypotheek.",
  },
  { id: "brk.beslagBekend", description: "Op een zaak van de persoon of op het adres rust een beslag." },
  {
    id: "brk.beperkingBekend",
    description:
      "Op een zaak van de persoon of op het adres rust een privaatrechtelijke of publiekrechtelijke beperking.",
  },
] as const;

export type BrkProbeId = (typeof BRK_PROBES)[number]["id"];

export type BrkProbeSubject =
  | { readonly kind: "persoon"; readonly bsn: string }
  | { readonly kind: "adres"; readonly adres: BrkAdresZoekvraag };

export interface BrkProbeAnswer {
  readonly result: HitResult;
  /** Value-free reason code for the audit log. */
  readonly reason: string;
}

const unknown = (reason: string): BrkProbeAnswer => ({ result: "UNKNOWN", reason });
const hit = (yes: boolean): BrkProbeAnswer =>
  yes ? { result: "HIT", reason: "found" } : { result: "NO_HIT", reason: "not_found" };
const any = (xs: readonly string[] | undefined) => (xs?.length ?? 0) > 0;

/**
 * Runs one probe. The API's own "nothing found" (an empty collection) is NO_HIT; an upstream
 * failure, or input the probe cannot ask about, is UNKNOWN with a reason, never NO_HIT. The
 * restrictions probe asks the public-law restrictions per zaak: one hit is enough, one failure
 * without a hit makes it UNKNOWN.
 */
export async function runBrkProbe(
  loaders: BrkLoaders,
  subject: BrkProbeSubject,
  probeId: BrkProbeId,
): Promise<BrkProbeAnswer> {
  let zaken: BrkZaak[];
  if (subject.kind === "persoon") {
    const bsn = parseBsn(subject.bsn);
    if (!bsn.ok) return unknown("invalid_input");
    const found = await loaders.zakenVanPersoon.load(bsn.value);
    if (!found.ok) return unknown(found.error.reason);
    zaken = found.value;
  } else {
    const found = await loaders.zakenOpAdres.load(subject.adres);
    if (!found.ok)
      return unknown(
        found.error.kind === "rejected" && !found.error.status ? "invalid_input" : found.error.reason,
      );
    zaken = found.value;
  }
  switch (probeId) {
    case "brk.eigendomBekend":
      // Searched by BSN, every zaak found is one the person holds a right on.
      return hit(
        subject.kind === "persoon"
          ? zaken.length > 0
          : zaken.some((z) => any(z.zakelijkGerechtigdeIdentificaties)),
      );
    case "brk.hypotheekBekend":
      return hit(zaken.some((z) => any(z.hypotheekIdentificaties)));
    case "brk.beslagBekend":
      return hit(zaken.some((z) => any(z.beslagIdentificaties)));
    case "brk.beperkingBekend": {
      if (zaken.some((z) => any(z.privaatrechtelijkeBeperkingIdentificaties))) return hit(true);
      const publiek = await Promise.all(
        zaken.map((z) => loaders.publiekrechtelijkeBeperkingen.load(z.identificatie)),
      );
      if (publiek.some((r) => r.ok && r.value.length > 0)) return hit(true);
      const failed = publiek.find((r) => !r.ok);
      return failed && !failed.ok ? unknown(failed.error.reason) : hit(false);
    }
    default:
      throw new UnreachableCaseError(probeId);
  }
}
