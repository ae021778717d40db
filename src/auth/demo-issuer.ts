import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import { z } from "zod";
import { DEMO_ISSUER } from "../config/index.ts";
import { systemClock, type Clock } from "../shared/index.ts";
import type { DemoTokenClaims } from "./types.ts";

export const DEMO_AUDIENCE = "poortwachter-demo";
export const DEMO_ALGORITHM = "ES256";
/** File name of the demo signing key inside the data directory. */
export const DEMO_KEY_FILE = "demo-issuer-key.json";

/**
 * Default lifetime of a demo token: one hour, like the access tokens of the usual identity
 * providers and within the default OIDC_MAX_TOKEN_LIFETIME_S, so a demo token is accepted by the
 * same lifetime rules as a real one.
 */
export const DEMO_TOKEN_TTL_S = 60 * 60;
const DEFAULT_AMR: readonly string[] = ["pwd", "otp"];

/**
 * The token issuer of demo mode: signs tokens for the demo users and the `token` CLI, and hands
 * the authenticator its public key. The server passes it to the authenticator only in demo
 * mode, which is what makes demo tokens worthless anywhere else.
 */
export interface DemoIssuer {
  readonly issuer: typeof DEMO_ISSUER;
  readonly audience: typeof DEMO_AUDIENCE;
  /** Public key only. */
  readonly jwks: JSONWebKeySet;
  readonly verifyKey: JWTVerifyGetKey;
  mint(claims: DemoTokenClaims): Promise<string>;
}

export interface DemoIssuerDeps {
  readonly clock?: Clock;
  readonly newId?: () => string;
}

// Validated at the edge: the file may have been edited or truncated by hand.
const privateJwkSchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});
type PrivateJwk = z.infer<typeof privateJwkSchema>;

const isErrno = (e: unknown, code: string): boolean =>
  e instanceof Error && (e as NodeJS.ErrnoException).code === code;

async function readKey(file: string): Promise<PrivateJwk | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT")) return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON; delete it to generate a new demo key`);
  }
  const parsed = privateJwkSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: not an ES256 private key; delete it to generate a new one`);
  return parsed.data;
}

async function createKey(file: string): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(DEMO_ALGORITHM, { extractable: true });
  const jwk = privateJwkSchema.parse(await exportJWK(privateKey));
  try {
    // `wx`: if another process created the key in the meantime, keep theirs.
    await writeFile(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: "wx" });
    return jwk;
  } catch (e) {
    if (!isErrno(e, "EEXIST")) throw e;
    const existing = await readKey(file);
    if (!existing) throw e;
    return existing;
  }
}

/**
 * Loads the demo signing key from `<dataDir>/demo-issuer-key.json`, generating it (mode 0600) on
 * first use, so demo tokens survive a restart of the gateway.
 */
export async function loadOrCreateDemoIssuer(
  dataDir: string,
  deps: DemoIssuerDeps = {},
): Promise<DemoIssuer> {
  const clock = deps.clock ?? systemClock;
  const newId = deps.newId ?? randomUUID;
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, DEMO_KEY_FILE);
  const privateJwk = (await readKey(file)) ?? (await createKey(file));

  const { d: _d, ...publicFields } = privateJwk;
  const kid = await calculateJwkThumbprint(publicFields);
  const publicJwk: JWK = { ...publicFields, kid, alg: DEMO_ALGORITHM, use: "sig" };
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
  const signingKey = await importJWK(privateJwk, DEMO_ALGORITHM);

  return Object.freeze({
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    jwks,
    verifyKey: createLocalJWKSet(jwks),
    async mint(claims: DemoTokenClaims): Promise<string> {
      const ttl = claims.ttlSeconds ?? DEMO_TOKEN_TTL_S;
      if (claims.sub.trim().length === 0) throw new Error("a demo token needs a non-empty sub");
      if (!Number.isSafeInteger(ttl) || ttl <= 0) throw new Error("ttlSeconds must be a positive integer");
      const now = Math.floor(clock.now().getTime() / 1000);
      const payload: Record<string, unknown> = { roles: [...claims.roles] };
      // A client-credentials token names its client and shows no second factor (issue 12).
      const amr = claims.amr ?? (claims.clientId === undefined ? DEFAULT_AMR : undefined);
      if (amr !== undefined) payload["amr"] = [...amr];
      if (claims.clientId !== undefined) {
        payload["azp"] = claims.clientId;
        payload["client_id"] = claims.clientId;
      }
      if (claims.department !== undefined) payload["department"] = claims.department;
      if (claims.name !== undefined) payload["name"] = claims.name;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: DEMO_ALGORITHM, kid, typ: "JWT" })
        .setIssuer(DEMO_ISSUER)
        .setAudience(DEMO_AUDIENCE)
        .setSubject(claims.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .setJti(newId())
        .sign(signingKey);
    },
  });
}
