import { err, ok, type BagId, type Result, type SourceError } from "../../shared/index.ts";
import { createUpstreamJson, isIsoDate, type UpstreamClientOptions } from "../http/index.ts";
import { bewoningenResponseSchema, type Bewoning } from "./bewoning-schema.ts";

/** Base URL without `/bewoningen`, e.g. https://proefomgeving.haalcentraal.nl/haalcentraal/api/bewoning. */
export type BewoningClientOptions = UpstreamClientOptions;

export interface BewoningClient {
  /** BewoningMetPeildatum: who lived at the address on the date; [] when nobody did (or the address is unknown). */
  bewoningOpPeildatum(
    adresseerbaarObjectIdentificatie: BagId,
    peildatum: string,
  ): Promise<Result<Bewoning[], SourceError>>;
  /** BewoningMetPeriode: the compositions of residents in [van, tot) (`tot` exclusive, after `van`). */
  bewoningInPeriode(
    adresseerbaarObjectIdentificatie: BagId,
    van: string,
    tot: string,
  ): Promise<Result<Bewoning[], SourceError>>;
}

export function createBewoningClient(options: BewoningClientOptions): BewoningClient {
  const url = options.baseUrl.replace(/\/+$/, "") + "/bewoningen";
  const upstream = createUpstreamJson(options);

  async function call(body: Record<string, string>): Promise<Result<Bewoning[], SourceError>> {
    const answer = await upstream(
      {
        url,
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8", Accept: "application/json" },
        body: JSON.stringify(body),
        // A query: repeating it changes nothing, so it may be retried.
        idempotent: true,
      },
      bewoningenResponseSchema,
    );
    return answer.ok ? ok(answer.value.bewoningen) : answer;
  }

  return {
    async bewoningOpPeildatum(id, peildatum) {
      if (!isIsoDate(peildatum)) return err({ kind: "rejected", reason: "invalid_date" });
      return call({ type: "BewoningMetPeildatum", peildatum, adresseerbaarObjectIdentificatie: id });
    },
    async bewoningInPeriode(id, van, tot) {
      if (!isIsoDate(van) || !isIsoDate(tot)) return err({ kind: "rejected", reason: "invalid_date" });
      if (tot <= van) return err({ kind: "rejected", reason: "invalid_period" });
      return call({
        type: "BewoningMetPeriode",
        datumVan: van,
        datumTot: tot,
        adresseerbaarObjectIdentificatie: id,
      });
    },
  };
}
