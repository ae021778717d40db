import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Municipality } from "../synthetic/index.ts";
import { renderBasisprofiel, renderEigenaar, renderVestiging, renderVestigingList } from "./kvk-render.ts";
import { answerZoeken, fout, NO_RESULTS } from "./kvk-simulator-zoeken.ts";
import { createKvkRegister, type KvkRegister } from "./kvk-synthetic.ts";

/** How the simulator misbehaves, switchable at runtime to test the gateway's failure handling. */
export type KvkFault =
  "none" | "http500" | "http503" | "timeout" | "reset" | "malformed" | "wrongContentType";

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

export interface KvkSimulatorOptions {
  readonly municipality: Municipality;
  /** Defaults to `createKvkRegister(municipality)`; pass one to share it with another simulator. */
  readonly register?: KvkRegister;
  readonly host?: string;
  readonly port?: number;
  /** When set, calls need exactly this `apikey`; otherwise any non-empty `apikey` will do. */
  readonly apiKey?: string;
}

export interface KvkSimulator {
  /** Base URL before the API version (`${url}/v2/zoeken`), as https://api.kvk.nl/api. */
  readonly url: string;
  readonly register: KvkRegister;
  readonly requests: readonly KvkRecordedRequest[];
  setFault(fault: KvkFault): void;
  /** Resolves when the next request has been received (recorded), without polling. */
  nextRequest(): Promise<KvkRecordedRequest>;
  clearRequests(): void;
  /** Stops the server and ends every open (e.g. hanging) connection. */
  close(): Promise<void>;
}

const JSON_TYPE = "application/json";
const HAL_TYPE = "application/hal+json";
const KEPT_HEADERS = ["accept", "apikey"];
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
  const requests: KvkRecordedRequest[] = [];
  let waiting: ((r: KvkRecordedRequest) => void)[] = [];
  let fault: KvkFault = "none";
  let origin = "";

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://simulator");
    const path = url.pathname;
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];
    const headers = Object.fromEntries(
      KEPT_HEADERS.flatMap((h) =>
        typeof req.headers[h] === "string" ? [[h, req.headers[h] as string]] : [],
      ),
    );
    const record = (status: number, contentType: string, body: unknown) => {
      const r: KvkRecordedRequest = {
        method: req.method ?? "",
        path,
        query,
        headers,
        status,
        response: { contentType, body },
      };
      requests.push(r);
      const ws = waiting;
      waiting = [];
      ws.forEach((w) => w(r));
    };
    const send = (status: number, contentType: string, body: unknown, raw?: string) => {
      record(status, contentType, body);
      res.writeHead(status, { "Content-Type": contentType });
      res.end(raw ?? JSON.stringify(body));
    };
    const zoeken = path === "/api/v2/zoeken";
    // Zoeken answers application/json; the profile APIs document only application/hal+json.
    const type = zoeken ? JSON_TYPE : HAL_TYPE;

    switch (fault) {
      case "none":
        break;
      case "timeout":
        return record(0, "", undefined); // never answers; close() ends the connection
      case "reset":
        record(0, "", undefined);
        req.socket.destroy();
        return;
      case "http500":
        return send(500, type, fout("IPD0001", "Er is een interne fout opgetreden."));
      case "http503":
        return send(503, type, fout("IPD0003", "De dienst is tijdelijk niet beschikbaar."));
      case "malformed":
        return send(200, type, undefined, '{"pagina":1,"resultaten":[{');
      case "wrongContentType":
        return send(200, "text/html", undefined, "<html><body>Onderhoud</body></html>");
    }
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

  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      try {
        handle(req, res);
      } catch {
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url: `${origin}/api`,
    register,
    requests,
    setFault: (next) => {
      fault = next;
    },
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    clearRequests: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
