import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type ServerOptions as TlsServerOptions } from "node:https";
import type { AddressInfo } from "node:net";

/**
 * What every registry simulator shares: the switchable faults, the request log that tests read
 * (with `nextRequest` instead of polling), listening on loopback and closing with every hanging
 * connection ended. Each simulator supplies only its protocol.
 */
export const SIMULATOR_FAULTS = [
  "none",
  "http500",
  "http503",
  "timeout",
  "reset",
  "malformed",
  "wrongContentType",
] as const;
export type SimulatorFault = (typeof SIMULATOR_FAULTS)[number];

/**
 * The simulator's fault switch. A fault holds until switched again, or, when set for `times`
 * requests, for that many requests only (to show that a retry gets through).
 */
export interface FaultSwitch {
  set(fault: SimulatorFault, times?: number): void;
  /** The fault for the request arriving now; counts one of a limited fault off. */
  next(): SimulatorFault;
}

export function createFaultSwitch(): FaultSwitch {
  let fault: SimulatorFault = "none";
  let left = Infinity;
  return {
    set(next, times = Infinity) {
      if (!(times === Infinity || (Number.isInteger(times) && times > 0)))
        throw new RangeError(`fault times must be a positive integer, got ${times}`);
      fault = next;
      left = times;
    },
    next() {
      const current = fault;
      if (current !== "none" && --left <= 0) fault = "none";
      return current;
    },
  };
}

/** Default of {@link createRequestLog}'s bound (SIMULATOR_REQUEST_LOG_SIZE): the last 1,000 requests. */
export const DEFAULT_REQUEST_LOG_SIZE = 1000;

/** The option every simulator takes for its request log. */
export interface RequestLogOptions {
  /** Requests the log keeps (the newest); older ones are dropped, the count keeps counting. */
  readonly requestLogSize?: number | undefined;
}

export interface RequestLog<R> {
  /** The newest requests, oldest first, at most the log's size (a long-running demo stays flat). */
  readonly requests: R[];
  /** Every request recorded since the start or the last `clear()`, also those no longer kept. */
  readonly count: number;
  record(r: R): void;
  /** Resolves when the next request has been recorded. */
  nextRequest(): Promise<R>;
  clear(): void;
}

/**
 * A bounded request log: keeps the newest `size` requests (a ring over one array, so tests
 * still index and filter it) and counts all of them, so call-count tests hold past the bound.
 */
export function createRequestLog<R>(size: number = DEFAULT_REQUEST_LOG_SIZE): RequestLog<R> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`request log size must be a positive integer, got ${size}`);
  const requests: R[] = [];
  let count = 0;
  let waiting: ((r: R) => void)[] = [];
  return {
    requests,
    get count() {
      return count;
    },
    record(r) {
      requests.push(r);
      if (requests.length > size) requests.splice(0, requests.length - size);
      count++;
      const ws = waiting;
      waiting = [];
      ws.forEach((w) => w(r));
    },
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    clear() {
      requests.length = 0;
      count = 0;
    },
  };
}

/** The protocol-relevant request headers, lower-case names, string values only. */
export function keptHeaders(req: IncomingMessage, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((h) => (typeof req.headers[h] === "string" ? [[h, req.headers[h] as string]] : [])),
  );
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface FaultAnswers {
  /** Records a request that gets no answer (timeout, reset). */
  noAnswer(): void;
  /** The API's own 500 / 503 error body. */
  serverError(status: 500 | 503): void;
  /** Sends a raw body with a status and content type (and records it with an undefined body). */
  raw(status: number, contentType: string, body: string): void;
  /** The start of a valid body, cut off, in the API's own content type. */
  readonly malformed: { readonly contentType: string; readonly body: string };
}

/**
 * Answers the request as the current fault prescribes; false when there is no fault. `timeout`
 * never answers (the client's abort or `close()` ends the connection).
 */
export function answerFault(fault: SimulatorFault, req: IncomingMessage, answers: FaultAnswers): boolean {
  switch (fault) {
    case "none":
      return false;
    case "timeout":
      answers.noAnswer();
      return true;
    case "reset":
      answers.noAnswer();
      req.socket.destroy();
      return true;
    case "http500":
    case "http503":
      answers.serverError(fault === "http500" ? 500 : 503);
      return true;
    case "malformed":
      answers.raw(200, answers.malformed.contentType, answers.malformed.body);
      return true;
    case "wrongContentType":
      answers.raw(200, "text/html", "<html><body>Onderhoud</body></html>");
      return true;
  }
}

export interface SimulatorServer {
  /** `http://host:port` */
  readonly origin: string;
  /** Stops the server and ends every open (e.g. hanging) connection. */
  close(): Promise<void>;
}

/**
 * Listens on host:port (0 = any free port) with `handle`; a handler that throws gets a bare 500.
 * With `tls` it is an HTTPS server (e.g. one that requires a client certificate, for mTLS).
 */
export async function listenSimulator(
  host: string,
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  tls?: TlsServerOptions,
): Promise<SimulatorServer> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
  const server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `${tls ? "https" : "http"}://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** What tests hold of a running simulator; each simulator adds its own extras (token URL, register). */
export interface SimulatorHandle<R> {
  /** Base URL of the API, including its base path. */
  readonly url: string;
  /** The newest requests (at most the log's size, SIMULATOR_REQUEST_LOG_SIZE), oldest first. */
  readonly requests: readonly R[];
  /** Requests received since the start or `clearRequests()`, also those the log no longer keeps. */
  requestCount(): number;
  /** Answers every following request with `fault`, or only the next `times` requests. */
  setFault(fault: SimulatorFault, times?: number): void;
  /** Resolves when the next request has been received (recorded), without polling. */
  nextRequest(): Promise<R>;
  clearRequests(): void;
  /** Stops the server and ends every open (e.g. hanging) connection. */
  close(): Promise<void>;
}

/** The handle over a request log, a listening server and the simulator's fault switch. */
export function simulatorHandle<R>(
  url: string,
  log: RequestLog<R>,
  server: SimulatorServer,
  setFault: FaultSwitch["set"],
): SimulatorHandle<R> {
  return {
    url,
    requests: log.requests,
    // A function, not a getter: simulators spread this handle into their own.
    requestCount: () => log.count,
    setFault,
    nextRequest: log.nextRequest,
    clearRequests: log.clear,
    close: server.close,
  };
}
