import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from "jose";

export const ISSUER = "https://idp.test/realms/gemeente";
export const AUDIENCE = "poortwachter";

export interface TestIdp {
  readonly jwksUrl: string;
  /** Number of JWKS requests served, to show the remote key set was really used. */
  readonly requests: () => number;
  /** Claims over the defaults (iss, aud, sub, iat, exp); a claim set to `undefined` is left out. */
  sign(payload: Record<string, unknown>, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export interface SignOptions {
  readonly alg?: "RS256" | "ES256";
  /** Seconds from now; `null` leaves `exp` out. Default 300. */
  readonly expiresIn?: number | null;
  /** Sign with this key instead of the published one (same kid): a forged signature. */
  readonly key?: CryptoKey;
}

/** An identity provider whose JWKS (one RS256 and one ES256 key) is served over real HTTP on port 0. */
export async function startTestIdp(): Promise<TestIdp> {
  const rs = await generateKeyPair("RS256");
  const es = await generateKeyPair("ES256");
  const keys: JWK[] = [
    { ...(await exportJWK(rs.publicKey)), kid: "rs-1", alg: "RS256", use: "sig" },
    { ...(await exportJWK(es.publicKey)), kid: "es-1", alg: "ES256", use: "sig" },
  ];
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (req.url !== "/jwks.json") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    requests: () => requests,
    async sign(payload, options = {}) {
      const alg = options.alg ?? "RS256";
      const pair = alg === "RS256" ? rs : es;
      const now = Math.floor(Date.now() / 1000);
      const claims = Object.fromEntries(
        Object.entries({ iss: ISSUER, aud: AUDIENCE, sub: "u-1001", iat: now, ...payload }).filter(
          ([, value]) => value !== undefined,
        ),
      ) as JWTPayload;
      const jwt = new SignJWT(claims).setProtectedHeader({
        alg,
        kid: alg === "RS256" ? "rs-1" : "es-1",
        typ: "JWT",
      });
      const expiresIn = options.expiresIn === undefined ? 300 : options.expiresIn;
      if (expiresIn !== null && payload.exp === undefined) jwt.setExpirationTime(now + expiresIn);
      return jwt.sign(options.key ?? pair.privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
