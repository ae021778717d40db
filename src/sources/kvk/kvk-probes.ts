import { parseKvkNummer, parsePostcode, UnreachableCaseError, type HitResult } from "../../shared/index.ts";
import type { KvkLoaders } from "./kvk-loaders.ts";

/** The Handelsregister probes (design.md "Hit semantics"): named yes/no questions, nothing else revealed. */
export const KVK_PROBES = [
  {
    id: "hr.ingeschreven",
    description: "Het KVK-nummer hoort bij een actieve inschrijving in het Handelsregister.",
    input: ["kvkNummer"],
  },
  {
    id: "hr.vestigingOpAdres",
    description:
      "Op het adres (postcode, huisnummer, eventueel huisletter) is een actieve vestiging ingeschreven.",
    input: ["postcode", "huisnummer", "huisletter"],
  },
] as const;

export type KvkProbeId = (typeof KVK_PROBES)[number]["id"];

/** What a probe is asked about; each probe reads only the elements it names in KVK_PROBES. */
export interface KvkProbeInput {
  readonly kvkNummer?: string | undefined;
  readonly postcode?: string | undefined;
  readonly huisnummer?: number | undefined;
  readonly huisletter?: string | undefined;
}

export interface KvkProbeAnswer {
  readonly result: HitResult;
  /** Value-free reason code for the audit log. */
  readonly reason: string;
}

const unknown = (reason: string): KvkProbeAnswer => ({ result: "UNKNOWN", reason });

/**
 * Runs one probe through Zoeken v2 (active registrations only). KVK's 404 "no results" is NO_HIT;
 * any upstream failure, and input the probe cannot ask about, is UNKNOWN with a reason, never
 * NO_HIT. One result is enough, so one result is asked for: the answer carries no count.
 * Zoeken cannot search on huisnummertoevoeging, so a vestiging at another toevoeging of the same
 * number counts as a hit.
 */
export async function runKvkProbe(
  loaders: KvkLoaders,
  input: KvkProbeInput,
  probeId: KvkProbeId,
): Promise<KvkProbeAnswer> {
  switch (probeId) {
    case "hr.ingeschreven": {
      const kvkNummer = parseKvkNummer(input.kvkNummer ?? "");
      if (!kvkNummer.ok) return unknown("invalid_input");
      const found = await loaders.zoeken.load({
        params: { kvkNummer: kvkNummer.value, resultatenPerPagina: 1 },
      });
      if (!found.ok) return unknown(found.error.reason);
      return found.value.totaal > 0
        ? { result: "HIT", reason: "found" }
        : { result: "NO_HIT", reason: "not_found" };
    }
    case "hr.vestigingOpAdres": {
      const postcode = parsePostcode(input.postcode ?? "");
      const { huisnummer, huisletter } = input;
      if (!postcode.ok || huisnummer === undefined || !Number.isInteger(huisnummer) || huisnummer < 1)
        return unknown("invalid_input");
      const found = await loaders.zoeken.load({
        params: {
          postcode: postcode.value,
          huisnummer,
          ...(huisletter ? { huisletter } : {}),
          type: ["hoofdvestiging", "nevenvestiging"],
          resultatenPerPagina: 1,
        },
      });
      if (!found.ok) return unknown(found.error.reason);
      return found.value.totaal > 0
        ? { result: "HIT", reason: "found" }
        : { result: "NO_HIT", reason: "not_found" };
    }
    default:
      throw new UnreachableCaseError(probeId);
  }
}
