import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createZgwTokenSource, verifyZgwToken } from "../../../src/sources/permits/index.ts";

const CLIENT = { clientId: "poortwachter", secret: "gedeeld-geheim" };
const now = new Date("2026-03-01T12:00:00Z");
const at = (date: Date) => ({ now: () => date });
const sign = (claims: Record<string, unknown>, secret = CLIENT.secret, alg = "HS256") =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
const iat = Math.floor(now.getTime() / 1000);
const valid = {
  iss: "poortwachter",
  iat,
  client_id: "poortwachter",
  user_id: "u",
  user_representation: "U",
};

describe("ZGW client JWT", () => {
  it("the token source's tokens pass the server's check", async () => {
    const token = await createZgwTokenSource(
      { ...CLIENT, userId: "u", userRepresentation: "U" },
      at(now),
    ).token();
    if (!token.ok) throw new Error("no token");
    expect(await verifyZgwToken(token.value, { ...CLIENT, now })).toBe(true);
    expect(await verifyZgwToken(token.value, { ...CLIENT, now: new Date(now.getTime() + 299_000) })).toBe(
      true,
    );
    // exp = iat + 300 s.
    expect(await verifyZgwToken(token.value, { ...CLIENT, now: new Date(now.getTime() + 310_000) })).toBe(
      false,
    );
  });

  it("accepts the payload the spec prescribes, without exp", async () => {
    expect(await verifyZgwToken(await sign(valid), { ...CLIENT, now })).toBe(true);
  });

  it.each([
    ["another secret", () => sign(valid, "ander geheim")],
    ["another issuer", () => sign({ ...valid, iss: "iemand" })],
    ["another client_id", () => sign({ ...valid, client_id: "iemand" })],
    ["no iat", () => sign({ ...valid, iat: undefined })],
    ["an iat two hours old", () => sign({ ...valid, iat: iat - 7200 })],
    ["an iat in the future", () => sign({ ...valid, iat: iat + 600 })],
    ["no user_id", () => sign({ ...valid, user_id: undefined })],
    ["HS512", () => sign(valid, CLIENT.secret, "HS512")],
    ["alg none", async () => new UnsecuredJWT(valid).encode()],
    ["no JWT at all", async () => "geen.token.hier"],
  ])("refuses %s", async (_name, token) => {
    expect(await verifyZgwToken(await token(), { ...CLIENT, now })).toBe(false);
  });
});
