import type { Logger } from "pino";
import type { Config, UpstreamConfig } from "../config/index.ts";
import type { Clock } from "../shared/index.ts";
import { createBagClient, startBagSimulator, type BagSimulator } from "../sources/bag/index.ts";
import {
  createBewoningClient,
  startBewoningSimulator,
  type BewoningSimulator,
} from "../sources/bewoning/index.ts";
import { createBrkClient, startBrkSimulator, type BrkSimulator } from "../sources/brk/index.ts";
import { createBrpClient, startBrpSimulator, type BrpSimulator } from "../sources/brp/index.ts";
import {
  createHistorieClient,
  startHistorieSimulator,
  type HistorieSimulator,
} from "../sources/historie/index.ts";
import {
  createSourceResilience,
  type ResilientSource,
  type SourceResilience,
} from "../sources/http/index.ts";
import {
  createKvkClient,
  createKvkRegister,
  startKvkSimulator,
  type KvkSimulator,
} from "../sources/kvk/index.ts";
import {
  createPermitsClient,
  startPermitsSimulator,
  type PermitsSimulator,
} from "../sources/permits/index.ts";
import { createRegisterClient, type RegisterDatabase } from "../sources/register/index.ts";
import type { Upstreams } from "../sources/source-loaders.ts";
import { createWozClient, startWozSimulator, type WozSimulator } from "../sources/woz/index.ts";
import { openDb } from "../store/index.ts";
import type { Municipality } from "../sources/synthetic/index.ts";

/** Credentials of the demo simulators (loopback only); exported for a bench that starts them apart. */
export const DEMO_KEYS = {
  brp: "demo-brp-api-key",
  bag: "demo-bag-api-key",
  kvk: "demo-kvk-api-key",
  woz: "demo-woz-api-key",
  brk: "demo-brk-api-key",
} as const;
export const DEMO_ZGW = {
  clientId: "poortwachter-demo",
  secret: "demo-zgw-secret-for-the-simulator-only",
} as const;

/** The simulators of demo mode, one per source, over the same synthetic municipality. */
export interface DemoSimulators {
  readonly brp: BrpSimulator;
  readonly bag: BagSimulator;
  readonly kvk: KvkSimulator;
  readonly brk: BrkSimulator;
  readonly bewoning: BewoningSimulator;
  readonly historie: HistorieSimulator;
  readonly permits: PermitsSimulator;
  readonly woz: WozSimulator;
}

/**
 * Starts every simulator on loopback and returns the configuration that points the gateway at
 * them: demo mode is the production wiring with other URLs and credentials.
 *
 * A source URL set in the environment (BRP_URL, BAG_URL, KVK_URL, BRK_URL, BEWONING_URL, HISTORIE_URL, WOZ_URL,
 * PERMITS_ZAKEN_URL with PERMITS_CATALOGI_URL) is kept in demo mode: the gateway calls that
 * source there — e.g. demo simulators started in a process of their own (`npm run bench`) —
 * with the source's configured credentials, or the demo's when none are set. Its in-process
 * simulator still starts (the demo's handles and printout), but gets no calls.
 */
export async function startDemoSources(
  config: Config,
  municipality: Municipality,
  onClose: (close: () => Promise<void>) => void,
): Promise<{ config: Config; simulators: DemoSimulators }> {
  const requestLogSize = config.simulatorRequestLogSize;
  const brp = await startBrpSimulator({ municipality, apiKey: DEMO_KEYS.brp, requestLogSize });
  onClose(() => brp.close());
  const bag = await startBagSimulator({ municipality, apiKey: DEMO_KEYS.bag, requestLogSize });
  onClose(() => bag.close());
  const register = createKvkRegister(municipality);
  const kvk = await startKvkSimulator({ municipality, register, apiKey: DEMO_KEYS.kvk, requestLogSize });
  onClose(() => kvk.close());
  // The Kadaster's owners are the BRP's persons and the KVK's companies (the same register).
  const brk = await startBrkSimulator({
    municipality,
    kvkRegister: register,
    apiKey: DEMO_KEYS.brk,
    requestLogSize,
  });
  onClose(() => brk.close());
  const bewoning = await startBewoningSimulator({ municipality, apiKey: DEMO_KEYS.brp, requestLogSize });
  onClose(() => bewoning.close());
  const historie = await startHistorieSimulator({ municipality, apiKey: DEMO_KEYS.brp, requestLogSize });
  onClose(() => historie.close());
  const permits = await startPermitsSimulator({
    municipality,
    requestLogSize,
    kvkRegister: register,
    clientId: DEMO_ZGW.clientId,
    secret: DEMO_ZGW.secret,
  });
  onClose(() => permits.close());
  const woz = await startWozSimulator({
    municipality,
    kvkRegister: register,
    apiKey: DEMO_KEYS.woz,
    requestLogSize,
  });
  onClose(() => woz.close());
  const key = (apiKey: string) => ({ kind: "apiKey" as const, apiKey });
  const at = <U extends UpstreamConfig>(u: U, url: string, apiKey: string): U =>
    u.url ? { ...u, auth: u.auth.kind === "none" ? key(apiKey) : u.auth } : { ...u, url, auth: key(apiKey) };
  return {
    config: Object.freeze({
      ...config,
      brp: at(config.brp, brp.url, DEMO_KEYS.brp),
      bag: at(config.bag, bag.url, DEMO_KEYS.bag),
      kvk: at(config.kvk, kvk.url, DEMO_KEYS.kvk),
      brk: at(config.brk, brk.url, DEMO_KEYS.brk),
      bewoning: at(config.bewoning, bewoning.url, DEMO_KEYS.brp),
      historie: at(config.historie, historie.url, DEMO_KEYS.brp),
      woz: at(config.woz, woz.url, DEMO_KEYS.woz),
      // loadConfig has checked that PERMITS_* are set all four or none.
      permits: config.permits.zakenUrl
        ? config.permits
        : {
            ...config.permits,
            zakenUrl: permits.zakenUrl,
            catalogiUrl: permits.catalogiUrl,
            ...DEMO_ZGW,
          },
    }),
    simulators: { brp, bag, kvk, brk, bewoning, historie, permits, woz },
  };
}

/**
 * One client per configured source, each behind its own resilience (bulkhead, retry, breaker),
 * which lives as long as the gateway so a failing source is recognised across requests.
 */
export function createUpstreams(
  config: Config,
  logger: Logger,
  clock: Clock,
  /** Wraps each source's resilience, e.g. to time its calls (src/observability); the state stays the inner one's. */
  observe: (resilience: ResilientSource) => SourceResilience = (r) => r,
  /** The gateway's own database: what a register without its connection variable reads in demo mode. */
  ownDatabase?: RegisterDatabase,
): { upstreams: Upstreams; resilience: readonly ResilientSource[]; notConfigured: readonly string[] } {
  const resilience: ResilientSource[] = [];
  const protect = (source: string) => {
    const r = createSourceResilience({
      source,
      maxConcurrent: config.resilience.maxConcurrent,
      queueSize: config.resilience.queueSize,
      queueWaitMs: config.resilience.queueWaitMs,
      retries: config.resilience.retries,
      breaker: {
        consecutiveFailures: config.resilience.breakerFailures,
        halfOpenAfterMs: config.resilience.breakerCooldownMs,
      },
      onCircuitChange: (circuit) => logger.warn({ source, circuit }, "circuit breaker changed"),
    });
    resilience.push(r);
    return r;
  };
  const common = (u: UpstreamConfig, source: string) => ({
    auth: u.auth,
    timeoutMs: u.timeoutMs,
    clock,
    resilience: observe(protect(source)),
  });
  const notConfigured: string[] = [];
  const optional = <T>(source: string, url: string | undefined, make: (url: string) => T): T | undefined => {
    if (url) return make(url);
    notConfigured.push(source);
    return undefined;
  };
  const brpUrl = config.brp.url;
  if (!brpUrl) throw new Error("BRP_URL is required (checked by loadConfig)");
  const upstreams: Upstreams = {
    brp: createBrpClient({
      baseUrl: brpUrl,
      ...common(config.brp, "brp"),
      protocollering: config.brp.protocollering,
    }),
    bag: optional("bag", config.bag.url, (baseUrl) =>
      createBagClient({ baseUrl, ...common(config.bag, "bag") }),
    ),
    hr: optional("hr", config.kvk.url, (baseUrl) =>
      createKvkClient({ baseUrl, ...common(config.kvk, "hr") }),
    ),
    brk: optional("brk", config.brk.url, (baseUrl) =>
      createBrkClient({ baseUrl, ...common(config.brk, "brk"), tls: config.brk.tls }),
    ),
    bewoning: optional("bewoning", config.bewoning.url, (baseUrl) =>
      createBewoningClient({ baseUrl, ...common(config.bewoning, "bewoning") }),
    ),
    historie: optional("historie", config.historie.url, (baseUrl) =>
      createHistorieClient({ baseUrl, ...common(config.historie, "historie") }),
    ),
    woz: optional("woz", config.woz.url, (baseUrl) =>
      createWozClient({ baseUrl, ...common(config.woz, "woz") }),
    ),
    permits: optional("permits", config.permits.zakenUrl, (zakenUrl) => {
      const { catalogiUrl, clientId, secret, timeoutMs } = config.permits;
      if (!catalogiUrl || !clientId || !secret)
        throw new Error("PERMITS_* incomplete (checked by loadConfig)");
      return createPermitsClient({
        zakenUrl,
        catalogiUrl,
        clientId,
        secret,
        timeoutMs,
        clock,
        resilience: observe(protect("permits")),
      });
    }),
    // Issue 16: the municipality's own registers, each as its policy file says (close with close()).
    registers: createRegisterClient({
      env: config.registerEnv ?? {},
      ownDatabase: config.demoMode ? ownDatabase : undefined,
      open: (url) => openDb({ url, timeouts: config.databaseTimeouts }),
      protect: (source) => observe(protect(`register:${source}`)),
    }),
  };
  return { upstreams, resilience, notConfigured };
}
