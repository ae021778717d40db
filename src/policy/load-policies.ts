import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { err, ok, type Result } from "../shared/index.ts";
import { buildCatalogue, checkCatalogueFile } from "./catalogue.ts";
import { checkClients, clientsFileSchema, type ClientDef } from "./clients.ts";
import { checkDisclosure } from "./disclosure.ts";
import { createPolicySet, type LoadedPolicySet } from "./policy-set.ts";
import { checkProcessingActivities, processingActivitiesFileSchema } from "./processing-activities.ts";
import { checkProtocol, toProtocol } from "./protocol.ts";
import { readRegisters } from "./register-files.ts";
import { registerProbes } from "./registers.ts";
import {
  catalogueFileSchema,
  disclosureFileSchema,
  probesFileSchema,
  protocolFileSchema,
  rolesFileSchema,
  specialCategoryFileSchema,
  themeFileSchema,
  type CatalogueFile,
  type SpecialCategoryFile,
  type ThemeFile,
} from "./schemas.ts";
import { checkSpecialCategories } from "./special-categories.ts";
import { checkThemes } from "./themes.ts";
import { checkTrustedDocument, TRUSTED_DOCUMENTS_FOLDER, type TrustedDocument } from "./trusted-documents.ts";
import type { PolicyLoadError, ProbeDef } from "./types.ts";

export interface LoadOptions {
  /** Protocol file inside the policy folder; default `protocol.yaml`. */
  readonly protocolFile?: string | undefined;
}

/**
 * Where the loader reads the policy's files: the policy folder, or the texts of a stored policy
 * version (issue 14, src/policy/versions). Paths are relative to the policy folder, `/`-separated.
 */
export interface PolicyFileSource {
  /** The text of one file; throws when it does not exist or cannot be read. */
  readText(file: string): Promise<string>;
  /** The names (not paths) of the files directly in a folder ("" the top); throws when absent. */
  list(folder: string): Promise<string[]>;
}

/** The policy folder on disk. */
export const folderSource = (dir: string): PolicyFileSource => ({
  readText: (file) => readFile(join(dir, file), "utf8"),
  list: (folder) => readdir(folder === "" ? dir : join(dir, folder)),
});

/** Texts by relative path (a stored policy version): the folder they were read from, in memory. */
export function memorySource(files: Readonly<Record<string, string>>): PolicyFileSource {
  return {
    readText: (file) => {
      const text = Object.hasOwn(files, file) ? files[file] : undefined;
      return text === undefined ? Promise.reject(new Error(`${file}: not found`)) : Promise.resolve(text);
    },
    list: (folder) => {
      const prefix = folder === "" ? "" : `${folder}/`;
      const names = Object.keys(files)
        .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes("/"))
        .map((f) => f.slice(prefix.length));
      return names.length === 0 && folder !== ""
        ? Promise.reject(new Error(`${folder}: not found`))
        : Promise.resolve(names);
    },
  };
}

/**
 * Records the text of every file the loader read, so that exactly the files that make up a
 * policy set (and its hash) can be stored as a version (issue 14).
 */
export function recordingSource(inner: PolicyFileSource): {
  readonly source: PolicyFileSource;
  readonly texts: Map<string, string>;
} {
  const texts = new Map<string, string>();
  return {
    texts,
    source: {
      readText: async (file) => {
        const text = await inner.readText(file);
        texts.set(file, text);
        return text;
      },
      list: (folder) => inner.list(folder),
    },
  };
}

type FileProblem = PolicyLoadError["problems"][number];

/** The register of processing activities inside the policy folder (issue 13). */
export const ACTIVITIES_FILE = "processing-activities.yaml";

/** The folder of the special-category term lists inside the policy folder. */
const SPECIAL_FOLDER = "special-categories";

/**
 * The rules file paired with a protocol file: `protocol.yaml` -> `disclosure.yaml`,
 * `protocol-delft.yaml` -> `disclosure-delft.yaml`. Rules name phases, so each protocol has its own.
 */
export function rulesFileFor(protocolFile: string): string | undefined {
  const match = /^protocol(-[a-z0-9-]+)?\.yaml$/.exec(protocolFile);
  return match ? `disclosure${match[1] ?? ""}.yaml` : undefined;
}

/** `["rules", 3, "fields", 2]` -> `rules[3].fields[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    "",
  );
}

/** JSON with object keys sorted at every level, so the hash does not depend on key order or layout. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Reads, validates and cross-checks the policy folder. Every problem in every file is collected,
 * so the privacy officer sees all of them at once; any problem means no policy set (start-up stops).
 */
export async function loadPolicySet(
  dir: string | PolicyFileSource,
  options: LoadOptions = {},
): Promise<Result<LoadedPolicySet, PolicyLoadError>> {
  const src = typeof dir === "string" ? folderSource(dir) : dir;
  const protocolFile = options.protocolFile ?? "protocol.yaml";
  const problems: FileProblem[] = [];
  const contents = new Map<string, unknown>();

  const read = async <S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S> | undefined> => {
    let text: string;
    try {
      text = await src.readText(file);
    } catch {
      problems.push({ file, path: "", reason: "file not found or not readable" });
      return undefined;
    }
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : "";
        problems.push({
          file,
          path: where,
          reason: `YAML syntax error: ${(e.message.split("\n")[0] ?? e.code).replace(/ at line \d+, column \d+:?$/, "")}`,
        });
      }
      return undefined;
    }
    const data: unknown = doc.toJS();
    contents.set(file, data);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ file, path: formatPath(issue.path), reason: issue.message });
      return undefined;
    }
    return parsed.data;
  };

  const rulesFile = rulesFileFor(protocolFile);
  if (rulesFile === undefined)
    return err({
      kind: "policy_invalid",
      problems: [
        {
          file: protocolFile,
          path: "",
          reason: "a protocol file is named protocol.yaml or protocol-<name>.yaml",
        },
      ],
    });

  const catalogueFiles = (await src.list("catalogue").catch(() => [] as string[]))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `catalogue/${f}`);
  if (catalogueFiles.length === 0)
    problems.push({ file: "catalogue/", path: "", reason: "no field catalogue found" });

  const protocolData = await read(protocolFile, protocolFileSchema);
  const roles = await read("roles.yaml", rolesFileSchema);
  const probesData = await read("probes.yaml", probesFileSchema);
  const catalogues: CatalogueFile[] = [];
  for (const file of catalogueFiles) {
    const data = await read(file, catalogueFileSchema);
    if (!data) continue;
    for (const p of checkCatalogueFile(data)) problems.push({ file, ...p });
    const clash = catalogues.find((c) => c.source === data.source);
    if (clash)
      problems.push({ file, path: "source", reason: `a second catalogue for source ${data.source}` });
    else catalogues.push(data);
  }
  // The municipality's own registers (issue 16): each is a source with its own catalogue and probes.
  const registers = await readRegisters(src, read, catalogues, problems);
  const disclosure = await read(rulesFile, disclosureFileSchema);
  // The register of processing activities (issue 13): required, part of the policy hash, so every
  // audit record's activity id resolves under the policy version it names.
  const activitiesData = await read(ACTIVITIES_FILE, processingActivitiesFileSchema);
  // Theme datasets are optional (Delft art. 16g-h, 19g); read through `read` so they are part of
  // the policy hash.
  const themeFiles = (await src.list("themes").catch(() => [] as string[]))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `themes/${f}`);
  const themeData: { file: string; data: ThemeFile; hash: string }[] = [];
  for (const file of themeFiles) {
    const data = await read(file, themeFileSchema);
    if (data)
      themeData.push({
        file,
        data,
        hash: createHash("sha256")
          .update(canonicalJson(contents.get(file)))
          .digest("hex"),
      });
  }

  // The term lists a signal text is screened with (Maastricht art. 6.4); required, and read
  // through `read` so they are part of the policy hash.
  const specialFiles = (await src.list(SPECIAL_FOLDER).catch(() => [] as string[]))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `${SPECIAL_FOLDER}/${f}`);
  const specialData: { file: string; data: SpecialCategoryFile }[] = [];
  for (const file of specialFiles) {
    const data = await read(file, specialCategoryFileSchema);
    if (data) specialData.push({ file, data });
  }

  // Service accounts and the operations signed off for them (issue 12). Both optional: without
  // them no client acts as anyone and no document is trusted. Read into `contents`, so they are
  // part of the policy hash.
  const documentFiles = (await src.list(TRUSTED_DOCUMENTS_FOLDER).catch(() => [] as string[]))
    .filter((f) => f.endsWith(".graphql"))
    .sort();
  const trustedDocuments = new Map<string, TrustedDocument>();
  for (const name of documentFiles) {
    const file = `${TRUSTED_DOCUMENTS_FOLDER}/${name}`;
    const id = name.slice(0, -".graphql".length);
    let text: string;
    try {
      text = await src.readText(file);
    } catch {
      problems.push({ file, path: "", reason: "file not found or not readable" });
      continue;
    }
    contents.set(file, text);
    if (!/^[A-Z][A-Za-z0-9]{0,79}$/.test(id)) {
      problems.push({
        file,
        path: "",
        reason: "a trusted document is named <OperationName>.graphql, e.g. RegisterSignal.graphql",
      });
      continue;
    }
    const checked = checkTrustedDocument(file, id, text);
    for (const p of checked.problems) problems.push({ file, ...p });
    if (checked.document) trustedDocuments.set(checked.document.hash, checked.document);
  }
  const clientsFile = await src.list("").then(
    (names) => (names.includes("clients.yaml") ? read("clients.yaml", clientsFileSchema) : undefined),
    () => undefined,
  );
  const documentIds = new Set([...trustedDocuments.values()].map((d) => d.id));
  if (clientsFile)
    for (const p of checkClients(clientsFile, documentIds)) problems.push({ file: "clients.yaml", ...p });
  const clients = new Map<string, ClientDef>(
    (clientsFile?.clients ?? []).map((c) => [c.id, Object.freeze(c)]),
  );

  roles?.departments.forEach((d, i) => {
    if (roles.departments.findIndex((e) => e.id === d.id) !== i)
      problems.push({
        file: "roles.yaml",
        path: `departments[${i}].id`,
        reason: `duplicate department ${d.id}`,
      });
  });
  if (protocolData) for (const p of checkProtocol(protocolData)) problems.push({ file: protocolFile, ...p });
  protocolData?.closedCaseReaders?.forEach((role, i) => {
    if (roles?.roles[role].caseScope === "none")
      problems.push({
        file: protocolFile,
        path: `closedCaseReaders[${i}]`,
        reason: `role ${role} has case scope none in roles.yaml: it reads no case at all`,
      });
    // Delft art. 21d: a few authorised staff, people, read a closed case; never another system.
    if (roles?.roles[role].caseScope === "client")
      problems.push({
        file: protocolFile,
        path: `closedCaseReaders[${i}]`,
        reason: `role ${role} has case scope client in roles.yaml: a service account is not one of the authorised staff who read closed cases (Delft art. 21d)`,
      });
  });

  const probes: ProbeDef[] = [];
  probesData?.probes.forEach((p, i) => {
    if (!p.id.startsWith(`${p.source}.`))
      problems.push({
        file: "probes.yaml",
        path: `probes[${i}].id`,
        reason: `a probe of ${p.source} is named ${p.source}.<name>`,
      });
    if (probes.some((q) => q.id === p.id))
      problems.push({ file: "probes.yaml", path: `probes[${i}].id`, reason: `duplicate probe ${p.id}` });
    probes.push(Object.freeze({ ...p }));
  });
  registers.forEach((r) =>
    registerProbes(r).forEach((p, i) => {
      if (probes.some((q) => q.id === p.id))
        problems.push({ file: r.file, path: `probes[${i}].id`, reason: `duplicate probe ${p.id}` });
      probes.push(p);
    }),
  );

  const catalogue = buildCatalogue(catalogues);
  const protocol = protocolData ? toProtocol(protocolData) : undefined;
  let rules: ReturnType<typeof checkDisclosure>["rules"] = [];
  if (disclosure && protocol) {
    const checked = checkDisclosure(disclosure, { protocol, protocolFile, catalogue, probes });
    for (const p of checked.problems) problems.push({ file: rulesFile, ...p });
    rules = checked.rules;
  }

  let activities: ReturnType<typeof checkProcessingActivities>["register"];
  if (activitiesData && protocol) {
    const checked = checkProcessingActivities(activitiesData, protocol);
    for (const p of checked.problems) problems.push({ file: ACTIVITIES_FILE, ...p });
    activities = checked.register;
  }

  const themes = checkThemes(themeData, { catalogue, probes, departments: roles?.departments });
  problems.push(...themes.problems);
  const special = checkSpecialCategories(specialData, SPECIAL_FOLDER, specialFiles);
  problems.push(...special.problems);

  if (problems.length > 0 || !protocol || !roles || !disclosure || !activities)
    return err({ kind: "policy_invalid", problems });

  const files = [...contents.keys()].sort();
  const hash = createHash("sha256")
    .update(canonicalJson(files.map((file) => ({ file, content: contents.get(file) }))))
    .digest("hex");
  const sources = [
    ...new Set([...catalogue.sources, ...probes.map((p) => p.source), ...rules.map((r) => r.source)]),
  ].sort();
  return ok(
    createPolicySet({
      hash,
      protocol,
      catalogue,
      probes,
      sources,
      roles: roles.roles,
      departments: roles.departments,
      rules,
      themes: themes.themes,
      specialCategories: special.lists,
      clients,
      trustedDocuments,
      files,
      protocolFile,
      rulesFile,
      processingActivities: activities,
      registers,
    }),
  );
}
