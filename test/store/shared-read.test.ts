import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchedRead, sharedRead } from "../../src/store/shared-read.ts";

/**
 * Issue 15: reads shared by concurrent requests (the newest policy version, the case views), but
 * each caller only gets an answer of a read that began after it asked — so sharing never hides a
 * change committed before a request arrived.
 */

/** A store whose value changes by `commit`, read by statements the test lets finish one by one. */
function world() {
  let value = 0;
  const pending: Array<{ keys: readonly string[]; snapshot: number; finish: () => void; fail: () => void }> =
    [];
  const reads = batchedRead<string, number>(
    (keys) =>
      new Promise((resolve, reject) => {
        // The statement's snapshot is taken when it starts.
        const snapshot = value;
        pending.push({
          keys,
          snapshot,
          finish: () => resolve(new Map(keys.map((k) => [k, snapshot]))),
          fail: () => reject(new Error("connection lost")),
        });
      }),
    3,
  );
  return {
    reads,
    pending,
    commit: () => (value += 1),
    get value() {
      return value;
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("batchedRead", () => {
  it("a caller that finds nothing in flight starts its own read at once", async () => {
    const w = world();
    const answer = w.reads.read("a");
    expect(w.pending).toHaveLength(1);
    expect(w.pending[0]!.keys).toEqual(["a"]);
    w.pending[0]!.finish();
    expect(await answer).toBe(0);
    expect(w.reads.started).toBe(1);
  });

  it("callers arriving while a read is in flight share the next one, never the one in flight", async () => {
    const w = world();
    const first = w.reads.read("a");
    w.commit(); // committed after the first read began, before the others asked
    const later = [w.reads.read("a"), w.reads.read("b"), w.reads.read("a")];
    expect(w.pending).toHaveLength(1); // the next read waits for the one in flight
    w.pending[0]!.finish();
    expect(await first).toBe(0);
    await tick();
    expect(w.pending).toHaveLength(2);
    expect(w.pending[1]!.keys).toEqual(["a", "b"]);
    w.pending[1]!.finish();
    expect(await Promise.all(later)).toEqual([1, 1, 1]);
    expect(w.reads.started).toBe(2);
  });

  it("a failed read fails every caller that shared it; the next caller starts afresh", async () => {
    const w = world();
    const first = w.reads.read("a");
    const shared = [w.reads.read("a"), w.reads.read("b")];
    w.pending[0]!.fail();
    await expect(first).rejects.toThrow("connection lost");
    await tick();
    w.pending[1]!.fail();
    for (const s of shared) await expect(s).rejects.toThrow("connection lost");
    const again = w.reads.read("c");
    expect(w.pending).toHaveLength(3);
    w.pending[2]!.finish();
    expect(await again).toBe(0);
  });

  it("a read that answers no value for a key fails that key's callers, not the others", async () => {
    const reads = batchedRead<string, number>(
      async (keys) => new Map(keys.filter((k) => k !== "x").map((k) => [k, 1])),
    );
    const first = reads.read("a");
    const [x, b] = [reads.read("x"), reads.read("b")];
    expect(await first).toBe(1);
    await expect(x).rejects.toThrow("no answer");
    expect(await b).toBe(1);
  });

  it("no more than maxKeys keys in one read; the rest gather in the reads after it", async () => {
    const w = world();
    void w.reads.read("first");
    const waiting = ["a", "b", "c", "a", "d", "e", "f", "g"].map((k) => w.reads.read(k));
    w.pending[0]!.finish();
    await tick();
    w.pending[1]!.finish();
    await tick();
    w.pending[2]!.finish();
    await tick();
    w.pending[3]!.finish();
    await Promise.all(waiting);
    expect(w.pending.map((p) => p.keys)).toEqual([["first"], ["a", "b", "c"], ["d", "e", "f"], ["g"]]);
  });

  it("property: every caller sees every change committed before it asked, and at most one read is in flight", async () => {
    // Steps: ask for a key, commit a change, or let the oldest pending read finish.
    const step = fc.oneof(
      fc.record({ kind: fc.constant("ask" as const), key: fc.constantFrom("a", "b", "c", "d") }),
      fc.constant({ kind: "commit" as const }),
      fc.constant({ kind: "finish" as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const w = world();
        const asked: Array<{ committedBefore: number; answer: Promise<number> }> = [];
        let finished = 0;
        for (const s of steps) {
          if (s.kind === "ask") asked.push({ committedBefore: w.value, answer: w.reads.read(s.key) });
          else if (s.kind === "commit") w.commit();
          else if (w.pending.length > finished) {
            w.pending[finished]!.finish();
            finished += 1;
            await tick();
          }
          expect(w.pending.length - finished).toBeLessThanOrEqual(1);
        }
        while (w.pending.length > finished) {
          w.pending[finished]!.finish();
          finished += 1;
          await tick();
        }
        for (const a of asked) expect(await a.answer).toBeGreaterThanOrEqual(a.committedBefore);
        // Sharing happened whenever callers overlapped: never more reads than callers.
        expect(w.reads.started).toBeLessThanOrEqual(asked.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("sharedRead", () => {
  it("one value without a key, by the same rule", async () => {
    let n = 0;
    let release: (() => void) | undefined;
    const read = sharedRead(
      () =>
        new Promise<number>((resolve) => {
          const seen = (n += 1);
          release = () => resolve(seen);
        }),
    );
    const first = read.read();
    const [second, third] = [read.read(), read.read()];
    release!();
    expect(await first).toBe(1);
    await tick();
    release!();
    expect(await Promise.all([second, third])).toEqual([2, 2]);
    expect(read.started).toBe(2);
  });
});
