/**
 * The register of processing activities (issue 13; Logboek Dataverwerkingen "Component: Register"):
 * the real file loads for every protocol with one activity per phase, a bad file is refused with
 * file, path and reason, and each entry is a valid RvVA `ProcessingActivityVersion`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadPolicySet, rvvaVersion } from "../../src/policy/index.ts";
import { createOpenApiValidator } from "../utils/openapi-validate.ts";
import { loadOk, overlay, policiesDir } from "./policy-fixtures.ts";

const FILE = "processing-activities.yaml";
type Entry = Record<string, unknown>;

/** Loads the real policies with the register changed by `edit`, and returns the problems. */
async function problemsWith(edit: (file: { activities: Entry[] } & Entry) => void, protocolFile?: string) {
  const { dir, cleanup } = overlay();
  try {
    const path = join(dir, FILE);
    const data = parse(readFileSync(path, "utf8")) as { activities: Entry[] } & Entry;
    edit(data);
    writeFileSync(path, stringify(data));
    const result = await loadPolicySet(dir, protocolFile ? { protocolFile } : {});
    if (result.ok) expect.fail("the register was accepted");
    return result.error.problems;
  } finally {
    cleanup();
  }
}

/** Entries in the real register. */
const registerSize = () =>
  (parse(readFileSync(join(policiesDir, FILE), "utf8")) as { activities: unknown[] }).activities.length;

const index = (data: { activities: Entry[] }, id: string) => data.activities.findIndex((a) => a.id === id);

describe("the processing-activities register", () => {
  it.each(["protocol.yaml", "protocol-delft.yaml"])(
    "gives every phase of %s its own activity",
    async (file) => {
      const policy = await loadOk(policiesDir, { protocolFile: file });
      const register = policy.processingActivities;
      const ids = policy.protocol.phases.map((p) => register.forPhase(p.id));
      expect(new Set(ids).size).toBe(policy.protocol.phases.length);
      for (const [i, phase] of policy.protocol.phases.entries()) {
        const activity = register.byId(ids[i]!);
        expect(activity).toMatchObject({ protocol: policy.protocol.id, phase: phase.id });
        expect(ids[i]).toMatch(new RegExp(`^${policy.protocol.id}\\.${phase.id}\\.v[1-9][0-9]*$`));
      }
      for (const work of ["rights", "retention", "accountability", "gateway"] as const)
        expect(register.byId(register.forWork(work))).toMatchObject({ work });
      expect(register.uriOf(ids[0]!)).toBe(`urn:poortwachter:verwerkingsactiviteit:${ids[0]}`);
    },
  );

  it("is part of the policy hash", async () => {
    const original = await loadOk();
    const { dir, cleanup } = overlay();
    try {
      const path = join(dir, FILE);
      writeFileSync(
        path,
        readFileSync(path, "utf8").replace("poortwachter.gateway.v1", "poortwachter.gateway.v2"),
      );
      const changed = await loadOk(dir);
      expect(changed.hash).not.toBe(original.hash);
      expect(changed.processingActivities.forWork("gateway")).toBe("poortwachter.gateway.v2");
    } finally {
      cleanup();
    }
  });

  it("refuses a phase the protocol does not have", async () => {
    const problems = await problemsWith((d) => {
      d.activities[index(d, "maastricht.weging.v1")]!.phase = "wegen";
    });
    const i = problems.findIndex((p) => p.path.endsWith(".phase"));
    expect(problems[i]).toMatchObject({ file: FILE, reason: expect.stringContaining("has no phase wegen") });
    expect(problems).toContainEqual({
      file: FILE,
      path: "activities",
      reason: expect.stringContaining("no activity for phase weging of protocol maastricht"),
    });
  });

  it("refuses a duplicate id, naming both places", async () => {
    const problems = await problemsWith((d) => {
      d.activities[index(d, "maastricht.weging.v1")]!.id = "maastricht.intake.v1";
    });
    expect(problems).toContainEqual({
      file: FILE,
      path: `activities[1].id`,
      reason: "duplicate activity maastricht.intake.v1 (also activities[0])",
    });
  });

  it("refuses a missing phase under the protocol that has it (Delft)", async () => {
    const problems = await problemsWith((d) => {
      d.activities.splice(index(d, "delft.evaluatie.v1"), 1);
    }, "protocol-delft.yaml");
    expect(problems).toEqual([
      {
        file: FILE,
        path: "activities",
        reason: expect.stringContaining("no activity for phase evaluatie of protocol delft"),
      },
    ]);
  });

  it("refuses a second activity for a phase, an id without a version, and a missing field", async () => {
    const problems = await problemsWith((d) => {
      d.activities.push({ ...d.activities[0], id: "maastricht.intake.v2" });
      d.activities[1]!.id = "maastricht.weging";
      delete d.activities[2]!.legalBasis;
    });
    const reasons = problems.map((p) => `${p.path}: ${p.reason}`);
    expect(reasons).toContainEqual(expect.stringMatching(/^activities\[1\]\.id: an activity id is dotted/));
    expect(reasons).toContainEqual(expect.stringMatching(/^activities\[2\]\.legalBasis: /));
    expect(problems.every((p) => p.file === FILE)).toBe(true);
    // Schema problems stop the file before its cross-checks; fix them and the second intake shows.
    const again = await problemsWith((d) => {
      d.activities.push({ ...d.activities[0], id: "maastricht.intake.v2" });
    });
    expect(again).toEqual([
      {
        file: FILE,
        path: `activities[${registerSize()}].phase`,
        reason: "a second activity for phase intake of protocol maastricht (maastricht.intake.v1)",
      },
    ]);
  });

  it("refuses an entry that is both a phase and work, or neither", async () => {
    const problems = await problemsWith((d) => {
      d.activities[0]!.work = "rights";
      delete d.activities[1]!.phase;
    });
    expect(
      problems.filter((p) => p.reason.startsWith("give exactly one of phase")).map((p) => p.path),
    ).toEqual(["activities[0]", "activities[1]"]);
  });

  it("gives every entry as a valid RvVA ProcessingActivityVersion", async () => {
    const policy = await loadOk();
    const rvva = createOpenApiValidator("logboek-rvva.openapi.json");
    const path = "/processing_activities/x/versions/1";
    expect(policy.processingActivities.all.length).toBeGreaterThan(15);
    for (const a of policy.processingActivities.all) {
      const version = rvvaVersion(a);
      expect(rvva.validateResponse(path, "get", 200, "application/json", version)).toEqual({ valid: true });
      expect(version).toMatchObject({ name: a.name, purpose: a.purpose, version: 1 });
    }
    // The validator can fail: a legal basis outside the RvVA vocabulary.
    const bad = { ...rvvaVersion(policy.processingActivities.all[0]!), legalBasis: ["Algemeen belang"] };
    expect(rvva.validateResponse(path, "get", 200, "application/json", bad).valid).toBe(false);
  });
});
