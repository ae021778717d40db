import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { bindTraceSignal, parentSpanIdFrom, runInTrace, traceIdFrom } from "../context/index.ts";
import { HeaderMap } from "@apollo/server";
import { bearerChallenge } from "../auth/index.ts";
import type { CheckpointStatus } from "../audit/checkpoints.ts";
import type { PolicyStatus } from "../policy/versions/index.ts";
import type { Db } from "../store/index.ts";
import type { Gateway } from "./gateway.ts";
import { requestErrorStatus } from "./request-error-status.ts";

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: string, type = "application/json"): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

/** The circuit of each upstream source, as the operator's `/ready` reports it. */
export type SourceStates = () => readonly { readonly source: string; readonly circuit: string }[];

/**
 * The Prometheus exposition for the operator's `/metrics` (src/observability). Only there: the
 * circuits and the refusals by rule tell an outsider where the gateway is weak, as `/ready` does.
 */
export type Metrics = () => Promise<{ readonly contentType: string; readonly body: string }>;

/** Whether the process is draining for a shutdown (src/cli/serve-command.ts). */
export interface Lifecycle {
  readonly draining: () => boolean;
  /**
   * The audit checkpoints (issue 13). While this replica, as their writer, cannot write one,
   * `/ready` answers 503 `{"status":"checkpoint_failed"}`: records it would take now have no
   * anchor outside the database, an accountability gap (Delft art. 6a-b, Maastricht art. 9), so it
   * takes no traffic until the sink works again; the operator's `/ready` names the reason.
   */
  readonly checkpoints?: () => CheckpointStatus;
  /**
   * The policy version this replica serves (issue 14). While the newest stored version cannot be
   * loaded, `/ready` answers 503 `{"status":"policy_version_unavailable"}`: the replica refuses
   * every GraphQL request rather than decide under an older version, so it takes no traffic.
   */
  readonly policy?: () => Promise<PolicyStatus>;
}
const RUNNING: Lifecycle = { draining: () => false };

/**
 * A web route beside `/graphql` (issue 14: the console at `/console`, the demo issuer's OIDC
 * endpoints): answers the request and resolves true, or resolves false for a path not its own.
 */
export type WebRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Ready means the database answers; a source that is down only makes its own answers UNKNOWN. */
const databaseReachable = (db: Db): Promise<boolean> =>
  db.query("SELECT 1").then(
    () => true,
    () => false,
  );

/**
 * HTTP: `/graphql` (Apollo's HTTP handling), `/health` (process up) and `/ready` (200
 * `{"status":"ready"}` while the database answers, else 503 `{"status":"unavailable"}`; 503
 * `{"status":"checkpoint_failed"}` while the checkpoint writer fails, 503
 * `{"status":"policy_version_unavailable"}` while the newest policy version cannot be loaded, see
 * {@link Lifecycle}).
 * The web routes (the console, the demo issuer's login) answer their own paths; everything else is
 * 404. The public `/ready` says up or down and no more: which registry's
 * circuit is open tells an outsider where the gateway is weak, so the circuits are the
 * operator's ({@link createOpsServer}). Every 401 carries `WWW-Authenticate` (RFC 6750 §3):
 * the gateway's own challenge, or one made here for a 401 from any other path.
 * While the process drains for a shutdown, `/ready` answers 503 `{"status":"draining"}` so a load
 * balancer sends nothing new, and the requests in flight are answered.
 */
export function createHttpServer(
  gateway: Gateway,
  db: Db,
  lifecycle: Lifecycle = RUNNING,
  routes: readonly WebRoute[] = [],
): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") return send(res, 200, '{"status":"ok"}');
      if (url.pathname === "/ready") {
        if (lifecycle.draining()) return send(res, 503, '{"status":"draining"}');
        if (!(await databaseReachable(db))) return send(res, 503, '{"status":"unavailable"}');
        if ((await lifecycle.policy?.())?.state === "unavailable")
          return send(res, 503, '{"status":"policy_version_unavailable"}');
        return lifecycle.checkpoints?.().error === undefined
          ? send(res, 200, '{"status":"ready"}')
          : send(res, 503, '{"status":"checkpoint_failed"}');
      }
      if (url.pathname !== "/graphql") {
        for (const route of routes) if (await route(req, res, url)) return;
        return send(res, 404, '{"error":"not found"}');
      }
      let raw: string;
      try {
        raw = req.method === "POST" ? await readBody(req) : "";
      } catch {
        return send(res, 413, '{"error":"request body too large"}');
      }
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      let body: unknown = raw;
      if (raw && (headers.get("content-type") ?? "").includes("json")) {
        try {
          body = JSON.parse(raw);
        } catch {
          return send(
            res,
            400,
            '{"errors":[{"message":"The body is not valid JSON.","extensions":{"code":"BAD_USER_INPUT"}}]}',
          );
        }
      }
      // The whole request runs in one W3C trace: the caller's, or a new one (issue 13); every
      // upstream call it makes carries a traceparent under it. Observed: its spans, metrics and
      // one request log line (src/observability).
      const traceparent = headers.get("traceparent");
      const observe = gateway.observability.requests;
      // A caller that hangs up before its answer: its upstream calls still waiting for a slot
      // leave the line (UNKNOWN `aborted`), so they take no slot from other requests (issue 15).
      const gone = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) gone.abort();
      });
      await runInTrace(
        traceIdFrom(traceparent),
        () => {
          bindTraceSignal(gone.signal);
          return observe.request(req.method ?? "GET", async () => {
            const result = await observe.operation(() =>
              gateway.apollo.executeHTTPGraphQLRequest({
                httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
                context: () =>
                  gateway.contextFor({
                    authorization: headers.get("authorization"),
                    traceparent: headers.get("traceparent"),
                  }),
              }),
            );
            const out: Record<string, string> = {};
            for (const [k, v] of result.headers) out[k] = v;
            if (result.status === 401 && out["www-authenticate"] === undefined)
              out["www-authenticate"] = bearerChallenge(headers.get("authorization"));
            // GraphQL over HTTP: a request error is 200 as application/json, 400 as graphql-response+json.
            const status = requestErrorStatus(result.status ?? 200, out, headers.get("accept"));
            res.writeHead(status, out);
            if (result.body.kind === "complete") res.end(result.body.string);
            else {
              for await (const chunk of result.body.asyncIterator) res.write(chunk);
              res.end();
            }
            return status;
          });
        },
        parentSpanIdFrom(traceparent),
      );
    })().catch(() => {
      if (!res.headersSent)
        send(
          res,
          500,
          '{"errors":[{"message":"Internal error.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}',
        );
      else res.end();
    });
  });
}

/**
 * The operator's listener (OPS_PORT on OPS_HOST, loopback by default): `/health`, `/ready`
 * with the database, each source's circuit (`closed`, `open`, `halfOpen`) and the audit
 * checkpoints (role, last written, the error of a failing writer), and `/metrics` (Prometheus,
 * issue 13). No `/graphql`: nothing here reaches a registry or needs a token, so it must not
 * face the public network.
 */
export function createOpsServer(
  db: Db,
  sources: SourceStates,
  lifecycle: Lifecycle = RUNNING,
  metrics?: Metrics,
): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") return send(res, 200, '{"status":"ok"}');
      if (url.pathname === "/metrics" && metrics) {
        const scraped = await metrics();
        return send(res, 200, scraped.body, scraped.contentType);
      }
      if (url.pathname !== "/ready") return send(res, 404, '{"error":"not found"}');
      if (lifecycle.draining()) return send(res, 503, '{"status":"draining"}');
      const up = await databaseReachable(db);
      const circuits = Object.fromEntries(sources().map((s) => [s.source, s.circuit]));
      const checkpoints = lifecycle.checkpoints?.();
      const policy = up ? await lifecycle.policy?.() : undefined;
      const extra = { ...(checkpoints ? { checkpoints } : {}), ...(policy ? { policy } : {}) };
      if (!up)
        return send(
          res,
          503,
          JSON.stringify({ status: "unavailable", database: "unavailable", sources: circuits, ...extra }),
        );
      if (policy?.state === "unavailable")
        return send(
          res,
          503,
          JSON.stringify({ status: "policy_version_unavailable", sources: circuits, ...extra }),
        );
      return checkpoints?.error === undefined
        ? send(res, 200, JSON.stringify({ status: "ready", sources: circuits, ...extra }))
        : send(res, 503, JSON.stringify({ status: "checkpoint_failed", sources: circuits, ...extra }));
    })().catch(() => {
      if (!res.headersSent) send(res, 500, '{"error":"internal error"}');
      else res.end();
    });
  });
}

export async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server.address() as AddressInfo;
}
