import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadPolicySet,
  themeCovering,
  themeDatasetRef,
  type LoadedPolicySet,
  type ThemeCheckRequest,
} from "../../src/policy/index.ts";
import { loadOk, overlay, policiesDir } from "./policy-fixtures.ts";

// Delft art. 16g-h (check 1) and 19g (check 2a): a check that fits a theme dataset needs no advice.

/** Delft's protocol lets theme datasets approve (protocol-delft.yaml `themeDatasets`). */
let policy: LoadedPolicySet;
let model: LoadedPolicySet;
beforeAll(async () => {
  policy = await loadOk(policiesDir, { protocolFile: "protocol-delft.yaml" });
  model = await loadOk();
});

const header = (theme: string) =>
  `theme: ${theme}\nname: Test\nversion: "t-1"\nreason: Test dataset.\narticle: Delft art. 16g-h, 19g\n`;

/** Loads a copy of the real policies with extra files written into it; returns the problems. */
async function problemsWith(files: Record<string, string>) {
  const { dir, cleanup } = overlay();
  try {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    const result = await loadPolicySet(dir);
    return result.ok ? [] : result.error.problems;
  } finally {
    cleanup();
  }
}

describe("loading the real theme datasets", () => {
  it.each(["protocol.yaml", "protocol-delft.yaml"])("loads the four themes with %s", async (protocolFile) => {
    const p = await loadOk(policiesDir, { protocolFile });
    expect(p.themes.map((t) => t.theme)).toEqual(["hennepteelt", "horeca", "mensenhandel", "vastgoedfraude"]);
    for (const t of p.themes) {
      expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(t.article).toMatch(/Delft art\. 16g-h, 19g/);
      expect(t.reason.length).toBeGreaterThan(20);
    }
  });

  it("expands check2a fields to sorted grantable units", () => {
    const hennep = policy.themes.find((t) => t.theme === "hennepteelt");
    expect(hennep?.check1).toContainEqual({
      source: "brp",
      probes: ["brp.ingeschreven", "brp.binnenGemeente"],
    });
    const entry = hennep?.check2a.find((e) => e.recipient === "handhaving" && e.source === "brp");
    const expected = [
      ...policy.catalogue.grantableUnder("brp", "naam"),
      ...policy.catalogue.grantableUnder("brp", "verblijfplaats"),
    ].sort();
    expect(entry?.fields).toEqual(expected);
    expect(entry?.fields).toContain("naam.geslachtsnaam");
    expect(entry?.fields.some((f) => f.includes("inOnderzoek"))).toBe(false);
  });

  it("names the dataset that approved a check by theme, version and file fingerprint", () => {
    const horeca = policy.themes.find((t) => t.theme === "horeca");
    if (!horeca) return expect.fail("no horeca theme");
    expect(themeDatasetRef(horeca)).toBe(`horeca@2026-1 (sha256:${horeca.hash.slice(0, 12)})`);
    expect(themeDatasetRef(horeca)).toMatch(/^horeca@2026-1 \(sha256:[0-9a-f]{12}\)$/);
  });
});

describe("themeCovering", () => {
  it("never covers under a protocol without a theme-dataset rule (the model protocol)", () => {
    const fits = req("1", "brp", [], ["brp.ingeschreven"], []);
    expect(themeCovering(policy, "hennepteelt", fits)?.theme).toBe("hennepteelt");
    expect(model.protocol.themeDatasets).toBeUndefined();
    expect(themeCovering(model, "hennepteelt", fits)).toBeUndefined();
  });

  const req = (
    kind: ThemeCheckRequest["kind"],
    source: string,
    fields: string[],
    probes: string[],
    recipients: string[] = [],
  ): ThemeCheckRequest => ({ kind, source, fields, probes, recipients });

  it.each<[string, string | null, ThemeCheckRequest, string | undefined]>([
    [
      "1: listed probes",
      "hennepteelt",
      req("1", "brp", [], ["brp.ingeschreven", "brp.binnenGemeente"]),
      "hennepteelt",
    ],
    ["1: a subset of the listed probes", "horeca", req("1", "permits", [], ["permits.horeca"]), "horeca"],
    [
      "1: a probe outside the dataset",
      "horeca",
      req("1", "brp", [], ["brp.ingeschreven", "brp.binnenGemeente"]),
      undefined,
    ],
    [
      "1: a source outside the dataset",
      "hennepteelt",
      req("1", "permits", [], ["permits.horeca"]),
      undefined,
    ],
    ["1: fields asked", "hennepteelt", req("1", "brp", ["naam"], ["brp.ingeschreven"]), undefined],
    ["1: no probes", "hennepteelt", req("1", "brp", [], []), undefined],
    [
      "1: recipients named",
      "hennepteelt",
      req("1", "brp", [], ["brp.ingeschreven"], ["handhaving"]),
      undefined,
    ],
    [
      "2a: units inside the entry",
      "hennepteelt",
      req("2a", "brp", ["naam.geslachtsnaam", "naam.voornamen"], [], ["handhaving"]),
      "hennepteelt",
    ],
    [
      "2a: a group name inside the entry",
      "hennepteelt",
      req("2a", "brp", ["naam"], [], ["handhaving"]),
      "hennepteelt",
    ],
    [
      "2a: every recipient covered",
      "mensenhandel",
      req("2a", "brp", ["naam.geslachtsnaam"], [], ["handhaving", "sociaal_domein"]),
      "mensenhandel",
    ],
    [
      "2a: a field outside the entry",
      "hennepteelt",
      req("2a", "brp", ["naam.geslachtsnaam", "geboorte.datum"], [], ["handhaving"]),
      undefined,
    ],
    [
      "2a: a recipient outside the dataset",
      "hennepteelt",
      req("2a", "brp", ["naam.geslachtsnaam"], [], ["wonen"]),
      undefined,
    ],
    [
      "2a: second recipient not covered",
      "hennepteelt",
      req("2a", "brp", ["naam.geslachtsnaam"], [], ["handhaving", "wonen"]),
      undefined,
    ],
    [
      "2a: field covered for one recipient only",
      "mensenhandel",
      req("2a", "brp", ["geboorte.datum"], [], ["sociaal_domein", "handhaving"]),
      undefined,
    ],
    [
      "2a: another source for the recipient",
      "hennepteelt",
      req("2a", "bewoning", ["bewoners"], [], ["handhaving"]),
      undefined,
    ],
    ["2a: no recipients", "hennepteelt", req("2a", "brp", ["naam.geslachtsnaam"], []), undefined],
    ["2a: no fields", "hennepteelt", req("2a", "brp", [], [], ["handhaving"]), undefined],
    [
      "2a: probes asked",
      "hennepteelt",
      req("2a", "brp", ["naam.geslachtsnaam"], ["brp.ingeschreven"], ["handhaving"]),
      undefined,
    ],
    [
      "2a: a field that grants nothing",
      "hennepteelt",
      req("2a", "brp", ["beroep"], [], ["handhaving"]),
      undefined,
    ],
    [
      "2b: never, even inside check2a",
      "hennepteelt",
      req("2b", "brp", ["naam.geslachtsnaam"], [], ["handhaving"]),
      undefined,
    ],
    ["theme null", null, req("1", "brp", [], ["brp.ingeschreven"]), undefined],
    ["unknown theme", "wietplantage", req("1", "brp", [], ["brp.ingeschreven"]), undefined],
  ])("%s", (_, theme, request, expected) => {
    expect(themeCovering(policy, theme, request)?.theme).toBe(expected);
  });

  it("covers every unit of the handhaving entry at once", () => {
    const units = policy.catalogue.grantableUnder("brp", "verblijfplaats");
    expect(units.length).toBeGreaterThan(1);
    const ds = themeCovering(policy, "hennepteelt", req("2a", "brp", [...units], [], ["handhaving"]));
    expect(ds && themeDatasetRef(ds)).toMatch(/^hennepteelt@2026-1 \(sha256:[0-9a-f]{12}\)$/);
  });
});

describe("refusing bad theme files", () => {
  const departments = "vergunningen, handhaving, belastingen, wonen, sociaal_domein, burgerzaken";
  it.each<[string, Record<string, string>, string, string, string]>([
    [
      "theme differs from the file name",
      { "themes/wiet.yaml": header("wietteelt") },
      "themes/wiet.yaml",
      "theme",
      "theme wietteelt must equal the file name (wiet)",
    ],
    [
      "duplicate theme",
      { "themes/wiet.yaml": header("hennepteelt") },
      "themes/wiet.yaml",
      "theme",
      "duplicate theme hennepteelt (also themes/hennepteelt.yaml)",
    ],
    [
      "unknown source in check1",
      {
        "themes/test.yaml":
          header("test") + "check1:\n  - { source: landmeting, probes: [landmeting.akte] }\n",
      },
      "themes/test.yaml",
      "check1[0].source",
      "unknown source landmeting (no catalogue or probe names it)",
    ],
    [
      "unknown source in check2a",
      {
        "themes/test.yaml":
          header("test") + "check2a:\n  - { recipient: wonen, source: energielabel, fields: [klasse] }\n",
      },
      "themes/test.yaml",
      "check2a[0].source",
      "unknown source energielabel (no catalogue or probe names it)",
    ],
    [
      "unknown probe",
      {
        "themes/test.yaml":
          header("test") + "check1:\n  - { source: brp, probes: [brp.ingeschreven, brp.overleden] }\n",
      },
      "themes/test.yaml",
      "check1[0].probes[1]",
      "unknown probe brp.overleden",
    ],
    [
      "probe of another source",
      { "themes/test.yaml": header("test") + "check1:\n  - { source: brp, probes: [bag.adresBestaat] }\n" },
      "themes/test.yaml",
      "check1[0].probes[0]",
      "probe bag.adresBestaat belongs to bag, not brp",
    ],
    [
      "duplicate source in check1",
      {
        "themes/test.yaml":
          header("test") +
          "check1:\n  - { source: brp, probes: [brp.ingeschreven] }\n  - { source: brp, probes: [brp.binnenGemeente] }\n",
      },
      "themes/test.yaml",
      "check1[1].source",
      "a second check1 entry for source brp (also check1[0])",
    ],
    [
      "unknown field",
      {
        "themes/test.yaml":
          header("test") + "check2a:\n  - { recipient: wonen, source: brp, fields: [naam, beroep] }\n",
      },
      "themes/test.yaml",
      "check2a[0].fields[1]",
      "unknown field beroep in the brp catalogue",
    ],
    [
      "field that only holds automatically delivered fields",
      {
        "themes/test.yaml":
          header("test") + "check2a:\n  - { recipient: wonen, source: brp, fields: [naam.inOnderzoek] }\n",
      },
      "themes/test.yaml",
      "check2a[0].fields[0]",
      "naam.inOnderzoek is delivered automatically by the source and cannot be shared (only its parent fields can)",
    ],
    [
      "path inside a field",
      {
        "themes/test.yaml":
          header("test") +
          "check2a:\n  - { recipient: wonen, source: brp, fields: [naam.geslachtsnaam.x] }\n",
      },
      "themes/test.yaml",
      "check2a[0].fields[0]",
      "naam.geslachtsnaam.x is part of the field naam.geslachtsnaam; name naam.geslachtsnaam",
    ],
    [
      "special-category field (GDPR art. 9)",
      {
        "catalogue/zorg.yaml":
          "source: zorg\nname: Fixture health source\nfields:\n  - { path: client.naam, class: personal, note: name }\n  - { path: client.indicatie, class: special, note: health }\n",
        "themes/test.yaml":
          header("test") + "check2a:\n  - { recipient: sociaal_domein, source: zorg, fields: [client] }\n",
      },
      "themes/test.yaml",
      "check2a[0].fields[0]",
      "shares special-category data (client.indicatie): forbidden by GDPR art. 9 and Maastricht art. 6.4",
    ],
    [
      "recipient not in roles.yaml",
      {
        "themes/test.yaml":
          header("test") + "check2a:\n  - { recipient: politie, source: brp, fields: [naam] }\n",
      },
      "themes/test.yaml",
      "check2a[0].recipient",
      `unknown department politie: roles.yaml has ${departments}`,
    ],
    [
      "duplicate recipient and source in check2a",
      {
        "themes/test.yaml":
          header("test") +
          "check2a:\n  - { recipient: wonen, source: brp, fields: [naam] }\n  - { recipient: wonen, source: bewoning, fields: [bewoners] }\n  - { recipient: wonen, source: brp, fields: [verblijfplaats] }\n",
      },
      "themes/test.yaml",
      "check2a[2]",
      "a second check2a entry for recipient wonen and source brp (also check2a[0])",
    ],
    [
      "empty version",
      { "themes/test.yaml": header("test").replace('"t-1"', '""') },
      "themes/test.yaml",
      "version",
      "must not be empty",
    ],
  ])("%s", async (_, files, file, path, reason) => {
    const problems = await problemsWith(files);
    expect(problems).toContainEqual({ file, path, reason });
  });

  it("reports only the broken entries, and no problem for a valid entry next to them", async () => {
    const problems = await problemsWith({
      "themes/test.yaml":
        header("test") +
        "check1:\n  - { source: brp, probes: [brp.ingeschreven, brp.overleden] }\n" +
        "check2a:\n  - { recipient: wonen, source: brp, fields: [naam] }\n  - { recipient: politie, source: brp, fields: [naam] }\n",
    });
    expect(problems.map((p) => `${p.file}: ${p.path}`)).toEqual([
      "themes/test.yaml: check1[0].probes[1]",
      "themes/test.yaml: check2a[1].recipient",
    ]);
  });

  it("loads a theme without check1 and check2a, and a policy folder without themes", async () => {
    const { dir, cleanup } = overlay();
    try {
      writeFileSync(join(dir, "themes", "leeg.yaml"), header("leeg"));
      const withEmpty = await loadOk(dir);
      expect(withEmpty.themes.find((t) => t.theme === "leeg")).toMatchObject({ check1: [], check2a: [] });
      expect(withEmpty.files).toContain("themes/leeg.yaml");
      rmSync(join(dir, "themes"), { recursive: true });
      const without = await loadOk(dir);
      expect(without.themes).toEqual([]);
      expect(without.files.some((f) => f.startsWith("themes/"))).toBe(false);
    } finally {
      cleanup();
    }
  });
});

describe("theme files and the policy hash", () => {
  it("a changed theme changes the policy hash and that theme's hash, not the others", async () => {
    const { dir, cleanup } = overlay();
    try {
      const file = join(dir, "themes", "horeca.yaml");
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace(
          "probes: [brp.ingeschreven]",
          "probes: [brp.ingeschreven, brp.binnenGemeente]",
        ),
      );
      const changed = await loadOk(dir);
      expect(changed.hash).not.toBe(model.hash);
      const hash = (p: LoadedPolicySet, theme: string) => p.themes.find((t) => t.theme === theme)?.hash;
      expect(hash(changed, "horeca")).not.toBe(hash(model, "horeca"));
      expect(hash(changed, "hennepteelt")).toBe(hash(model, "hennepteelt"));
    } finally {
      cleanup();
    }
  });

  it("a comment-only change changes neither", async () => {
    const { dir, cleanup } = overlay();
    try {
      const file = join(dir, "themes", "horeca.yaml");
      writeFileSync(file, `# reviewed again\n${readFileSync(file, "utf8")}`);
      const same = await loadOk(dir);
      expect(same.hash).toBe(model.hash);
      expect(same.themes.map((t) => t.hash)).toEqual(model.themes.map((t) => t.hash));
    } finally {
      cleanup();
    }
  });
});
