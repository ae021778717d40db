import {
  parseBagId,
  parseBsn,
  parseKvkNummer,
  UnreachableCaseError,
  type HitResult,
} from "../../shared/index.ts";
import type { PermitKind } from "./permits-kinds.ts";
import type { PermitsLoaders, PermitsResult } from "./permits-loaders.ts";

/**
 * The permit probes (design.md "Hit semantics"): per kind of permit case, "does the subject have
 * one?" — for a person, a company or a BAG object — and nothing else (no count, no dates).
 */
export const PERMITS_PROBES = [
  {
    id: "permits.horeca",
    kind: "horecavergunning",
    description: "Er is een zaak voor een horecavergunning (Alcoholwet) van of over het subject.",
  },
  {
    id: "permits.omgeving",
    kind: "omgevingsvergunning",
    description: "Er is een zaak voor een omgevingsvergunning van of over het subject.",
  },
  {
    id: "permits.exploitatie",
    kind: "exploitatievergunning",
    description: "Er is een zaak voor een exploitatievergunning van of over het subject.",
  },
  {
    id: "permits.boeteAlcoholwet",
    kind: "boeteAlcoholwet",
    description:
      "Er is een zaak voor een bestuurlijke boete op grond van de Alcoholwet van of over het subject.",
  },
  {
    id: "permits.parkeer",
    kind: "parkeervergunning",
    description: "Er is een zaak voor een parkeervergunning van of over het subject.",
  },
] as const satisfies readonly { id: string; kind: PermitKind; description: string }[];

export type PermitsProbeId = (typeof PERMITS_PROBES)[number]["id"];

/** Who or what a probe asks about. */
export type PermitsSubject =
  | { readonly kind: "persoon"; readonly bsn: string }
  | { readonly kind: "onderneming"; readonly kvkNummer: string }
  | { readonly kind: "object"; readonly adresseerbaarObjectIdentificatie: string };

export interface PermitsProbeAnswer {
  readonly result: HitResult;
  /** Value-free reason code for the audit log. */
  readonly reason: string;
}

const unknown = (reason: string): PermitsProbeAnswer => ({ result: "UNKNOWN", reason });

async function permitsOf(
  loaders: PermitsLoaders,
  subject: PermitsSubject,
): Promise<PermitsResult | PermitsProbeAnswer> {
  switch (subject.kind) {
    case "persoon": {
      const bsn = parseBsn(subject.bsn);
      return bsn.ok ? loaders.byBsn.load(bsn.value) : unknown("invalid_input");
    }
    case "onderneming": {
      const kvkNummer = parseKvkNummer(subject.kvkNummer);
      return kvkNummer.ok ? loaders.byKvkNummer.load(kvkNummer.value) : unknown("invalid_input");
    }
    case "object": {
      const id = parseBagId(subject.adresseerbaarObjectIdentificatie);
      return id.ok ? loaders.byAdresseerbaarObject.load(id.value) : unknown("invalid_input");
    }
    default:
      throw new UnreachableCaseError(subject);
  }
}

/**
 * Runs one probe. HIT when a zaak of the probe's kind names the subject; an upstream failure or
 * input the probe cannot ask about is UNKNOWN with a reason, never NO_HIT. A zaak whose zaaktype
 * the catalogue does not know could be of any kind, so without a hit it makes the answer UNKNOWN.
 * All five probes of one subject share one loader call.
 */
export async function runPermitsProbe(
  loaders: PermitsLoaders,
  subject: PermitsSubject,
  probeId: PermitsProbeId,
): Promise<PermitsProbeAnswer> {
  const probe = PERMITS_PROBES.find((p) => p.id === probeId);
  if (!probe) return unknown("unknown_probe");
  const loaded = await permitsOf(loaders, subject);
  if ("result" in loaded) return loaded;
  if (!loaded.ok) return unknown(loaded.error.reason);
  if (loaded.value.some((p) => p.kind === probe.kind)) return { result: "HIT", reason: "found" };
  if (loaded.value.some((p) => p.zaaktype === undefined)) return unknown("unresolved_zaaktype");
  return { result: "NO_HIT", reason: "not_found" };
}
