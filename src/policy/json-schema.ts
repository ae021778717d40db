import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { FILE_SCHEMAS, type FileKind } from "./schemas.ts";

/**
 * JSON Schema for each kind of policy file, generated from the zod schemas so editors can check a
 * file while it is typed. Checked in under `policies/schema/`; a test fails when they drift.
 */
export function policyJsonSchemas(): Record<FileKind, string> {
  const out = {} as Record<FileKind, string>;
  for (const [kind, schema] of Object.entries(FILE_SCHEMAS) as [FileKind, z.ZodType][]) {
    const json = { ...z.toJSONSchema(schema, { io: "input" }), title: `Poortwachter ${kind} policy file` };
    out[kind] = JSON.stringify(json, null, 2) + "\n";
  }
  return out;
}

export const schemaFileName = (kind: FileKind): string => `${kind}.schema.json`;

/** Writes `<dir>/schema/<kind>.schema.json`; returns the written paths. */
export async function writePolicyJsonSchemas(dir: string): Promise<string[]> {
  const target = join(dir, "schema");
  await mkdir(target, { recursive: true });
  const written: string[] = [];
  for (const [kind, text] of Object.entries(policyJsonSchemas()) as [FileKind, string][]) {
    const file = join(target, schemaFileName(kind));
    await writeFile(file, text);
    written.push(file);
  }
  return written;
}

/** Kinds whose checked-in schema differs from a freshly generated one. */
export async function staleJsonSchemas(dir: string): Promise<FileKind[]> {
  const stale: FileKind[] = [];
  for (const [kind, text] of Object.entries(policyJsonSchemas()) as [FileKind, string][]) {
    const current = await readFile(join(dir, "schema", schemaFileName(kind)), "utf8").catch(() => undefined);
    if (current !== text) stale.push(kind);
  }
  return stale;
}
