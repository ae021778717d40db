import { parseBsn, type Bsn } from "../../shared/index.ts";

/**
 * A bijection between person index and BSN, so a municipality of a million persons needs no
 * table: BSN = "9" + seven digits + check digit. The seven digits are 2·k or 2·k+1 where
 * k = (A·index + B) mod SPACE; of the two, the first whose 11-check digit exists is used
 * (if 2·k leaves remainder 10, 2·k+1 adds 2 to the weighted sum and leaves 1).
 * The second digit is never 9, so generated BSNs never collide with the RvIG test range 99xxxxxxx.
 */
const SPACE = 4_500_000;
const A = 2_654_447; // coprime with 2, 3 and 5, the prime factors of SPACE
const B = 1_234_567;

/** Most persons a synthetic municipality can hold. */
export const BSN_SPACE_SIZE = SPACE;

function modInverse(a: number, m: number): number {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
const A_INVERSE = modInverse(A, SPACE);

function withCheckDigit(first8: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(first8[i]) * (9 - i);
  const check = sum % 11;
  return check === 10 ? undefined : first8 + String(check);
}

export function bsnForIndex(index: number): Bsn {
  const k = (A * index + B) % SPACE;
  const even = String(2 * k).padStart(7, "0");
  const odd = String(2 * k + 1).padStart(7, "0");
  const bsn = withCheckDigit("9" + even) ?? withCheckDigit("9" + odd);
  const parsed = parseBsn(bsn ?? "");
  if (!parsed.ok) throw new Error("bsn-space: construction broke the 11-check");
  return parsed.value;
}

/** The index a generated BSN belongs to, or undefined if the BSN is not from this space. */
export function indexForBsn(bsn: string): number | undefined {
  if (!/^9[0-8][0-9]{7}$/.test(bsn)) return undefined;
  const k = Math.floor(Number(bsn.slice(1, 8)) / 2);
  const index = (((k - B) % SPACE) + SPACE) % SPACE;
  const candidate = (index * A_INVERSE) % SPACE;
  return bsnForIndex(candidate) === bsn ? candidate : undefined;
}
