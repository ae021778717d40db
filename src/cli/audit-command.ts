import { parseArgs } from "node:util";
import { verifyChain } from "../audit/index.ts";
import type { CommandIo } from "./command-io.ts";
import { offlineConfig, openConfiguredDb } from "./offline-command.ts";

const USAGE = "Usage: npm run audit -- verify [--demo]\n";

/**
 * `audit verify`: walks the whole hash chain of the audit log in the configured database
 * (DATABASE_URL, or the embedded database in DATA_DIR) and reports the first broken record.
 * Exit 0 when intact, 1 when broken, 2 on usage errors.
 */
export async function runAuditCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { demo: { type: "boolean", default: false } },
  });
  if (positionals[0] !== "verify" || positionals.length !== 1) {
    io.stderr(USAGE);
    return 2;
  }
  const config = offlineConfig(io, values.demo === true);
  if (typeof config === "number") return config;
  const db = await openConfiguredDb(config);
  try {
    const result = await verifyChain(db);
    if (result.ok) {
      io.stdout(`audit log intact: ${result.records} records, hash chain verified\n`);
      return 0;
    }
    io.stdout(
      `audit log BROKEN at record ${result.firstBrokenSeq}, after ${result.records} intact records: ${result.reason}\n`,
    );
    return 1;
  } finally {
    await db.close();
  }
}
