import { err, type Result, type SourceError } from "../shared/index.ts";
import { createBagLoaders, type BagClient, type BagLoaders } from "./bag/index.ts";
import { createBewoningLoaders, type BewoningClient, type BewoningLoaders } from "./bewoning/index.ts";
import { createBrkLoaders, type BrkClient, type BrkLoaders } from "./brk/index.ts";
import { createBrpLoaders, type BrpClient, type BrpLoaders } from "./brp/index.ts";
import { createHistorieLoaders, type HistorieClient, type HistorieLoaders } from "./historie/index.ts";
import { createKvkLoaders, type KvkClient, type KvkLoaders } from "./kvk/index.ts";
import {
  createPermitsLoaders,
  kvkOndernemingLookup,
  type PermitsClient,
  type PermitsLoaders,
} from "./permits/index.ts";
import { createWozLoaders, type WozClient, type WozLoaders } from "./woz/index.ts";
import { createRegisterLoaders, type RegisterClient, type RegisterLoaders } from "./register/index.ts";

/**
 * The upstream clients of one gateway, made once at start-up. The BRP is required; every other
 * source is optional, and a source without a client answers UNKNOWN / UPSTREAM_UNAVAILABLE
 * (`source_not_configured`), never "nothing found".
 */
export interface Upstreams {
  readonly brp: BrpClient;
  readonly bag?: BagClient | undefined;
  readonly hr?: KvkClient | undefined;
  readonly brk?: BrkClient | undefined;
  readonly bewoning?: BewoningClient | undefined;
  readonly historie?: HistorieClient | undefined;
  readonly permits?: PermitsClient | undefined;
  readonly woz?: WozClient | undefined;
  /** The municipality's own registers (issue 16), each read as its policy definition says. */
  readonly registers?: RegisterClient | undefined;
}

/** Per-request DataLoaders of every configured source (design.md: no N+1, nothing cached across requests). */
export interface SourceLoaders {
  readonly brp: BrpLoaders;
  readonly bag?: BagLoaders | undefined;
  readonly hr?: KvkLoaders | undefined;
  readonly brk?: BrkLoaders | undefined;
  readonly bewoning?: BewoningLoaders | undefined;
  readonly historie?: HistorieLoaders | undefined;
  readonly permits?: PermitsLoaders | undefined;
  readonly woz?: WozLoaders | undefined;
  readonly registers?: RegisterLoaders | undefined;
}

export function createSourceLoaders(upstreams: Upstreams): SourceLoaders {
  const hr = upstreams.hr && createKvkLoaders(upstreams.hr);
  return {
    brp: createBrpLoaders(upstreams.brp),
    bag: upstreams.bag && createBagLoaders(upstreams.bag),
    hr,
    // A company's zaken are found by its RSIN and vestigingsnummers, which only KVK knows.
    permits:
      upstreams.permits &&
      createPermitsLoaders(upstreams.permits, hr ? { onderneming: kvkOndernemingLookup(hr) } : {}),
    brk: upstreams.brk && createBrkLoaders(upstreams.brk),
    bewoning: upstreams.bewoning && createBewoningLoaders(upstreams.bewoning),
    historie: upstreams.historie && createHistorieLoaders(upstreams.historie),
    woz: upstreams.woz && createWozLoaders(upstreams.woz),
    registers: upstreams.registers && createRegisterLoaders(upstreams.registers),
  };
}

/** The answer for a source this gateway has no client for. */
export const notConfigured = (): Result<never, SourceError> =>
  err({ kind: "unavailable", reason: "source_not_configured" });
