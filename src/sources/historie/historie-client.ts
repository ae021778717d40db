import { err, ok, type Bsn, type Result, type SourceError } from "../../shared/index.ts";
import { createUpstreamJson, type UpstreamClientOptions } from "../http/index.ts";
import { verblijfplaatshistorieResponseSchema, type HistorieVerblijfplaats } from "./historie-schema.ts";
import { isIsoDate } from "../http/index.ts";

/** Base URL without `/verblijfplaatshistorie`, e.g. https://apigw.npr.idm.diginetwerk.net/lap/api/brp. */
export type HistorieClientOptions = UpstreamClientOptions;

/** On one date, or in the period [van, tot) (ISO dates; `tot` exclusive as in the API). */
export type HistorieMoment = { readonly peildatum: string } | { readonly van: string; readonly tot: string };

export interface HistorieClient {
  /** The person's verblijfplaatsen on the date or in the period; [] when the BRP has no such person. */
  verblijfplaatshistorie(
    bsn: Bsn,
    moment: HistorieMoment,
  ): Promise<Result<HistorieVerblijfplaats[], SourceError>>;
}

/** The request body of one HistorieQuery, exactly as sent (exported for the contract tests). */
export function historieQueryBody(bsn: Bsn, moment: HistorieMoment): Record<string, string> {
  return "peildatum" in moment
    ? { type: "RaadpleegMetPeildatum", burgerservicenummer: bsn, peildatum: moment.peildatum }
    : { type: "RaadpleegMetPeriode", burgerservicenummer: bsn, datumVan: moment.van, datumTot: moment.tot };
}

export function createHistorieClient(options: HistorieClientOptions): HistorieClient {
  const url = options.baseUrl.replace(/\/+$/, "") + "/verblijfplaatshistorie";
  const upstream = createUpstreamJson(options);

  return {
    async verblijfplaatshistorie(bsn, moment) {
      const dates = "peildatum" in moment ? [moment.peildatum] : [moment.van, moment.tot];
      if (!dates.every(isIsoDate)) return err({ kind: "rejected", reason: "invalid_date" });
      if (!("peildatum" in moment) && moment.tot <= moment.van)
        return err({ kind: "rejected", reason: "invalid_period" });
      const answer = await upstream(
        {
          url,
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(historieQueryBody(bsn, moment)),
          // A query: repeating it changes nothing, so it may be retried.
          idempotent: true,
        },
        verblijfplaatshistorieResponseSchema,
      );
      return answer.ok ? ok(answer.value.verblijfplaatsen) : answer;
    },
  };
}
