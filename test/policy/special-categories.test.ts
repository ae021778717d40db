import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadPolicySet,
  screenText,
  specialCategoryMessage,
  SPECIAL_CATEGORIES,
  type LoadedPolicySet,
  type SpecialCategory,
} from "../../src/policy/index.ts";
import { loadOk, overlay, policiesDir } from "./policy-fixtures.ts";

// Maastricht art. 6.4: special personal data are not registered; a signal text is screened for
// them (GDPR art. 9(1), art. 10 for criminal data) before it is stored.

let policy: LoadedPolicySet;
beforeAll(async () => {
  policy = await loadOk();
});

/** The categories and the exact words the screening found in `text`. */
function found(text: string): { category: SpecialCategory; words: string }[] {
  return screenText(policy, text).map((h) => ({ category: h.category, words: text.slice(h.start, h.end) }));
}

describe("the term lists", () => {
  it.each(["protocol.yaml", "protocol-delft.yaml"])(
    "loads all eight categories with %s",
    async (protocolFile) => {
      const p = await loadOk(policiesDir, { protocolFile });
      expect(p.specialCategories.map((l) => l.category)).toEqual([...SPECIAL_CATEGORIES]);
      for (const l of p.specialCategories) {
        expect(l.article).toBe(l.category === "criminal" ? "GDPR art. 10" : "GDPR art. 9(1)");
        expect(l.reason).toMatch(/Maastricht art\. 6\.4/);
        expect(l.terms.length).toBeGreaterThan(5);
      }
      expect(p.files.filter((f) => f.startsWith("special-categories/"))).toHaveLength(8);
    },
  );

  it("is part of the policy hash", async () => {
    const { dir, cleanup } = overlay();
    try {
      const file = join(dir, "special-categories", "health.yaml");
      writeFileSync(file, `${readFileSync(file, "utf8")}  - reuma\n`);
      const changed = await loadOk(dir);
      expect(changed.hash).not.toBe(policy.hash);
      expect(screenText(changed, "Buurvrouw heeft reuma.")).toHaveLength(1);
      expect(screenText(policy, "Buurvrouw heeft reuma.")).toHaveLength(0);
    } finally {
      cleanup();
    }
  });
});

describe("each category, with Dutch word forms", () => {
  const cases: [SpecialCategory, string, string[]][] = [
    ["health", "De bewoner is ziek en ligt in het ziekenhuis.", ["ziek", "ziekenhuis"]],
    [
      "health",
      "Hij is verslaafd; drugsverslaving en een alcoholverslaving.",
      ["verslaafd", "drugsverslaving", "alcoholverslaving"],
    ],
    ["health", "Onder behandeling bij de GGZ-instelling wegens Depressie.", ["GGZ", "Depressie"]],
    ["health", "Ze is zwanger, de zwangerschap verloopt goed.", ["zwanger", "zwangerschap"]],
    [
      "health",
      "Longkanker vastgesteld, diagnoses en medicatiegebruik.",
      ["Longkanker", "diagnoses", "medicatiegebruik"],
    ],
    ["health", "Een psychiatrische patiënt met hiv.", ["psychiatrische", "hiv"]],
    ["health", "Hij had een burn-out.", ["burn-out"]],
    ["religion", "Hij bezoekt de moskee en de Moskeeën in de regio.", ["moskee", "Moskeeën"]],
    ["religion", "Een islamitische stichting naast het kerkje.", ["islamitische", "kerkje"]],
    ["religion", "De Joodse gemeenschap en een christelijke school.", ["Joodse", "christelijke"]],
    ["religion", "De imam en vrouwen met een hoofddoek.", ["imam", "hoofddoek"]],
    [
      "ethnicity",
      "Van Marokkaanse afkomst, de Marokkanen in de wijk.",
      ["Marokkaanse", "afkomst", "Marokkanen"],
    ],
    ["ethnicity", "Turkse en Surinaamse eigenaren, een Antilliaan.", ["Turkse", "Surinaamse", "Antilliaan"]],
    ["ethnicity", "Poolse arbeidsmigranten, allochtone jongeren.", ["Poolse", "allochtone"]],
    ["ethnicity", "Etniciteit en migratieafkomst.", ["Etniciteit", "migratieafkomst"]],
    ["sexualOrientation", "Het homostel en een lesbische vrouw.", ["homostel", "lesbische"]],
    [
      "sexualOrientation",
      "Homoseksuele man, biseksueel, transgender.",
      ["Homoseksuele", "biseksueel", "transgender"],
    ],
    ["politicalOpinion", "Hij is partijlid van de PVV.", ["partijlid", "PVV"]],
    ["politicalOpinion", "Zijn politieke voorkeur: GroenLinks.", ["politieke voorkeur", "GroenLinks"]],
    [
      "unionMembership",
      "Zij is vakbondslid, actief in de FNV en de politievakbond.",
      ["vakbondslid", "FNV", "politievakbond"],
    ],
    ["unionMembership", "Lid van het CNV.", ["CNV"]],
    [
      "biometrics",
      "Vingerafdrukken en gezichtsherkenning op camera.",
      ["Vingerafdrukken", "gezichtsherkenning"],
    ],
    ["biometrics", "Een DNA-profiel van de bewoner.", ["DNA"]],
    ["criminal", "Eerder veroordeeld; zijn strafblad is lang.", ["veroordeeld", "strafblad"]],
    ["criminal", "Hij was gedetineerd en is verdachte van witwassen.", ["gedetineerd", "verdachte van"]],
    [
      "criminal",
      "Volgens de justitiële documentatie een ex-gedetineerde.",
      ["justitiële documentatie", "gedetineerde"],
    ],
  ];
  it.each(cases)("%s: %s", (category, text, words) => {
    const hits = found(text);
    expect(hits.filter((h) => h.category === category).map((h) => h.words)).toEqual(words);
  });

  it("ignores case and diacritics in text and terms", () => {
    expect(found("MOSKEE")).toEqual([{ category: "religion", words: "MOSKEE" }]);
    expect(found("De justitiele documentatie")).toEqual([
      { category: "criminal", words: "justitiele documentatie" },
    ]);
    expect(found("Een suïcidepoging")).toEqual([{ category: "health", words: "suïcidepoging" }]);
  });

  it("gives offsets in the original text, also after characters that normalise", () => {
    const text = "Café Één: ziek.";
    const [hit] = screenText(policy, text);
    expect(hit).toEqual({ category: "health", article: "GDPR art. 9(1)", start: 10, end: 14 });
    expect(text.slice(hit?.start, hit?.end)).toBe("ziek");
  });

  it("needs the words of a phrase next to each other", () => {
    expect(found("verdachte van")).toHaveLength(1);
    expect(found("verdachte, van")).toHaveLength(0);
    expect(found("politieke  voorkeur")).toHaveLength(1);
  });
});

describe("no false positives", () => {
  // Innocent signal sentences, many with words that contain a term inside them.
  const innocent = [
    "Melding over een café aan de Kerkstraat 12 met veel bezoekers na sluitingstijd.",
    "Het pand aan het Kerkplein wordt mogelijk gebruikt voor hennepteelt.",
    "Stankoverlast en een hoog stroomverbruik; ramen zijn afgeplakt.",
    "De eigenaar, de heer Christensen, verhuurt kamers aan wisselende personen.",
    "Ik geloof dat er 's nachts busjes laden en lossen bij de loods.",
    "De samenstelling van de groep is homogeen; de homologatie van het voertuig ontbreekt.",
    "Een bedrijf in de haven met een onduidelijke administratie en veel contante betalingen.",
    "Zwart geld via een kapperszaak, vermoedelijk witwassen.",
    "Signal about a bar on the Markt.",
    "Melding van de wijkagent: nieuwe huurders in de flat, veel in- en uitloop.",
    "Vastgoed wordt snel doorverkocht tegen een hogere prijs.",
    "De buren klagen over geluidsoverlast en een onbekende vrachtwagen (Poolstraat).",
    "Het terras staat op de stoep, er is geen vergunning voor de uitbreiding.",
    "Vanuit de Turfmarkt komen vaker meldingen over de shishalounge.",
    "Een ondernemer in de Polderstraat, inschrijving bij de KvK is recent.",
    "Demo signal for phase intake.",
    "Hemp signal.",
    "Medewerkers van de woningcorporatie zagen een transport van pallets.",
    "Het rasterwerk van de schutting is vernield, de dader is onbekend.",
    "Een overval? Nee, een transactie in de Trans-straat werd gemeld.",
  ];
  it.each(innocent)("%s", (text) => {
    expect(found(text)).toEqual([]);
  });
});

describe("the message", () => {
  it("names category, article and span, counting from 1, and never the words", () => {
    const text = "Melding: ziek en partijlid.";
    const message = specialCategoryMessage(policy, "motivation", screenText(policy, text));
    expect(message).toBe(
      "motivation: characters 10-13 look like health data (GDPR art. 9(1)), characters 18-26 like " +
        "political opinions (GDPR art. 9(1)); special personal data are not registered (Maastricht " +
        "art. 6.4): anonymise them or confirm the text is anonymised (anonymised: true with anonymisedMotivation).",
    );
    expect(message).not.toMatch(/ziek|partijlid/);
  });

  it("names at most five spans", () => {
    const message = specialCategoryMessage(policy, "motivation", screenText(policy, "ziek ".repeat(8)));
    expect(message).toMatch(/characters 21-24 like health data \(GDPR art\. 9\(1\)\), and 3 more;/);
  });
});

describe("loader refusals", () => {
  async function problemsWith(change: (dir: string) => void) {
    const { dir, cleanup } = overlay();
    try {
      change(dir);
      const result = await loadPolicySet(dir);
      return result.ok ? [] : result.error.problems;
    } finally {
      cleanup();
    }
  }
  const header = (category: string, article = "GDPR art. 9(1)") =>
    `category: ${category}\nlabel: test\narticle: ${article}\nreason: Test list.\n`;
  const write = (dir: string, file: string, text: string) =>
    writeFileSync(join(dir, "special-categories", file), text);

  it("refuses a missing category", async () => {
    const problems = await problemsWith((dir) => rmSync(join(dir, "special-categories", "biometrics.yaml")));
    expect(problems).toEqual([
      {
        file: "special-categories/",
        path: "",
        reason:
          "no term list for biometrics (special-categories/biometrics.yaml): every special category is screened (Maastricht art. 6.4, GDPR art. 9(1))",
      },
    ]);
  });

  it("refuses a missing folder, naming every category", async () => {
    const problems = await problemsWith((dir) =>
      rmSync(join(dir, "special-categories"), { recursive: true }),
    );
    expect(problems.map((p) => p.reason.split(" ")[4])).toEqual([...SPECIAL_CATEGORIES]);
  });

  it("refuses a file named after another category, the wrong article, an unknown category", async () => {
    const problems = await problemsWith((dir) => {
      write(dir, "health.yaml", `${header("religion")}terms: [ziek]\n`);
      write(dir, "criminal.yaml", `${header("criminal")}terms: [strafblad]\n`);
      write(dir, "weather.yaml", `${header("weather")}terms: [regen]\n`);
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: "special-categories/health.yaml",
          path: "category",
          reason: "category religion must equal the file name (health)",
        },
        {
          file: "special-categories/religion.yaml",
          path: "category",
          reason: "duplicate category religion (also special-categories/health.yaml)",
        },
        {
          file: "special-categories/criminal.yaml",
          path: "article",
          reason: "category criminal is special data under GDPR art. 10, not GDPR art. 9(1)",
        },
        expect.objectContaining({ file: "special-categories/weather.yaml", path: "category" }),
      ]),
    );
    // health.yaml exists (its own problem says what is wrong), so it is not reported missing.
    expect(problems.some((p) => p.reason.startsWith("no term list"))).toBe(false);
  });

  it("refuses bad terms: upper case, a short stem, a duplicate, a useless exception, no terms", async () => {
    const problems = await problemsWith((dir) => {
      write(
        dir,
        "health.yaml",
        `${header("health")}terms: ["Ziek", "zi*", "ziek", "ziek", "a  b"]\nexcept: [zonnebril]\n`,
      );
      write(dir, "religion.yaml", `${header("religion")}terms: []\n`);
    });
    const health = problems.filter((p) => p.file === "special-categories/health.yaml");
    expect(health.map((p) => p.path)).toEqual(["terms[0]", "terms[4]"]);
    expect(health[0]?.reason).toMatch(/lower-case words separated by single spaces/);
    expect(problems).toContainEqual({
      file: "special-categories/religion.yaml",
      path: "terms",
      reason: "name at least one term",
    });
    const cross = await problemsWith((dir) =>
      write(dir, "health.yaml", `${header("health")}terms: ["zi*", "ziek", "ziek"]\nexcept: [zonnebril]\n`),
    );
    expect(cross).toEqual([
      {
        file: "special-categories/health.yaml",
        path: "terms[0]",
        reason: "a stem with * needs at least 3 letters",
      },
      { file: "special-categories/health.yaml", path: "terms[2]", reason: "the same term as terms[1]" },
      {
        file: "special-categories/health.yaml",
        path: "except[0]",
        reason: "no stem of this list matches this word, so the exception does nothing",
      },
    ]);
  });

  it("refuses a YAML error with its line", async () => {
    const problems = await problemsWith((dir) =>
      write(dir, "health.yaml", `${header("health")}terms: [ziek\n`),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: "special-categories/health.yaml",
      reason: expect.stringMatching(/YAML/),
    });
  });
});
