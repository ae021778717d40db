import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The scripted policy change of the diff and replay tests (issue 14): copies of `policies/` in a
 * temp folder. `baseline` is the working files without probe hr.vestigingOpAdres in the open HR
 * rule; `candidate` narrows one field (brp.geslacht out of brp.regie.analyst) and widens one probe
 * (hr.vestigingOpAdres back into hr.open.analyst) relative to it.
 */
export const NARROWED_FIELD = "geslacht";
export const WIDENED_PROBE = "hr.vestigingOpAdres";

const edit = (dir: string, change: (yaml: string) => string) => {
  const file = join(dir, "disclosure.yaml");
  const before = readFileSync(file, "utf8");
  const after = change(before);
  if (after === before) throw new Error("the scripted policy change did not apply");
  writeFileSync(file, after);
};

const copy = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `poortwachter-${name}-`));
  cpSync("policies", dir, { recursive: true });
  return dir;
};

const withoutProbe = (yaml: string) =>
  yaml.replace(`probes: [hr.ingeschreven, ${WIDENED_PROBE}]`, "probes: [hr.ingeschreven]");
const withoutField = (yaml: string) => yaml.replace(`      - ${NARROWED_FIELD}\n`, "");

export function scriptedPolicies(): { baseline: string; candidate: string } {
  const baseline = copy("baseline");
  edit(baseline, withoutProbe);
  const candidate = copy("candidate");
  edit(candidate, withoutField);
  return { baseline, candidate };
}
