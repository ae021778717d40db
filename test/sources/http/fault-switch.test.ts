import { describe, expect, it } from "vitest";
import { createFaultSwitch } from "../../../src/sources/http/index.ts";

describe("fault switch of the simulators", () => {
  it("holds a fault until switched, or for `times` requests only", () => {
    const faults = createFaultSwitch();
    expect(faults.next()).toBe("none");
    faults.set("http503");
    expect([faults.next(), faults.next(), faults.next()]).toEqual(["http503", "http503", "http503"]);
    faults.set("reset", 2);
    expect([faults.next(), faults.next(), faults.next()]).toEqual(["reset", "reset", "none"]);
    faults.set("timeout", 1);
    faults.set("none");
    expect(faults.next()).toBe("none");
    expect(() => faults.set("http500", 0)).toThrow(RangeError);
  });
});
