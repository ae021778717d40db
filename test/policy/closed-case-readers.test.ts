import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCaseAbility, loadPolicySet, type LoadedPolicySet } from "../../src/policy/index.ts";
import type { Actor, Role } from "../../src/shared/index.ts";
import { loadOk, overlay, policiesDir } from "./policy-fixtures.ts";

/**
 * Issue 11, closed cases (Delft art. 21d): after a case ends, its signal text and history are
 * readable only by the roles the protocol file names in `closedCaseReaders` (default: legal and
 * dpo, for complaints, data-subject rights and accountability), each within its own case scope.
 */
let maastricht: LoadedPolicySet;
let delft: LoadedPolicySet;
beforeAll(async () => {
  maastricht = await loadOk();
  delft = await loadOk(policiesDir, { protocolFile: "protocol-delft.yaml" });
});

const actor = (subject: string, ...roles: Role[]): Actor => ({
  subject,
  roles,
  amr: ["pwd", "otp"],
  issuer: "test",
});
const history = (policy: LoadedPolicySet, who: Actor, status: "open" | "closed") =>
  buildCaseAbility(policy, {
    actor: who,
    case: {
      id: "c1",
      phase: status === "closed" ? policy.protocol.closedPhase : policy.protocol.initialPhase,
      status,
      owner: "anna",
      substitute: "bram",
      sharedWithDepartment: false,
    },
    approvals: [],
  }).can("case.history");

/** Loads the real policies with protocol.yaml's closedCaseReaders line replaced (or removed). */
async function withReaders(line: string | null) {
  const { dir, cleanup } = overlay();
  try {
    const file = join(dir, "protocol.yaml");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("\nclosedCaseReaders: [legal, dpo]\n");
    writeFileSync(
      file,
      text.replace("\nclosedCaseReaders: [legal, dpo]\n", line === null ? "\n" : `\n${line}\n`),
    );
    return await loadPolicySet(dir);
  } finally {
    cleanup();
  }
}

describe("closedCaseReaders (Delft art. 21d)", () => {
  it("both protocol files name legal and dpo", () => {
    expect(maastricht.protocol.closedCaseReaders).toEqual(["legal", "dpo"]);
    expect(delft.protocol.closedCaseReaders).toEqual(["legal", "dpo"]);
  });

  it.each([
    ["the owner (analyst)", actor("anna", "analyst"), false],
    ["the substitute (analyst)", actor("bram", "analyst"), false],
    ["the privacy officer", actor("po", "privacy_officer"), false],
    ["the coordinator", actor("co", "coordinator"), false],
    ["the beheerder", actor("bh", "beheerder"), false],
    ["the FG", actor("fg", "dpo"), true],
    ["Juridische Zaken", actor("jz", "legal"), true],
    ["the owner who is also FG", actor("anna", "analyst", "dpo"), true],
  ])("a closed case's history: %s -> %s", (_who, who, allowed) => {
    for (const policy of [maastricht, delft]) {
      const d = history(policy, who, "closed");
      expect(d.allowed).toBe(allowed);
      expect(d.ruleId).toMatch(/^case\.closed\.history/);
    }
  });

  it("leaves open cases as roles.yaml has them: the owner reads the history, legal does not", () => {
    expect(history(maastricht, actor("anna", "analyst"), "open").allowed).toBe(true);
    expect(history(maastricht, actor("fg", "dpo"), "open").allowed).toBe(true);
    expect(history(maastricht, actor("jz", "legal"), "open").allowed).toBe(false);
    expect(history(maastricht, actor("other", "analyst"), "open").allowed).toBe(false);
  });

  it("absent: legal and dpo; an empty list: nobody", async () => {
    const absent = await withReaders(null);
    if (!absent.ok) expect.fail(JSON.stringify(absent.error.problems));
    expect(absent.value.protocol.closedCaseReaders).toEqual(["legal", "dpo"]);
    const none = await withReaders("closedCaseReaders: []");
    if (!none.ok) expect.fail(JSON.stringify(none.error.problems));
    for (const role of ["dpo", "legal", "analyst"] as const)
      expect(history(none.value, actor("anna", role), "closed").allowed).toBe(false);
    const fgOnly = await withReaders("closedCaseReaders: [dpo]");
    if (!fgOnly.ok) expect.fail(JSON.stringify(fgOnly.error.problems));
    expect(history(fgOnly.value, actor("fg", "dpo"), "closed").allowed).toBe(true);
    expect(history(fgOnly.value, actor("jz", "legal"), "closed").allowed).toBe(false);
  });

  it.each([
    ["closedCaseReaders: [legal, legal]", "closedCaseReaders[1]", /duplicate role legal/],
    ["closedCaseReaders: [application]", "closedCaseReaders[0]", /case scope client/],
    ["closedCaseReaders: [archivaris]", "closedCaseReaders[0]", /./],
    ["closedCaseReaders: legal", "closedCaseReaders", /./],
  ])("refuses %s", async (line, path, reason) => {
    const result = await withReaders(line);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.error.problems.find((p) => p.file === "protocol.yaml" && p.path === path);
    expect(problem, JSON.stringify(result.error.problems)).toBeDefined();
    expect(problem?.reason).toMatch(reason);
  });
});
