import { describe, expect, it } from "vitest";
import { containsBsn, freeText } from "../../src/shared/index.ts";

/**
 * Free text of the workflow carries no BSN (issue 10): nine digits passing the 11-check, in one
 * run or in groups as people write them, are refused; other numbers are not.
 */
describe("free text", () => {
  const bsn = "924691347"; // passes the 11-check

  it.each([
    bsn,
    `Fam. de Vries, BSN ${bsn}.`,
    "BSN 9246.91.347",
    "924 691 347",
    "924  691  347",
    "924 - 691 - 347",
    "924-691-347",
    "924/691/347",
    "92_46_91_34_7",
    `AB${bsn}`,
    `${bsn}X`,
    "924 691 347 2026",
    "tel 06-1234 en 924691347",
    "\uff19\uff12\uff14\uff16\uff19\uff11\uff13\uff14\uff17", // full-width digits
  ])("refuses %j", (text) => {
    expect(containsBsn(text)).toBe(true);
    const r = freeText(text, "motivation");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: "invalid_free_text", argument: "motivation" });
      expect(r.error.message).toMatch(/^motivation: must not contain a BSN/);
      expect(r.error.message).not.toMatch(/[0-9]{3}/);
    }
  });

  it.each([
    "",
    "Signal about a bar on the Markt.",
    "123456789", // fails the 11-check
    "000000000",
    "92469134", // 8 digits: a KvK number
    "9246913470", // 10 digits: not a BSN
    "0612345678",
    "06-12345678",
    "06 1234 5678",
    "2026-05-01",
    "0935010000000001", // a BAG id
    "6211AB 12",
  ])("accepts %j", (text) => {
    expect(containsBsn(text)).toBe(false);
    expect(freeText(text, "reference")).toEqual({ ok: true, value: text });
  });
});
