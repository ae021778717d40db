import type { z } from "zod";
import type { PolicyFileSource } from "./load-policies.ts";
import { checkRegisterFile, registerCatalogue, registerFileSchema, type RegisterDef } from "./registers.ts";
import type { CatalogueFile } from "./schemas.ts";
import type { PolicyLoadError } from "./types.ts";

/** The folder of the municipality's own registers inside the policy folder (issue 16). */
export const REGISTERS_FOLDER = "registers";

type Problem = PolicyLoadError["problems"][number];
type Read = <S extends z.ZodType>(file: string, schema: S) => Promise<z.infer<S> | undefined>;

/**
 * Reads `registers/*.yaml` through the loader's `read` (so they are part of the policy hash),
 * checks each file, and adds each register's fields to the catalogues as a source of its own. A
 * register whose name is already a source is refused: a register cannot widen a registry's catalogue.
 */
export async function readRegisters(
  src: PolicyFileSource,
  read: Read,
  catalogues: CatalogueFile[],
  problems: Problem[],
): Promise<RegisterDef[]> {
  const names = (await src.list(REGISTERS_FOLDER).catch(() => [] as string[]))
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const out: RegisterDef[] = [];
  for (const name of names) {
    const file = `${REGISTERS_FOLDER}/${name}`;
    const data = await read(file, registerFileSchema);
    if (!data) continue;
    const found = checkRegisterFile(name, data);
    for (const p of found) problems.push({ file, ...p });
    if (catalogues.some((c) => c.source === data.source)) {
      problems.push({ file, path: "source", reason: `${data.source} is already a source of this gateway` });
      continue;
    }
    if (found.length > 0) continue;
    catalogues.push(registerCatalogue(data));
    out.push(Object.freeze({ ...data, file }));
  }
  return out;
}
