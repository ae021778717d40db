import { currentTraceActor } from "../../context/trace-context.ts";
import { err, ok, type Bsn, type Result, type SourceError } from "../../shared/index.ts";
import { createUpstreamJson, type UpstreamClientOptions } from "../http/index.ts";
import {
  raadpleegResponseSchema,
  zoekResponseSchema,
  type BrpPersoon,
  type BrpPersoonBeperkt,
} from "./brp-schema.ts";
import { checkZoekParams, type BrpZoekVraag } from "./brp-zoek.ts";

/** The spec's maximum of burgerservicenummers in one RaadpleegMetBurgerservicenummer. */
export const BRP_MAX_BSNS_PER_CALL = 20;

/** Base URL without `/personen`, e.g. https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp. */
/**
 * The protocollering headers municipal BRP API gateways expect, so the municipality's own BRP log
 * can be joined with ours (the Haal Centraal BRP API gateways' `x-doelbinding`, `x-verwerking`,
 * `x-gebruiker`, `x-origin-oin`; each at most 242 characters, the width of the gateways' log
 * columns). `x-gebruiker` is the staff member or client of the request.
 */
export interface BrpProtocollering {
  readonly originOin?: string | undefined;
  readonly doelbinding?: string | undefined;
  readonly verwerking?: string | undefined;
}

export type BrpClientOptions = UpstreamClientOptions & {
  readonly protocollering?: BrpProtocollering | undefined;
};

const HEADER_MAX = 242;
const clip = (v: string) => v.slice(0, HEADER_MAX);

/** The protocollering headers for one call: the configured ones, and the request's user. */
export function protocolleringHeaders(p: BrpProtocollering | undefined): Record<string, string> {
  const user = currentTraceActor();
  return {
    ...(p?.doelbinding ? { "x-doelbinding": clip(p.doelbinding) } : {}),
    ...(p?.verwerking ? { "x-verwerking": clip(p.verwerking) } : {}),
    ...(p?.originOin ? { "x-origin-oin": clip(p.originOin) } : {}),
    ...(user ? { "x-gebruiker": clip(user) } : {}),
  };
}

export interface BrpClient {
  /**
   * RaadpleegMetBurgerservicenummer with exactly these `fields`. More than 20 BSNs are split
   * into several calls; if any call fails the whole result is that call's error.
   */
  raadpleeg(bsns: readonly Bsn[], fields: readonly string[]): Promise<Result<BrpPersoon[], SourceError>>;
  /**
   * ZoekMetGeslachtsnaamEnGeboortedatum or ZoekMetPostcodeEnHuisnummer with exactly these
   * `fields` (PersoonBeperkt paths). A query the spec would refuse (a missing or ill-formed
   * parameter) is refused here, before any call: `rejected` / `invalid_query`.
   */
  zoek(vraag: BrpZoekVraag, fields: readonly string[]): Promise<Result<BrpPersoonBeperkt[], SourceError>>;
}

/** The request body of a search: its parameters as given (undefined ones left out) and `fields`. */
function zoekBody(vraag: BrpZoekVraag, fields: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vraag)) if (value !== undefined) body[name] = value;
  return { ...body, fields };
}

export function createBrpClient(options: BrpClientOptions): BrpClient {
  const url = options.baseUrl.replace(/\/+$/, "") + "/personen";
  const upstream = createUpstreamJson(options);
  const base = { "Content-Type": "application/json; charset=utf-8", Accept: "application/json" };
  const headers = () => ({ ...base, ...protocolleringHeaders(options.protocollering) });

  async function call(
    bsns: readonly Bsn[],
    fields: readonly string[],
  ): Promise<Result<BrpPersoon[], SourceError>> {
    const answer = await upstream(
      {
        url,
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ type: "RaadpleegMetBurgerservicenummer", burgerservicenummer: bsns, fields }),
        // A query: repeating it changes nothing, so it may be retried.
        idempotent: true,
      },
      raadpleegResponseSchema,
    );
    return answer.ok ? ok(answer.value.personen) : answer;
  }

  return {
    async zoek(vraag, fields) {
      if (fields.length === 0) return err({ kind: "rejected", reason: "empty_fields" });
      const body = zoekBody(vraag, fields);
      const checked = checkZoekParams(vraag.type, body);
      if (checked.missing.length > 0 || checked.invalid.length > 0)
        return err({ kind: "rejected", reason: "invalid_query" });
      const answer = await upstream(
        { url, method: "POST", headers: headers(), body: JSON.stringify(body), idempotent: true },
        zoekResponseSchema(vraag.type),
      );
      return answer.ok ? ok(answer.value.personen) : answer;
    },
    async raadpleeg(bsns, fields) {
      if (fields.length === 0) return err({ kind: "rejected", reason: "empty_fields" });
      if (bsns.length === 0) return ok([]);
      const chunks: Bsn[][] = [];
      for (let i = 0; i < bsns.length; i += BRP_MAX_BSNS_PER_CALL)
        chunks.push(bsns.slice(i, i + BRP_MAX_BSNS_PER_CALL));
      const results = await Promise.all(chunks.map((chunk) => call(chunk, fields)));
      const personen: BrpPersoon[] = [];
      for (const result of results) {
        if (!result.ok) return result;
        personen.push(...result.value);
      }
      return ok(personen);
    },
  };
}
