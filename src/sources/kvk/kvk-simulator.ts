import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerFault,
  createFaultSwitch,
  createRequestLog,
  type RequestLogOptions,
  keptHeaders,
  listenSimulator,
  simulatorHandle,
  type SimulatorHandle,
  readBody,
  type SimulatorFault,
} from "../http/index.ts";
import type { Municipality } from "../synthetic/index.ts";
import { renderBasisprofiel, renderEigenaar, renderVestiging, renderVestigingList } from "./kvk-render.ts";
import { answerZoeken, fout, NO_RESULTS } from "./kvk-simulator-zoeken.ts";
import { createKvkRegister, type KvkRegister } from "./kvk-synthetic.ts";

/** How the simulator misbehaves, switchable at runtime to test the gateway's failure handling. */
export type KvkFault = SimulatorFault;

export interface KvkRecordedRequest {
  readonly method: string;
  /** Path without the query, e.g. /api/v2/zoeken. */
  readonly path: string;
  /** Every query parameter with all its values, in order. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Only the headers that matter to the protocol: accept and apikey. */
  readonly headers: Readonly<Record<string, string>>;
  /** 0 when the simulator did not answer (timeout, reset). */
  readonly status: number;
  /** The parsed body sent; undefined for a deliberately broken or absent body. */
  readonly response: { readonly contentType: string; readonly body: unknown };
}

export interface KvkSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  /** Defaults to `createKvkRegister(municipality)`; pass one to share it with another simulator. */
  readonly register?: KvkRegister;
  readonly host?: string;
  readonly port?: number;
  /** When set, calls need exactly this `apikey`; otherwise any non-empty `apikey` will do. */
  readonly apiKey?: string;
}

/** A running simulator; `url` is the base URL before the API version (`${url}/v2/zoeken`), as https://api.kvk.nl/api. */
export interface KvkSimulator extends SimulatorHandle<KvkRecordedRequest> {
  readonly register: KvkRegister;
}

const JSON_TYPE = "application/json";
const HAL_TYPE = "application/hal+json";
const KEPT_HEADERS = ["accept", "apikey", "traceparent"];
const PROFILE = /^\/api\/v1\/basisprofielen\/([^/]+)(?:\/(eigenaar|hoofdvestiging|vestigingen))?$/;
const VESTIGING = /^\/api\/v1\/vestigingsprofielen\/([^/]+)$/;

/**
 * KVK Zoeken v2, Basisprofiel v1 and Vestigingsprofiel v1 over a synthetic municipality's
 * Handelsregister, speaking HTTP as the real APIs do (header `apikey`, `{fout:[…]}` errors, 404
 * for "no results"), so production is a change of URL and API key.
 */
export async function startKvkSimulator(options: KvkSimulatorOptions): Promise<KvkSimulator> {
  const { municipality, host = "127.0.0.1", port = 0, apiKey } = options;
  const register = options.register ?? createKvkRegister(municipality);
  const log = createRequestLog<KvkRecordedRequest>(options.requestLogSize);
  const faults = createFaultSwitch();
  let origin = "";

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://simulator");
    const path = url.pathname;
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];
    const headers = keptHeaders(req, KEPT_HEADERS);
    const record = (status: number, contentType: string, body: unknown) =>
      log.record({ method: req.method ?? "", path, query, headers, status, response: { contentType, body } });
    const send = (status: number, contentType: string, body: unknown, raw?: string) => {
      record(status, contentType, body);
      res.writeHead(status, { "Content-Type": contentType });
      res.end(raw ?? JSON.stringify(body));
    };
    const zoeken = path === "/api/v2/zoeken";
    // Zoeken answers application/json; the profile APIs document only application/hal+json.
    const type = zoeken ? JSON_TYPE : HAL_TYPE;

    const faulted = answerFault(faults.next(), req, {
      noAnswer: () => record(0, "", undefined),
      serverError: (status) =>
        send(
          status,
          type,
          status === 500
            ? fout("IPD0001", "Er is een interne fout opgetreden.")
            : fout("IPD0003", "De dienst is tijdelijk niet beschikbaar."),
        ),
      raw: (status, contentType, raw) => send(status, contentType, undefined, raw),
      malformed: { contentType: type, body: '{"pagina":1,"resultaten":[{' },
    });
    if (faulted) return;
    const profile = PROFILE.exec(path);
    const vestiging = VESTIGING.exec(path);
    if (req.method !== "GET" || (!zoeken && !profile && !vestiging))
      return send(404, "text/html", undefined, "<html><body>Not Found</body></html>");
    const key = headers["apikey"];
    if (key === undefined || key === "" || (apiKey !== undefined && key !== apiKey))
      return send(401, type, fout("IPD0010", "Geen of onjuiste apikey aangeleverd."));

    if (zoeken) {
      const outcome = answerZoeken(url.searchParams, register, { origin });
      return send(outcome.status, type, outcome.body);
    }
    const params = [...url.searchParams.keys()];
    const allowed = profile?.[2] === "vestigingen" ? [] : ["geoData"];
    const geo = url.searchParams.get("geoData");
    if (params.some((p) => !allowed.includes(p)) || (geo !== null && !/^(true|false)$/.test(geo)))
      return send(400, type, fout("IPD1002", "Een opgegeven parameter is niet valide."));
    const ctx = { origin, geoData: geo === "true" };
    if (profile) {
      const [, kvkNummer = "", sub] = profile;
      if (!/^[0-9]{8}$/.test(kvkNummer))
        return send(400, type, fout("IPD0004", "Het KVK-nummer is niet valide."));
      const company = register.byKvkNummer(kvkNummer);
      const hoofd = company?.vestigingen[0];
      if (!company || !hoofd) return send(404, type, NO_RESULTS);
      if (sub === "eigenaar") return send(200, type, renderEigenaar(company, ctx));
      if (sub === "hoofdvestiging") return send(200, type, renderVestiging(company, hoofd, ctx));
      if (sub === "vestigingen") return send(200, type, renderVestigingList(company, ctx));
      return send(200, type, renderBasisprofiel(company, ctx));
    }
    const nummer = vestiging?.[1] ?? "";
    if (!/^[0-9]{12}$/.test(nummer))
      return send(400, type, fout("IPD0006", "Het vestigingsnummer is niet valide."));
    const found = register.byVestigingsnummer(nummer);
    if (!found) return send(404, type, NO_RESULTS);
    return send(200, type, renderVestiging(found.company, found.vestiging, ctx));
  }

  const server = await listenSimulator(host, port, async (req, res) => {
    await readBody(req);
    handle(req, res);
  });
  origin = server.origin;
  return { ...simulatorHandle(`${origin}/api`, log, server, faults.set), register };
}
