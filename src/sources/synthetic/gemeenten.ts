/** A few CBS municipality codes with names and a postcode range, for "registered elsewhere". */
export interface Gemeente {
  readonly code: string;
  readonly naam: string;
  /** First four digits of the postcodes used for its synthetic addresses. */
  readonly postcodeBase: number;
}

export const OTHER_GEMEENTEN: readonly Gemeente[] = [
  { code: "0917", naam: "Heerlen", postcodeBase: 6411 },
  { code: "0888", naam: "Beek", postcodeBase: 6191 },
  { code: "0994", naam: "Valkenburg aan de Geul", postcodeBase: 6301 },
  { code: "0971", naam: "Stein", postcodeBase: 6171 },
  { code: "0363", naam: "Amsterdam", postcodeBase: 1011 },
  { code: "0599", naam: "Rotterdam", postcodeBase: 3011 },
];

/** Names for codes that occur in the RvIG test set and elsewhere. Unknown codes render without a name. */
export const GEMEENTE_NAMEN: Readonly<Record<string, string>> = {
  "0935": "Maastricht",
  "0917": "Heerlen",
  "0888": "Beek",
  "0994": "Valkenburg aan de Geul",
  "0971": "Stein",
  "0363": "Amsterdam",
  "0599": "Rotterdam",
  "0518": "'s-Gravenhage",
  "0344": "Utrecht",
  "0545": "Leiden",
  "1681": "Borger-Odoorn",
  "1999": "Registratie Niet Ingezetenen (RNI)",
};

export const NATIONALITEITEN: Readonly<Record<string, string>> = {
  "0001": "Nederlandse",
  "0052": "Belgische",
  "0055": "Duitse",
  "0057": "Franse",
};

export const LANDEN: Readonly<Record<string, string>> = {
  "6030": "Nederland",
  "5010": "België",
};
