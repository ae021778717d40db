import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, GENESIS_HASH } from "../../src/audit/index.ts";
import { contentHashOf, linkHash, sha256Hex } from "../../src/audit/hash-chain.ts";

describe("canonical JSON and chain hashes", () => {
  it("is independent of key order and round-trips through JSON like jsonb", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
          v && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        ) as unknown;
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toStrictEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("sorts keys, writes dates as ISO strings and leaves undefined members out", () => {
    expect(canonicalJson({ b: 1, a: new Date("2025-01-01T00:00:00Z"), c: undefined, d: [undefined] })).toBe(
      '{"a":"2025-01-01T00:00:00.000Z","b":1,"d":[null]}',
    );
    expect(() => canonicalJson({ n: 1n })).toThrow(/BigInt/);
  });

  it("links sha256(prevHash + contentHash) from a genesis of 64 zeros", () => {
    expect(GENESIS_HASH).toBe("0".repeat(64));
    const content = contentHashOf({
      id: "x",
      at: new Date(0),
      kind: "policy",
      actor: "a",
      roles: [],
      processingActivity: "p",
      operation: "o",
      decision: "allow",
      reason: "r",
      policyHash: "h",
      traceId: "t",
    });
    expect(content).toMatch(/^[0-9a-f]{64}$/);
    expect(linkHash(GENESIS_HASH, content)).toBe(sha256Hex(GENESIS_HASH + content));
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
