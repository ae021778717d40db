import { Agent, request } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import type { FetchLike } from "../http/index.ts";

/** A client certificate with its key (PEM), and the CA to trust instead of the system's, if any. */
export interface ClientTls {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string | undefined;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function flatHeaders(init: ConstructorParameters<typeof Headers>[0]): Record<string, string> {
  return Object.fromEntries(new Headers(init).entries());
}

/**
 * A `fetch` that presents a client certificate: the Kadaster's production endpoints and the
 * `esd-eto` test endpoint require mTLS with a PKIoverheid certificate besides the API key
 * (reference/brk-bevragen-getting-started.md, "Beveiligde verbinding met API-key & mTLS").
 * Node's global fetch takes no TLS options, so this is node:https behind the fetch interface the
 * shared upstream layer expects; one keep-alive agent per client. Only what the upstream layer
 * uses is supported: a string URL, method, headers, a string body and an abort signal.
 */
export function createTlsFetch(tls: ClientTls): FetchLike {
  const agent = new Agent({
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    keepAlive: true,
  });
  const tlsFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const req = request(
        url,
        {
          method: init?.method ?? "GET",
          headers: flatHeaders(init?.headers),
          agent,
          ...(init?.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const status = res.statusCode ?? 500;
            const body = NULL_BODY.has(status) ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers: headersOf(res.headers) }));
          });
        },
      );
      req.on("error", reject);
      if (typeof init?.body === "string") req.write(init.body);
      req.end();
    });
  return tlsFetch as FetchLike;
}
