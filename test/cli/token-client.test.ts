import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTokenCommand } from "../../src/cli/token-command.ts";

/** `npm run token -- --client <id>`: a client-credentials token for a demo application (issue 12). */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "poortwachter-token-client-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runTokenCommand(argv, {
    env: { DATA_DIR: dir, POLICY_DIR: "policies" },
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}

describe("token --client", () => {
  it("mints azp and client_id, no amr, and the roles of clients.yaml", async () => {
    const r = await run(["--client", "meldpunt-ondermijning"]);
    expect(r.code, r.stderr).toBe(0);
    const claims = decodeJwt(r.stdout.trim());
    expect(claims).toMatchObject({
      sub: "meldpunt-ondermijning",
      azp: "meldpunt-ondermijning",
      client_id: "meldpunt-ondermijning",
      roles: ["application"],
    });
    expect(claims).not.toHaveProperty("amr");
  });

  it.each([
    [
      ["--client", "onbekend"],
      /client "onbekend" is not in policies\/clients.yaml; listed: meldpunt-ondermijning/,
    ],
    [
      ["--client", "meldpunt-ondermijning", "--role", "analyst"],
      /--client takes its roles from clients.yaml/,
    ],
  ])("refuses %j with exit 2", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
