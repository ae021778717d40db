import type { IncomingMessage, ServerResponse } from "node:http";
import { isIsoDate as isDate } from "./iso-date.ts";
import { invalidParam, problem, type InvalidParam, type ProblemStatus } from "./problem-json.ts";
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
} from "./simulator-harness.ts";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Only the headers that matter to the protocol: content-type, accept, x-api-key, authorization. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, undefined if not parseable. */
  readonly body: unknown;
  /** 0 when no answer was sent (faults timeout and reset). */
  readonly status: number;
  readonly response: { readonly contentType: string; readonly body: unknown };
}

/** A 200 body, or the invalid parameters of a 400. */
export type Answer =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly invalidParams: readonly InvalidParam[] };

export interface PostJsonSimulatorOptions extends RequestLogOptions {
  /** e.g. `/haalcentraal/api/bewoning`; `url` ends with it. */
  readonly basePath: string;
  /** e.g. `/bewoningen`. */
  readonly resource: string;
  /** Content type of a 200, exactly as the spec writes it. */
  readonly responseContentType: string;
  /** What the `malformed` fault sends: the start of a valid body, cut off. */
  readonly malformedBody: string;
  readonly answer: (body: Record<string, unknown>) => Answer;
  readonly apiKey?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
}

/** A running simulator; `url` is the base URL including the base path; POST `${url}${resource}`. */
export type PostJsonSimulator = SimulatorHandle<RecordedRequest>;

const KEPT_HEADERS = ["content-type", "accept", "x-api-key", "authorization", "traceparent"];

const acceptsJson = (accept: string | undefined) =>
  accept === undefined || /(^|,)\s*(application\/(json|\*)|\*\/\*)/i.test(accept);

/**
 * The HTTP half of the BRP Bewoning and Verblijfplaatshistorie simulators: one `POST` resource
 * with a JSON body, X-API-KEY, problem+json errors, request recording and switchable faults. Each
 * simulator only supplies its path and `answer` (the same core/adapter split as graphql-http).
 */
export async function startPostJsonSimulator(options: PostJsonSimulatorOptions): Promise<PostJsonSimulator> {
  const { basePath, resource, apiKey, host = "127.0.0.1", port = 0 } = options;
  const log = createRequestLog<RecordedRequest>(options.requestLogSize);
  const faults = createFaultSwitch();
  let origin = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const headers = keptHeaders(req, KEPT_HEADERS);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    const base = { method: req.method ?? "", path, headers, body };
    const send = (status: number, contentType: string, payload: unknown, raw?: string) => {
      log.record({ ...base, status, response: { contentType, body: payload } });
      res.writeHead(status, { "Content-Type": contentType });
      res.end(raw ?? JSON.stringify(payload));
    };
    const sendProblem = (status: ProblemStatus, invalidParams?: readonly InvalidParam[]) =>
      send(status, "application/problem+json", problem(status, origin + path, invalidParams));

    const faulted = answerFault(faults.next(), req, {
      noAnswer: () => log.record({ ...base, status: 0, response: { contentType: "", body: undefined } }),
      serverError: (status) => sendProblem(status),
      raw: (status, contentType, raw) => send(status, contentType, undefined, raw),
      malformed: { contentType: options.responseContentType, body: options.malformedBody },
    });
    if (faulted) return;
    if (req.method !== "POST" || path !== basePath + resource) return sendProblem(404);
    if (apiKey !== undefined && headers["x-api-key"] !== apiKey) return sendProblem(401);
    if (!acceptsJson(headers["accept"])) return sendProblem(406);
    if (!/^application\/json\b/i.test(headers["content-type"] ?? "")) return sendProblem(415);
    if (body === null || typeof body !== "object" || Array.isArray(body))
      return sendProblem(400, [invalidParam("type", "required")]);
    const answer = options.answer(body as Record<string, unknown>);
    if (!answer.ok) return sendProblem(400, answer.invalidParams);
    return send(200, options.responseContentType, answer.body);
  }

  const server = await listenSimulator(host, port, handle);
  origin = server.origin;
  return simulatorHandle(origin + basePath, log, server, faults.set);
}

/**
 * Shared request validation of both APIs: `type` picks the parameter set; missing, empty,
 * malformed and unexpected parameters are all reported at once, as the APIs do.
 */
export function validateParams(
  body: Record<string, unknown>,
  types: Readonly<Record<string, Readonly<Record<string, "date" | "bsn" | "aoid">>>>,
):
  | { readonly ok: true; readonly type: string }
  | { readonly ok: false; readonly invalidParams: InvalidParam[] } {
  const type = body["type"];
  if (type === undefined || type === "")
    return { ok: false, invalidParams: [invalidParam("type", "required")] };
  const params = typeof type === "string" ? types[type] : undefined;
  if (!params) return { ok: false, invalidParams: [invalidParam("type", "value")] };
  const problems: InvalidParam[] = [];
  for (const [name, kind] of Object.entries(params)) {
    const value = body[name];
    if (value === undefined || value === null || value === "") problems.push(invalidParam(name, "required"));
    else if (kind === "date" && !isDate(value)) problems.push(invalidParam(name, "date"));
    else if (kind === "bsn" && !(typeof value === "string" && /^[0-9]{9}$/.test(value)))
      problems.push(invalidParam(name, "pattern"));
    else if (kind === "aoid" && !(typeof value === "string" && /^(?!0{16})[0-9]{16}$/.test(value)))
      problems.push(invalidParam(name, "pattern"));
  }
  for (const name of Object.keys(body))
    if (name !== "type" && !(name in params))
      // the spec's pattern for `name`; a caller's odd key must not make the answer invalid
      problems.push(invalidParam(name.replace(/[^a-zA-Z0-9._]/g, "").slice(0, 30) || "body", "unknownParam"));
  const { datumVan, datumTot } = body;
  if (problems.length === 0 && isDate(datumVan) && isDate(datumTot) && datumTot <= datumVan)
    problems.push(invalidParam("datumTot", "invalidParam"));
  return problems.length > 0 ? { ok: false, invalidParams: problems } : { ok: true, type: type as string };
}
