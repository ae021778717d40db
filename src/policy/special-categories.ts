import { SPECIAL_CATEGORIES, type SpecialCategory, type SpecialCategoryFile } from "./schemas.ts";
import type { PolicyLoadError } from "./types.ts";

/**
 * Screening of signal text for special personal data before it is stored (Maastricht art. 6.4:
 * special personal data are not registered; if a signal carries them they are anonymised; GDPR
 * art. 9(1), and art. 10 for criminal data). The term lists are policy files
 * (`special-categories/<category>.yaml`), so the privacy officer maintains them and they are part
 * of the policy hash. A hit never repeats the words: it names the category and the character span.
 */

/** How one word of a term matches a word of the text (after normalisation). */
interface WordPattern {
  readonly stem: string;
  /** `*` before the stem: the word may have more letters before it (a compound's head). */
  readonly before: boolean;
  /** `*` after the stem: the word may have more letters after it (inflection, compound). */
  readonly after: boolean;
}

/** A category's compiled term list. */
export interface SpecialCategoryList {
  readonly category: SpecialCategory;
  readonly label: string;
  readonly article: string;
  readonly reason: string;
  /** Each term as its sequence of word patterns. */
  readonly terms: readonly (readonly WordPattern[])[];
  /** Normalised whole words a stem must not match. */
  readonly except: ReadonlySet<string>;
}

/** One hit: characters `start` (inclusive) to `end` (exclusive) of the text, as `String.slice` counts. */
export interface SpecialCategoryHit {
  readonly category: SpecialCategory;
  readonly article: string;
  readonly start: number;
  readonly end: number;
}

/** The article each category must cite: criminal data is GDPR art. 10, the rest art. 9(1). */
export const CATEGORY_ARTICLE: Readonly<Record<SpecialCategory, string>> = Object.freeze({
  health: "GDPR art. 9(1)",
  religion: "GDPR art. 9(1)",
  ethnicity: "GDPR art. 9(1)",
  sexualOrientation: "GDPR art. 9(1)",
  politicalOpinion: "GDPR art. 9(1)",
  unionMembership: "GDPR art. 9(1)",
  biometrics: "GDPR art. 9(1)",
  criminal: "GDPR art. 10",
});

/** Lower case without diacritics, one code point at a time (so offsets map back to the text). */
function normaliseChar(c: string): string {
  return c.normalize("NFD").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
}

/** A normalised term word (`Justitiële` -> `justitiele`). */
const normaliseWord = (w: string): string => [...w].map(normaliseChar).join("");

interface Token {
  readonly word: string;
  /** Offsets in the original text. */
  readonly start: number;
  readonly end: number;
}

/**
 * The words of the text (runs of letters and digits, after normalisation) with their offsets in
 * the original text. A hyphen, apostrophe or space ends a word, so `GGZ-instelling` is `ggz` and
 * `instelling`, and `Kerkstraat` stays one word that `kerk` does not match.
 */
function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let word = "";
  let start = -1;
  let end = -1;
  let i = 0;
  for (const c of text) {
    const n = normaliseChar(c);
    if (n.length > 0 && /^[\p{L}\p{N}]+$/u.test(n)) {
      if (word === "") start = i;
      word += n;
      end = i + c.length;
    } else if (word !== "") {
      tokens.push({ word, start, end });
      word = "";
    }
    i += c.length;
  }
  if (word !== "") tokens.push({ word, start, end });
  return tokens;
}

function wordMatches(p: WordPattern, word: string, except: ReadonlySet<string>): boolean {
  if (!p.before && !p.after) return word === p.stem;
  if (except.has(word)) return false;
  if (p.before && p.after) return word.includes(p.stem);
  if (p.after) return word.startsWith(p.stem);
  return word.endsWith(p.stem);
}

/** Two words of a multi-word term are adjacent when only spaces or hyphens lie between them. */
const ADJACENT = /^[\s-]+$/u;

/**
 * Every span of `text` that matches a term of a category, sorted by start; overlapping spans of
 * one category are merged. Empty when the text holds none of the terms.
 */
export function screenText(
  policy: { readonly specialCategories: readonly SpecialCategoryList[] },
  text: string,
): SpecialCategoryHit[] {
  const tokens = tokenise(text);
  const hits: SpecialCategoryHit[] = [];
  for (const list of policy.specialCategories) {
    const spans: { start: number; end: number }[] = [];
    for (const term of list.terms)
      for (let k = 0; k + term.length <= tokens.length; k++) {
        const matches = term.every((p, j) => {
          const token = tokens[k + j];
          if (!token || !wordMatches(p, token.word, list.except)) return false;
          const prev = tokens[k + j - 1];
          return j === 0 || (prev !== undefined && ADJACENT.test(text.slice(prev.end, token.start)));
        });
        const first = tokens[k];
        const last = tokens[k + term.length - 1];
        if (matches && first && last) spans.push({ start: first.start, end: last.end });
      }
    spans.sort((a, b) => a.start - b.start || a.end - b.end);
    const merged: { start: number; end: number }[] = [];
    for (const s of spans) {
      const top = merged.at(-1);
      if (top && s.start <= top.end) top.end = Math.max(top.end, s.end);
      else merged.push({ ...s });
    }
    for (const s of merged) hits.push({ category: list.category, article: list.article, ...s });
  }
  return hits.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** How many spans a refusal names before it says "and N more". */
const NAMED_SPANS = 5;

/**
 * The refusal for a text with hits, naming category and span but never the words, e.g.
 * `motivation: characters 12-19 look like health data (GDPR art. 9(1)); anonymise them or confirm
 * the text is anonymised (anonymised: true with anonymisedMotivation).` Characters count from 1,
 * both ends included, as a reader counts them.
 */
export function specialCategoryMessage(
  policy: { readonly specialCategories: readonly SpecialCategoryList[] },
  argument: string,
  hits: readonly SpecialCategoryHit[],
  advice = "anonymise them or confirm the text is anonymised (anonymised: true with anonymisedMotivation)",
): string {
  const label = (c: SpecialCategory) => policy.specialCategories.find((l) => l.category === c)?.label ?? c;
  const named = hits.slice(0, NAMED_SPANS).map((h, i) => {
    const span = h.end - h.start === 1 ? `character ${h.start + 1}` : `characters ${h.start + 1}-${h.end}`;
    return `${span} ${i === 0 ? "look like" : "like"} ${label(h.category)} (${h.article})`;
  });
  const more = hits.length > NAMED_SPANS ? `, and ${hits.length - NAMED_SPANS} more` : "";
  return (
    `${argument}: ${named.join(", ")}${more}; special personal data are not registered ` +
    `(Maastricht art. 6.4): ${advice}.`
  );
}

/** The hits as an audit detail: category, article and span only, never the words. */
export const hitsDetail = (hits: readonly SpecialCategoryHit[]) =>
  hits.map((h) => ({ category: h.category, article: h.article, start: h.start, end: h.end }));

type FileProblem = PolicyLoadError["problems"][number];

/** Shortest stem a `*` pattern may have, so a stem cannot match half the language. */
const MIN_STEM = 3;

/**
 * Cross-checks the category files and compiles their terms. Every category must have exactly
 * one file named after it, citing its article; a stem too short to mean anything, a duplicate
 * term or an exception that no stem would match is a problem, so the list says what it does.
 */
export function checkSpecialCategories(
  files: readonly { readonly file: string; readonly data: SpecialCategoryFile }[],
  folder: string,
  /** Every file found in the folder, also those that did not parse (they have their own problem). */
  present: readonly string[],
): { problems: FileProblem[]; lists: SpecialCategoryList[] } {
  const problems: FileProblem[] = [];
  const lists: SpecialCategoryList[] = [];
  const owner = new Map<string, string>();
  for (const { file, data } of files) {
    const problem = (path: string, reason: string) => problems.push({ file, path, reason });
    const stem = file.replace(/^.*\//, "").replace(/\.yaml$/, "");
    if (data.category !== stem)
      problem("category", `category ${data.category} must equal the file name (${stem})`);
    const first = owner.get(data.category);
    if (first !== undefined) problem("category", `duplicate category ${data.category} (also ${first})`);
    else owner.set(data.category, file);
    const article = CATEGORY_ARTICLE[data.category];
    if (data.article !== article)
      problem("article", `category ${data.category} is special data under ${article}, not ${data.article}`);

    const seen = new Map<string, number>();
    const terms = data.terms.map((term, i) => {
      const words = term.split(" ").map((w) => {
        const before = w.startsWith("*");
        const after = w.endsWith("*");
        return { stem: normaliseWord(w.replace(/^\*|\*$/g, "")), before, after };
      });
      if (words.some((w) => (w.before || w.after) && w.stem.length < MIN_STEM))
        problem(`terms[${i}]`, `a stem with * needs at least ${MIN_STEM} letters`);
      const key = words.map((w) => `${w.before ? "*" : ""}${w.stem}${w.after ? "*" : ""}`).join(" ");
      const other = seen.get(key);
      if (other !== undefined) problem(`terms[${i}]`, `the same term as terms[${other}]`);
      else seen.set(key, i);
      return Object.freeze(words.map((w) => Object.freeze(w)));
    });
    const stems = terms.flat().filter((w) => w.before || w.after);
    const except = data.except.map((w, i) => {
      const word = normaliseWord(w);
      if (w.includes(" ") || w.includes("*")) problem(`except[${i}]`, "an exception is one whole word");
      else if (!stems.some((p) => wordMatches(p, word, new Set())))
        problem(`except[${i}]`, "no stem of this list matches this word, so the exception does nothing");
      return word;
    });
    lists.push(
      Object.freeze({
        category: data.category,
        label: data.label,
        article: data.article,
        reason: data.reason,
        terms: Object.freeze(terms),
        except: new Set(except),
      }),
    );
  }
  for (const category of SPECIAL_CATEGORIES)
    if (!owner.has(category) && !present.includes(`${folder}/${category}.yaml`))
      problems.push({
        file: `${folder}/`,
        path: "",
        reason: `no term list for ${category} (${folder}/${category}.yaml): every special category is screened (Maastricht art. 6.4, ${CATEGORY_ARTICLE[category]})`,
      });
  lists.sort((a, b) => SPECIAL_CATEGORIES.indexOf(a.category) - SPECIAL_CATEGORIES.indexOf(b.category));
  return { problems, lists };
}
