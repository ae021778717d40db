import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runPolicyCommand } from "../../src/cli/policy-command.ts";
import { loadPolicySet, sha256Hex } from "../../src/policy/index.ts";
import { loadOk, overlay, policiesDir } from "./policy-fixtures.ts";

/** clients.yaml and trusted-documents/ are policy files like the others (issue 12). */

const CLIENT = `clients:
  - id: meldpunt-ondermijning
    name: Meldpunt
    reason: Registers signals.
    article: Maastricht art. 14
    roles: [application]
    operations: [RegisterSignal]
    cases:
      themes: [horeca]
`;

async function problemsWith(files: Record<string, string>) {
  const { dir, cleanup } = overlay();
  try {
    for (const [file, text] of Object.entries(files)) writeFileSync(`${dir}/${file}`, text);
    const result = await loadPolicySet(dir);
    if (result.ok) return [];
    return result.error.problems;
  } finally {
    cleanup();
  }
}

describe("clients.yaml", () => {
  it("loads the service accounts and the trusted documents by the sha256 of their text", async () => {
    const policy = await loadOk(policiesDir);
    const meldpunt = policy.clients.get("meldpunt-ondermijning");
    expect(meldpunt).toMatchObject({ roles: ["application"], mfaExempt: { reason: expect.any(String) } });
    for (const d of policy.trustedDocuments.values()) expect(d.hash).toBe(sha256Hex(d.text));
    expect([...policy.trustedDocuments.values()].map((d) => d.id).sort()).toEqual(
      [...meldpunt!.operations].sort(),
    );
  });

  it("is part of the policy hash", async () => {
    const { dir, cleanup } = overlay();
    try {
      const before = (await loadOk(dir)).hash;
      writeFileSync(`${dir}/clients.yaml`, CLIENT);
      expect((await loadOk(dir)).hash).not.toBe(before);
    } finally {
      cleanup();
    }
  });

  it.each([
    [
      "a role no client may act as",
      CLIENT.replace("[application]", "[application, privacy_officer]"),
      "clients[0].roles[1]",
      /a person's/,
    ],
    ["an unknown role", CLIENT.replace("[application]", "[robot]"), "clients[0].roles[0]", /./],
    [
      "an operation with no trusted document",
      CLIENT.replace("[RegisterSignal]", "[RegisterSignal, DumpAll]"),
      "clients[0].operations[1]",
      /no trusted document DumpAll/,
    ],
    [
      "no operations",
      CLIENT.replace("[RegisterSignal]", "[]"),
      "clients[0].operations",
      /at least one trusted document/,
    ],
    [
      "no cases",
      CLIENT.replace("    cases:\n      themes: [horeca]\n", "    cases: {}\n"),
      "clients[0].cases",
      /at least one theme or case reference/,
    ],
    [
      "a duplicate client",
      CLIENT + CLIENT.split("\n").slice(1).join("\n"),
      "clients[1].id",
      /duplicate client meldpunt-ondermijning/,
    ],
    ["an unknown key", CLIENT.replace("    roles:", "    mfa: false\n    roles:"), "clients[0]", /mfa/],
    ["an MFA exemption without reason", CLIENT + "    mfaExempt: {}\n", "clients[0].mfaExempt.reason", /./],
  ])("names %s with file and path", async (_what, text, path, reason) => {
    const problems = await problemsWith({ "clients.yaml": text });
    const problem = problems.find((p) => p.file === "clients.yaml" && p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.reason).toMatch(reason);
  });

  it.each([
    ["not GraphQL", "query Broken {", /not valid GraphQL/],
    [
      "two operations",
      "query Broken { me { subject } }\nquery Other { me { subject } }",
      /holds 2 operations/,
    ],
    ["an operation named otherwise", "query Other { me { subject } }", /name it Broken, as the file/],
  ])("names a trusted document that is %s", async (_what, text, reason) => {
    const problems = await problemsWith({ "trusted-documents/Broken.graphql": text });
    expect(problems).toContainEqual({
      file: "trusted-documents/Broken.graphql",
      path: "",
      reason: expect.stringMatching(reason),
    });
  });

  it("`npm run policy -- check` prints every problem as file: place: reason", async () => {
    const { dir, cleanup } = overlay();
    try {
      writeFileSync(`${dir}/clients.yaml`, CLIENT.replace("[RegisterSignal]", "[DumpAll]"));
      let stderr = "";
      const code = await runPolicyCommand(["check", "--dir", dir], {
        env: {},
        stdout: { write: () => true },
        stderr: { write: (t: string) => ((stderr += t), true) },
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/clients\.yaml: clients\[0\]\.operations\[0\]: no trusted document DumpAll/);
    } finally {
      cleanup();
    }
  });
});
