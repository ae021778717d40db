import { UnreachableCaseError, type BagId } from "../../shared/index.ts";
import type { ProbeAnswer } from "../brp/index.ts";
import type { BewoningLoaders } from "./bewoning-loaders.ts";

/** The BRP Bewoning probes (design.md "Hit semantics"): named yes/no questions, nothing else revealed. */
export const BEWONING_PROBES = [
  {
    id: "bewoning.bewoondOpPeildatum",
    description: "Op het adresseerbaar object stond op de peildatum ten minste één persoon ingeschreven.",
  },
] as const;

export type BewoningProbeId = (typeof BEWONING_PROBES)[number]["id"];

export interface BewoningProbeOptions {
  /** The date asked about (ISO), e.g. the date of the signal. */
  readonly peildatum: string;
}

/**
 * Runs one probe. Any upstream failure is UNKNOWN with the failure's reason, never NO_HIT; so is
 * an address with only mogelijke bewoners (the BRP itself cannot say).
 */
export async function runBewoningProbe(
  loaders: BewoningLoaders,
  adresseerbaarObjectIdentificatie: BagId,
  probeId: BewoningProbeId,
  options: BewoningProbeOptions,
): Promise<ProbeAnswer> {
  switch (probeId) {
    case "bewoning.bewoondOpPeildatum": {
      const loaded = await loaders.bewoning.load({
        adresseerbaarObjectIdentificatie,
        peildatum: options.peildatum,
      });
      if (!loaded.ok) return { result: "UNKNOWN", reason: loaded.error.reason };
      if (loaded.value.some((b) => b.bewoners.length > 0 || b.indicatieVeelBewoners === true))
        return { result: "HIT", reason: "inhabited" };
      if (loaded.value.some((b) => b.mogelijkeBewoners.length > 0))
        return { result: "UNKNOWN", reason: "uncertain" };
      return { result: "NO_HIT", reason: "not_inhabited" };
    }
    default:
      throw new UnreachableCaseError(probeId);
  }
}
