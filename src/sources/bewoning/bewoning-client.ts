import type { UpstreamAuth } from "../../config/index.ts";
import { err, ok, type BagId, type Clock, type Result, type SourceError } from "../../shared/index.ts";
import { isIsoDate } from "../http/index.ts";
import { createAuthHeaders, requestJson, type FetchLike } from "../http/index.ts";
import { bewoningenResponseSchema, type Bewoning } from "./bewoning-schema.ts";

export interface BewoningClientOptions {
  /** Base URL without `/bewoningen`, e.g. https://proefomgeving.haalcentraal.nl/haalcentraal/api/bewoning. */
  readonly baseUrl: string;
  readonly auth: UpstreamAuth;
  readonly timeoutMs: number;
  readonly fetch?: FetchLike;
  readonly clock?: Clock;
}

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
  const fetch = options.fetch ?? globalThis.fetch;
  const url = options.baseUrl.replace(/\/+$/, "") + "/bewoningen";
  const auth = createAuthHeaders(options.auth, {
    fetch,
    timeoutMs: options.timeoutMs,
    ...(options.clock ? { clock: options.clock } : {}),
  });

  async function call(body: Record<string, string>): Promise<Result<Bewoning[], SourceError>> {
    const authHeaders = await auth.headers();
    if (!authHeaders.ok) return authHeaders;
    const response = await requestJson({
      fetch,
      url,
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        Accept: "application/json",
        ...authHeaders.value,
      },
      body: JSON.stringify(body),
      timeoutMs: options.timeoutMs,
    });
    if (!response.ok) {
      if (response.error.kind === "unauthorized") auth.refused();
      return response;
    }
    const parsed = bewoningenResponseSchema.safeParse(response.value.body);
    if (!parsed.success)
      return err({ kind: "malformed", status: response.value.status, reason: "schema_mismatch" });
    return ok(parsed.data.bewoningen);
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
