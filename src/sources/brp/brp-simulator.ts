import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { systemClock, type Clock } from "../../shared/index.ts";
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
import { combinationProblem, problem, type ProblemStatus } from "./brp-problems.ts";
import { answerQuery } from "./brp-simulator-queries.ts";

/** How the simulator misbehaves, switchable at runtime to test the gateway's failure handling. */
export type BrpFault = SimulatorFault;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Only the headers that matter to the protocol: content-type, accept, x-api-key, authorization. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body (or the form fields of a token request), undefined if not parseable. */
  readonly body: unknown;
  readonly status: number;
  readonly response: { readonly contentType: string; readonly body: unknown };
}

export interface BrpSimulatorOptions extends RequestLogOptions {
  readonly municipality: Municipality;
  readonly host?: string;
  readonly port?: number;
  /** When set, every call needs this X-API-KEY (or a bearer token from `oauth`). */
  readonly apiKey?: string;
  /** When set, `tokenUrl` issues bearer tokens for these client credentials, and calls need one (or the apiKey). */
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string; readonly expiresInS?: number };
  readonly clock?: Clock;
}

/** A running simulator; `url` is the base URL including /haalcentraal/api/brp; POST `${url}/personen`. */
export interface BrpSimulator extends SimulatorHandle<RecordedRequest> {
  /** OAuth2 token endpoint (only answers when `oauth` is configured). */
  readonly tokenUrl: string;
}

const BASE_PATH = "/haalcentraal/api/brp";
const TOKEN_PATH = "/oauth2/token";
const KEPT_HEADERS = [
  "content-type",
  "accept",
  "x-api-key",
  "authorization",
  "traceparent",
  "x-doelbinding",
  "x-verwerking",
  "x-gebruiker",
  "x-origin-oin",
];

/**
 * A BRP Personen v2 server over a synthetic municipality, speaking HTTP exactly as the real API
 * (brp-personen-v2.openapi.yaml), so production is a change of URL and credentials.
 */
export async function startBrpSimulator(options: BrpSimulatorOptions): Promise<BrpSimulator> {
  const { municipality, host = "127.0.0.1", port = 0, apiKey, oauth, clock = systemClock } = options;
  const log = createRequestLog<RecordedRequest>(options.requestLogSize);
  const tokens = new Map<string, number>();
  const faults = createFaultSwitch();
  let origin = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const headers = keptHeaders(req, KEPT_HEADERS);
    const text = await readBody(req);
    let body: unknown;
    const send = (status: number, contentType: string, payload: unknown, raw?: string) => {
      log.record({
        method: req.method ?? "",
        path,
        headers,
        body,
        status,
        response: { contentType, body: payload },
      });
      res.writeHead(status, { "Content-Type": contentType });
      res.end(raw ?? JSON.stringify(payload));
    };
    const sendProblem = (status: ProblemStatus, invalidParams?: Parameters<typeof problem>[2]) =>
      send(status, "application/problem+json", problem(status, origin + path, invalidParams));

    if (req.method === "POST" && path === TOKEN_PATH && oauth) {
      const form = new URLSearchParams(text);
      body = Object.fromEntries(form);
      if (
        form.get("grant_type") !== "client_credentials" ||
        form.get("client_id") !== oauth.clientId ||
        form.get("client_secret") !== oauth.clientSecret
      )
        return send(401, "application/json", { error: "invalid_client" });
      const token = randomUUID();
      const expiresIn = oauth.expiresInS ?? 3600;
      tokens.set(token, clock.now().getTime() + expiresIn * 1000);
      return send(200, "application/json", {
        access_token: token,
        token_type: "Bearer",
        expires_in: expiresIn,
      });
    }
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    const faulted = answerFault(faults.next(), req, {
      noAnswer: () =>
        log.record({
          method: req.method ?? "",
          path,
          headers,
          body,
          status: 0,
          response: { contentType: "", body: undefined },
        }),
      serverError: (status) => sendProblem(status),
      raw: (status, contentType, raw) => send(status, contentType, undefined, raw),
      malformed: {
        contentType: "application/json; charset=utf-8",
        body: '{"type":"RaadpleegMetBurgerservicenummer","personen":[{',
      },
    });
    if (faulted) return;
    if (req.method !== "POST" || path !== `${BASE_PATH}/personen`) return sendProblem(404);
    const bearer = /^Bearer (.+)$/.exec(headers["authorization"] ?? "")?.[1];
    const bearerValid = bearer !== undefined && (tokens.get(bearer) ?? 0) > clock.now().getTime();
    if (
      (apiKey !== undefined || oauth !== undefined) &&
      !(apiKey !== undefined && headers["x-api-key"] === apiKey) &&
      !bearerValid
    )
      return sendProblem(401);
    if (!/^application\/json\b/i.test(headers["content-type"] ?? "")) return sendProblem(415);
    if (body === null || typeof body !== "object" || Array.isArray(body))
      return sendProblem(400, [
        {
          type: "https://www.vng.nl/realisatie/api/validaties/json",
          name: "body",
          code: "json",
          reason: "Body is geen geldige JSON.",
        },
      ]);
    const outcome = answerQuery(body as Record<string, unknown>, municipality, clock);
    if (!outcome.ok && outcome.combination)
      return send(400, "application/problem+json", combinationProblem(origin + path, outcome.invalidParams));
    if (!outcome.ok) return sendProblem(400, outcome.invalidParams);
    return send(200, "application/json; charset=utf-8", outcome.body);
  }

  const server = await listenSimulator(host, port, handle);
  origin = server.origin;
  return {
    ...simulatorHandle(origin + BASE_PATH, log, server, faults.set),
    tokenUrl: origin + TOKEN_PATH,
  };
}
