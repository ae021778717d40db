import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";

/**
 * Issue 13: the thresholds of the flagged patterns and the office hours are settings, validated at
 * start-up with a message that names the setting and what is wrong with it.
 */
const demo = { DEMO_MODE: "true" };

describe("flagged-pattern settings", () => {
  it("defaults: 10 refusals, 3 value sets, 20 subjects in 60 minutes; Mon-Fri 07:00-19:00 in Amsterdam", () => {
    const r = loadConfig(demo);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.flagPatterns).toEqual({
      denialsThreshold: 10,
      verifyVariants: 3,
      probeSubjects: 20,
      windowMs: 3_600_000,
      officeHours: {
        spans: [{ days: ["Mon", "Tue", "Wed", "Thu", "Fri"], from: 7 * 60, to: 19 * 60 }],
        timeZone: "Europe/Amsterdam",
      },
      scanIntervalMs: 300_000,
    });
  });

  it("takes several spans of office hours, days case-insensitive, and another time zone", () => {
    const r = loadConfig({
      ...demo,
      OFFICE_HOURS: "mon-fri 08:00-18:00, Sat 09:00-13:00",
      OFFICE_TIMEZONE: "Europe/Brussels",
      FLAG_WINDOW_MIN: "15",
      FLAG_SCAN_INTERVAL_S: "0",
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.flagPatterns.officeHours.spans).toEqual([
      { days: ["Mon", "Tue", "Wed", "Thu", "Fri"], from: 480, to: 1080 },
      { days: ["Sat"], from: 540, to: 780 },
    ]);
    expect(r.value.flagPatterns.officeHours.timeZone).toBe("Europe/Brussels");
    expect(r.value.flagPatterns.windowMs).toBe(900_000);
    expect(r.value.flagPatterns.scanIntervalMs).toBe(0);
  });

  it.each([
    [{ OFFICE_HOURS: "Mon-Fry 07:00-19:00" }, "OFFICE_HOURS", 'unknown day "Fry"'],
    [{ OFFICE_HOURS: "Fri-Mon 07:00-19:00" }, "OFFICE_HOURS", "the days run backwards"],
    [{ OFFICE_HOURS: "Mon-Fri 19:00-07:00" }, "OFFICE_HOURS", "the start must be before the end"],
    [{ OFFICE_HOURS: "Mon-Fri 07:00-25:00" }, "OFFICE_HOURS", "not a time of day"],
    [{ OFFICE_HOURS: "Mon-Fri 07:60-19:00" }, "OFFICE_HOURS", "not a time of day"],
    [{ OFFICE_HOURS: "weekdays" }, "OFFICE_HOURS", '"weekdays" is not a span'],
    [{ OFFICE_HOURS: " , " }, "OFFICE_HOURS", "empty"],
    [{ OFFICE_TIMEZONE: "Europe/Amsterdm" }, "OFFICE_TIMEZONE", "no IANA time zone"],
    [{ FLAG_DENIALS_THRESHOLD: "1" }, "FLAG_DENIALS_THRESHOLD", ""],
    [{ FLAG_VERIFY_VARIANTS: "many" }, "FLAG_VERIFY_VARIANTS", ""],
    [{ FLAG_PROBE_SUBJECTS: "0" }, "FLAG_PROBE_SUBJECTS", ""],
    [{ FLAG_WINDOW_MIN: "0" }, "FLAG_WINDOW_MIN", ""],
    [{ FLAG_SCAN_INTERVAL_S: "-1" }, "FLAG_SCAN_INTERVAL_S", ""],
  ])("refuses %j, naming %s and the problem", (bad, name, problem) => {
    const r = loadConfig({ ...demo, ...bad });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = r.error.problems.find((p) => p.startsWith(`${name}:`));
    expect(line, r.error.problems.join("\n")).toBeDefined();
    expect(line).toContain(problem);
  });
});
