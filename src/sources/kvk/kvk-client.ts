import { currentRequestSignal } from "../../context/trace-context.ts";
import { err, ok, type KvkNummer, type Result, type SourceError } from "../../shared/index.ts";
import { createAuthHeaders, passThrough, type UpstreamClientOptions } from "../http/index.ts";
import { getKvkJson } from "./kvk-http.ts";
import {
  basisprofielSchema,
  vestigingListSchema,
  vestigingSchema,
  zoekParamsSchema,
  zoekResultaatSchema,
  type KvkBasisprofiel,
  type KvkResultaatItem,
  type KvkVestigingList,
  type KvkVestigingsprofiel,
  type KvkZoekParams,
  type KvkZoekResultaat,
} from "./kvk-schema.ts";

/** Zoeken v2 shows at most 1000 results (kvk-zoeken-v2.openapi.yaml, `totaal`). */
export const KVK_MAX_RESULTS = 1000;
/** The largest page the spec allows (`resultatenPerPagina` maximum). */
export const KVK_MAX_PAGE_SIZE = 100;

/** Base URL before the version, e.g. https://api.kvk.nl/api or https://api.kvk.nl/test/api; an API key goes in the `apikey` header. */
export type KvkClientOptions = UpstreamClientOptions;

export interface KvkZoekOptions {
  /** Follow the pages from `pagina` (default 1) to the end; pages of 100 unless the params say otherwise. */
  readonly allPages?: boolean;
}

export interface KvkClient {
  /** Zoeken v2. KVK's 404 "no results" is `ok` with `totaal: 0`, never an error. */
  zoeken(params: KvkZoekParams, options?: KvkZoekOptions): Promise<Result<KvkZoekResultaat, SourceError>>;
  /** Basisprofiel v1 with `_embedded` eigenaar and hoofdvestiging; null = no such registration. */
  basisprofiel(kvkNummer: KvkNummer): Promise<Result<KvkBasisprofiel | null, SourceError>>;
  /** Basisprofiel v1 `/vestigingen`; null = no such registration. */
  vestigingen(kvkNummer: KvkNummer): Promise<Result<KvkVestigingList | null, SourceError>>;
  /** Vestigingsprofiel v1; null = no such vestiging. */
  vestigingsprofiel(vestigingsnummer: string): Promise<Result<KvkVestigingsprofiel | null, SourceError>>;
}

type Parser<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false } };

const rejected = (reason: string) => err<SourceError>({ kind: "rejected", reason });
const malformed = (reason = "schema_mismatch") =>
  err<SourceError>({ kind: "malformed", status: 200, reason });

function zoekQuery(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    // OpenAPI's default for an array in the query: form, exploded (`type=a&type=b`).
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, String(v));
  }
  return query.toString();
}

/** A client for KVK Zoeken v2, Basisprofiel v1 and Vestigingsprofiel v1 (design.md "Upstream protocols"). */
export function createKvkClient(options: KvkClientOptions): KvkClient {
  const fetch = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, "");
  const auth = createAuthHeaders(options.auth, {
    fetch,
    timeoutMs: options.timeoutMs,
    apiKeyHeader: "apikey",
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const resilience = options.resilience ?? passThrough;

  /** One GET whose body must match `schema`; null is KVK's "nothing found". */
  async function get<T>(path: string, schema: Parser<T>): Promise<Result<T | null, SourceError>> {
    const authHeaders = await auth.headers();
    if (!authHeaders.ok) return authHeaders;
    const headers = { Accept: "application/json, application/hal+json", ...authHeaders.value };
    // The check of the body runs inside `resilience`, so a schema mismatch counts for its breaker.
    const answer = await resilience.run(
      async (signal): Promise<Result<T | null, SourceError>> => {
        const response = await getKvkJson(fetch, base + path, headers, options.timeoutMs, signal);
        if (!response.ok) return response;
        if (!response.value.found) return ok(null);
        const parsed = schema.safeParse(response.value.body);
        return parsed.success ? ok(parsed.data) : malformed();
      },
      { idempotent: true, signal: currentRequestSignal() },
    );
    if (!answer.ok && answer.error.kind === "unauthorized") auth.refused();
    return answer;
  }

  async function profile<T extends { kvkNummer: string }>(
    path: string,
    schema: Parser<T>,
    expect: (body: T) => boolean,
  ): Promise<Result<T | null, SourceError>> {
    const answer = await get(path, schema);
    if (!answer.ok || answer.value === null) return answer;
    // An answer about another registration than asked for is not an answer.
    return expect(answer.value) ? answer : malformed("identifier_mismatch");
  }

  return {
    async zoeken(params, zoekOptions = {}) {
      const parsed = zoekParamsSchema.safeParse(params);
      if (!parsed.success) return rejected("invalid_parameters");
      const first = parsed.data.pagina ?? 1;
      const perPage = parsed.data.resultatenPerPagina ?? (zoekOptions.allPages ? KVK_MAX_PAGE_SIZE : 10);
      const resultaten: KvkResultaatItem[] = [];
      let totaal = 0;
      for (let pagina = first; pagina <= KVK_MAX_RESULTS; pagina++) {
        const query = zoekQuery({ ...parsed.data, pagina, resultatenPerPagina: perPage });
        const page = await get(`/v2/zoeken?${query}`, zoekResultaatSchema);
        if (!page.ok) return page;
        // KVK answers 404 for "no results" (also for a page past the end).
        if (page.value === null) break;
        totaal = Math.min(page.value.totaal, KVK_MAX_RESULTS);
        resultaten.push(...page.value.resultaten);
        const done = page.value.resultaten.length === 0 || pagina * perPage >= totaal;
        if (!zoekOptions.allPages || done) break;
      }
      return ok({ totaal, pagina: first, resultatenPerPagina: perPage, resultaten });
    },
    async basisprofiel(kvkNummer) {
      if (!/^[0-9]{8}$/.test(kvkNummer)) return rejected("invalid_kvk_nummer");
      return profile(`/v1/basisprofielen/${kvkNummer}`, basisprofielSchema, (b) => b.kvkNummer === kvkNummer);
    },
    async vestigingen(kvkNummer) {
      if (!/^[0-9]{8}$/.test(kvkNummer)) return rejected("invalid_kvk_nummer");
      return profile(
        `/v1/basisprofielen/${kvkNummer}/vestigingen`,
        vestigingListSchema,
        (b) => b.kvkNummer === kvkNummer,
      );
    },
    async vestigingsprofiel(vestigingsnummer) {
      if (!/^[0-9]{12}$/.test(vestigingsnummer)) return rejected("invalid_vestigingsnummer");
      return profile(
        // geoData: the BAG ids of the addresses, which link a vestiging to its object.
        `/v1/vestigingsprofielen/${vestigingsnummer}?geoData=true`,
        vestigingSchema,
        (v) => v.vestigingsnummer === vestigingsnummer,
      );
    },
  };
}
