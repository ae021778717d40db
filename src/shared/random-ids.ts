import { randomFillSync } from "node:crypto";

/**
 * Random trace and span ids (W3C trace context: 16 and 8 bytes, hex, never all zeros), drawn
 * from a pool of the system's CSPRNG refilled 4 KiB at a time, as `crypto.randomUUID` does. One
 * `randomBytes` call per id was ~3% of the gateway's CPU under load (issue 15): a request makes a
 * span per upstream call and per audit record. Each byte of the pool is used once.
 */
const POOL = Buffer.alloc(4096);
let offset = POOL.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > POOL.length) {
      randomFillSync(POOL);
      offset = 0;
    }
    const hex = POOL.toString("hex", offset, offset + bytes);
    offset += bytes;
    // All zeros is invalid in trace context; 2^-64 at most, drawn again.
    if (!/^0+$/.test(hex)) return hex;
  }
}

/** A new trace id: 16 random bytes, hex. */
export const newTraceId = (): string => randomHex(16);

/** A new span id: 8 random bytes, hex. */
export const newSpanId = (): string => randomHex(8);
