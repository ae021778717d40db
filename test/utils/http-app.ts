import type { Server } from "node:http";
import { createHttpServer, listen } from "../../src/server/index.ts";
import { startTestApp, type GqlResult, type TestApp } from "./test-app.ts";

/** The demo gateway over real HTTP on a loopback port, with the demo's simulators behind it. */
export interface HttpApp {
  readonly t: TestApp;
  readonly base: string;
  /** POSTs an operation to /graphql; the body is parsed as JSON (null if it is not JSON). */
  post(
    query: string,
    options?: {
      token?: string;
      variables?: Record<string, unknown>;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; headers: Headers; body: GqlResult }>;
  close(): Promise<void>;
}

export async function startHttpApp(options: Parameters<typeof startTestApp>[0] = {}): Promise<HttpApp> {
  const t = await startTestApp(options);
  const server: Server = createHttpServer(t.app.gateway, t.app.db);
  const address = await listen(server, 0, "127.0.0.1");
  const base = `http://127.0.0.1:${address.port}`;
  return {
    t,
    base,
    post: async (query, o = {}) => {
      const res = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...o.headers,
        },
        body: JSON.stringify({ query, ...(o.variables ? { variables: o.variables } : {}) }),
      });
      const text = await res.text();
      let body: GqlResult;
      try {
        body = JSON.parse(text) as GqlResult;
      } catch {
        body = { data: null, errors: [{ message: text }] };
      }
      return { status: res.status, headers: res.headers, body };
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}
