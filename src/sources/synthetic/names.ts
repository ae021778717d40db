/** Word lists for Dutch-looking (and Limburg-flavoured) synthetic persons and streets. */

export const VOORNAMEN_M = [
  "Jan", "Pieter", "Hendrikus Johannes", "Bram", "Luuk", "Thijs", "Mohamed", "Joep", "Sjef",
  "Teun", "Daan", "Gerardus", "Wim", "Noah", "Sem", "Jozef Maria", "Levi", "Milan", "Ruud",
  "Stijn", "Maurice", "Twan", "Hüseyin", "Fons", "Koen",
] as const;

export const VOORNAMEN_V = [
  "Maria", "Anna", "Johanna Petronella", "Emma", "Sophie", "Lotte", "Fatima", "Ingrid", "Mieke",
  "Sanne", "Noor", "Yara", "Wilhelmina", "Femke", "Lieke", "Zoë", "Anouk", "Elif", "Jet",
  "Marie-José", "Loes", "Chantal", "Renée", "Iris", "Tess",
] as const;

/** [voorvoegsel, geslachtsnaam]; an empty voorvoegsel means none. */
export const GESLACHTSNAMEN: readonly (readonly [string, string])[] = [
  ["", "Janssen"], ["", "Peeters"], ["", "Smeets"], ["", "Hermans"], ["", "Wetzels"],
  ["", "Frijns"], ["", "Claessens"], ["", "Maessen"], ["", "Lemmens"], ["", "Ramakers"],
  ["", "Bemelmans"], ["", "Schoonbrood"], ["", "Coenen"], ["", "Kessels"], ["", "Houben"],
  ["", "Dassen"], ["", "Vroemen"], ["", "Dautzenberg"], ["", "Habets"], ["", "Ploumen"],
  ["", "Özdemir"], ["", "El Amrani"], ["", "Nowak"], ["", "Bakker"], ["", "Meijer"],
  ["de", "Jong"], ["de", "Vries"], ["van den", "Berg"], ["van der", "Linden"], ["van", "Dijk"],
  ["van", "Rooij"], ["van 't", "Hof"], ["in 't", "Zandt"], ["van de", "Ven"], ["de", "Bruijn"],
  ["van der", "Heijden"], ["op de", "Kamp"], ["ter", "Horst"], ["van", "Gulik"], ["d'", "Hondt"],
] as const;

export const STRAATNAMEN = [
  "Wilhelminasingel", "Boschstraat", "Tongersestraat", "Brusselsestraat", "Meerssenerweg",
  "Akersteenweg", "Scharnerweg", "Via Regia", "Nobelstraat", "Hoogbrugstraat", "Wycker Brugstraat",
  "Rechtstraat", "Sint Pieterstraat", "Papenstraat", "Statensingel", "Koningsplein", "Oranjeplein",
  "Glacisweg", "Heerderweg", "Limburglaan", "Prins Bisschopsingel", "Cabergerweg", "Malbergsingel",
  "Daalhoefstraat", "Bourgognestraat", "Franciscus Romanusweg", "Heukelstraat", "Cortenstraat",
  "Sint Maartenslaan", "Burgemeester Cortenstraat", "Professor Pieter Willemsstraat",
  "Avenue Céramique", "Hertogsingel", "Kapoenstraat", "Lage Kanaaldijk",
] as const;

/** A short name (max 24 characters, as BRP korteStraatnaam) for an official street name. */
export function korteStraatnaam(officieel: string): string {
  const short = officieel
    .replace(/^Burgemeester /, "Burg. ")
    .replace(/^Professor /, "Prof. ")
    .replace(/^Franciscus /, "F. ");
  return short.length <= 24 ? short : short.slice(0, 24).trimEnd();
}
