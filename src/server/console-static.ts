import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import type { ConsoleConfig } from "../config/index.ts";

/** Path prefix of the web console (issue 14). */
export const CONSOLE_PATH = "/console";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * The console's Content-Security-Policy: scripts and styles from the gateway only (no inline
 * script), data only from the gateway and the identity provider's token endpoint origin.
 */
export function consoleCsp(config: ConsoleConfig): string {
  const idp = originOf(config.discoveryUrl);
  const connect = ["'self'", ...(idp && idp !== originOf(config.publicUrl) ? [idp] : [])].join(" ");
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function headers(csp: string, type: string, cache: string): Record<string, string> {
  return {
    "content-type": type,
    "cache-control": cache,
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
}

/**
 * Serves the built console from `config.dir` under {@link CONSOLE_PATH}: files with their content
 * type, `index.html` for every other path below it (client routes), `config.json` with what the
 * console needs to log in (client id, redirect URI, discovery document). Nothing outside the
 * directory is reachable (no `..`, no encoded separators, no dot files). Without a build,
 * 404 "console not built: npm run build".
 */
export function createConsoleHandler(config: ConsoleConfig) {
  const root = resolve(config.dir);
  const csp = consoleCsp(config);
  const publicConfig = JSON.stringify({
    clientId: config.clientId,
    redirectUri: config.redirectUri,
    discoveryUrl: config.discoveryUrl,
    scope: config.scope,
  });

  const fileIn = async (relative: string): Promise<string | undefined> => {
    const path = resolve(join(root, relative));
    if (path !== root && !path.startsWith(root + sep)) return undefined;
    try {
      return (await stat(path)).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  };

  const notBuilt = (res: ServerResponse) => {
    res.writeHead(404, headers(csp, "text/plain; charset=utf-8", "no-store"));
    res.end("console not built: npm run build\n");
  };

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname !== CONSOLE_PATH && !url.pathname.startsWith(`${CONSOLE_PATH}/`)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      res.end("method not allowed\n");
      return true;
    }
    if (url.pathname === CONSOLE_PATH) {
      res.writeHead(308, { location: `${CONSOLE_PATH}/` });
      res.end();
      return true;
    }
    if (url.pathname === `${CONSOLE_PATH}/config.json`) {
      res.writeHead(200, headers(csp, TYPES[".json"] ?? "application/json", "no-store"));
      res.end(req.method === "HEAD" ? undefined : publicConfig);
      return true;
    }
    const index = await fileIn("index.html");
    if (!index) {
      notBuilt(res);
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice(CONSOLE_PATH.length + 1));
    } catch {
      relative = "\0";
    }
    const segments = relative.split("/");
    const bad =
      relative.includes("\0") ||
      relative.includes("\\") ||
      segments.some((s) => s === ".." || (s.startsWith(".") && s.length > 0));
    if (bad) {
      res.writeHead(400, headers(csp, "text/plain; charset=utf-8", "no-store"));
      res.end("bad path\n");
      return true;
    }
    const ext = extname(relative);
    const file = relative === "" ? index : await fileIn(relative);
    if (!file) {
      // A missing asset is a 404; any other path is a client route of the single-page app.
      if (relative.startsWith("assets/") || (ext !== "" && ext !== ".html")) {
        res.writeHead(404, headers(csp, "text/plain; charset=utf-8", "no-store"));
        res.end("not found\n");
        return true;
      }
    }
    const path = file ?? index;
    const type = TYPES[extname(path)] ?? "application/octet-stream";
    // Hashed asset names never change content; index.html must be revalidated.
    const cache = path.startsWith(join(root, "assets") + sep)
      ? "public, max-age=31536000, immutable"
      : "no-cache";
    const body = await readFile(path);
    res.writeHead(200, { ...headers(csp, type, cache), "content-length": String(body.length) });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}

export type ConsoleHandler = ReturnType<typeof createConsoleHandler>;
