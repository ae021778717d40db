import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HeaderMap } from "@apollo/server";
import type { Db } from "../store/index.ts";
import type { Gateway } from "./gateway.ts";

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

/** The circuit of each upstream source, as `/ready` reports it. */
export type SourceStates = () => readonly { readonly source: string; readonly circuit: string }[];

/**
 * HTTP: `/graphql` (Apollo's HTTP handling), `/health` (process up) and `/ready` (database
 * reachable; also lists each source's circuit, for information: a source that is down makes only
 * its own answers UNKNOWN, so it does not make the gateway unready). Everything else is 404.
 */
export function createHttpServer(gateway: Gateway, db: Db, sources: SourceStates = () => []): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") return send(res, 200, '{"status":"ok"}');
      if (url.pathname === "/ready") {
        try {
          await db.query("SELECT 1");
          const circuits = Object.fromEntries(sources().map((s) => [s.source, s.circuit]));
          return send(res, 200, JSON.stringify({ status: "ready", sources: circuits }));
        } catch {
          return send(res, 503, '{"status":"database unavailable"}');
        }
      }
      if (url.pathname !== "/graphql") return send(res, 404, '{"error":"not found"}');
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
      const result = await gateway.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
        context: () =>
          gateway.contextFor({
            authorization: headers.get("authorization"),
            traceparent: headers.get("traceparent"),
          }),
      });
      const out: Record<string, string> = {};
      for (const [k, v] of result.headers) out[k] = v;
      res.writeHead(result.status ?? 200, out);
      if (result.body.kind === "complete") res.end(result.body.string);
      else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
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

export async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server.address() as AddressInfo;
}
