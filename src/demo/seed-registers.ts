import { addDays } from "../sources/http/index.ts";
import { createKvkRegister } from "../sources/kvk/index.ts";
import type { Municipality } from "../sources/synthetic/index.ts";
import type { Queryable } from "../store/index.ts";

/**
 * The demo's own registers (issue 16: policies/registers/*.yaml) in the demo database, schema
 * `registers_demo`, over the synthetic municipality: the same BSNs, KvK numbers, addresses and BAG
 * ids as the BRP, KVK and BAG simulators. Dates are relative to today, so "in the last 12 months"
 * and "running" mean the same on every start. Rewritten on every demo start.
 */
export const REGISTERS_DEMO_SCHEMA = "registers_demo";

type Row = readonly unknown[];
export interface RegisterDemoRows {
  readonly uitkeringen: Row[];
  readonly subsidies: Row[];
  readonly boa: Row[];
  readonly erfpacht: Row[];
}

/** Who the demo registers know, for the README's examples and the tests. */
export interface RegisterDemoWellKnown {
  /** A running benefit (uitkeringen.lopend HIT). */
  readonly bsnWithBenefit: string;
  /** A granted subsidy (subsidies.verleend HIT); the café BV of the KVK simulator. */
  readonly kvkWithSubsidy: string;
  /** A revoked subsidy (subsidies.ingetrokken HIT); the resident's eenmanszaak. */
  readonly kvkWithRevokedSubsidy: string;
  /** A BOA registration two months ago (boa.registratieOpAdres HIT): the resident's address. */
  readonly addressWithBoa: { readonly postcode: string; readonly huisnummer: number };
  /** In erfpacht (erfpacht.inErfpacht HIT): the resident's address's BAG id. */
  readonly objectInErfpacht: string;
}

export function registerDemoRows(
  municipality: Municipality,
  today: string,
): { rows: RegisterDemoRows; wellKnown: RegisterDemoWellKnown } {
  const kvk = createKvkRegister(municipality);
  const home = municipality.wellKnown.residentAddress;
  const resident = municipality.wellKnown.residentBsn;
  const ago = (days: number) => addDays(today, -days);
  const rows: RegisterDemoRows = { uitkeringen: [], subsidies: [], boa: [], erfpacht: [] };
  rows.uitkeringen.push([resident, "Participatiewet", "levensonderhoud", ago(400), null, "lopend"]);
  for (let i = 0; i < Math.min(municipality.size, 300); i += 7) {
    const p = municipality.personAt(i);
    if (!p || p.bsn === resident) continue;
    const running = i % 3 === 0;
    rows.uitkeringen.push([
      p.bsn,
      i % 2 === 0 ? "Participatiewet" : "Bijzondere bijstand",
      i % 2 === 0 ? "levensonderhoud" : "woonkosten",
      ago(900 + i),
      running ? null : ago(200 + i),
      running ? "lopend" : "beeindigd",
    ]);
  }
  rows.subsidies.push(
    [kvk.wellKnown.horecaKvkNummer, "Levendige binnenstad", 12500, ago(150), "verleend"],
    [kvk.wellKnown.eenmanszaakKvkNummer, "Duurzaam ondernemen", 4000, ago(500), "ingetrokken"],
  );
  kvk.companies.forEach((c, i) => {
    if (i > 3 && i % 5 === 0 && !c.kvkTestCompany)
      rows.subsidies.push([c.kvkNummer, "Innovatie MKB", 2500 + i * 10, ago(100 + i), "vastgesteld"]);
  });
  rows.boa.push(
    [
      home.postcode,
      home.huisnummer,
      ago(60),
      "overlast",
      "F041",
      "Geluidsoverlast na 23.00 uur gemeld en vastgesteld.",
    ],
    [home.postcode, home.huisnummer, ago(700), "afval", null, "Huisvuil naast de container."],
  );
  for (let i = 1; i < Math.min(municipality.addressCount, 400); i += 9) {
    const a = municipality.addressAt(i);
    if (a && a.id !== home.id)
      rows.boa.push([
        a.postcode,
        a.huisnummer,
        ago(30 + i * 2),
        i % 2 ? "parkeren" : "apv",
        null,
        "Waarschuwing gegeven.",
      ]);
  }
  rows.erfpacht.push([home.adresseerbaarObjectIdentificatie, "voortdurend", "1995-01-01", null, 1250.5]);
  // The café's premises (the permit simulator's horeca object): a lease and a recent BOA finding.
  const cafe = kvk.byKvkNummer(kvk.wellKnown.horecaKvkNummer)?.vestigingen[0]?.adres;
  if (cafe?.adresseerbaarObjectIdentificatie) {
    rows.erfpacht.push([
      cafe.adresseerbaarObjectIdentificatie,
      "tijdelijk",
      "2010-04-01",
      "2060-03-31",
      4200,
    ]);
    rows.boa.push([
      cafe.postcode,
      cafe.huisnummer,
      ago(90),
      "overlast",
      "F122",
      "Terras buiten de vergunde tijden.",
    ]);
  }
  for (let i = 1; i < Math.min(municipality.addressCount, 400); i += 6) {
    const a = municipality.addressAt(i);
    if (a && a.id !== home.id)
      rows.erfpacht.push([
        a.adresseerbaarObjectIdentificatie,
        i % 4 === 1 ? "tijdelijk" : "voortdurend",
        "2001-07-01",
        i % 4 === 1 ? "2021-06-30" : null,
        800 + i,
      ]);
  }
  return {
    rows,
    wellKnown: {
      bsnWithBenefit: resident,
      kvkWithSubsidy: kvk.wellKnown.horecaKvkNummer,
      kvkWithRevokedSubsidy: kvk.wellKnown.eenmanszaakKvkNummer,
      addressWithBoa: { postcode: home.postcode, huisnummer: home.huisnummer },
      objectInErfpacht: home.adresseerbaarObjectIdentificatie,
    },
  };
}

const TABLES = {
  uitkeringen: {
    ddl: "bsn text NOT NULL, regeling text, soort text, start_datum date, eind_datum date, status text",
    columns: "bsn, regeling, soort, start_datum, eind_datum, status",
  },
  subsidies: {
    ddl: "kvk_nummer text NOT NULL, regeling text, bedrag numeric(12,2), besluit_datum date, status text",
    columns: "kvk_nummer, regeling, bedrag, besluit_datum, status",
  },
  boa_registraties: {
    ddl: "postcode text NOT NULL, huisnummer integer NOT NULL, datum date, categorie text, feitcode text, omschrijving text",
    columns: "postcode, huisnummer, datum, categorie, feitcode, omschrijving",
  },
  erfpacht: {
    ddl: "adresseerbaar_object_id text NOT NULL, soort text, ingangs_datum date, eind_datum date, canon numeric(12,2)",
    columns: "adresseerbaar_object_id, soort, ingangs_datum, eind_datum, canon",
  },
} as const;

/** Writes the demo registers (tables created when missing, their rows replaced), in one transaction. */
export async function seedRegisterDemo(
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  rows: RegisterDemoRows,
): Promise<void> {
  const byTable: Record<keyof typeof TABLES, Row[]> = {
    uitkeringen: rows.uitkeringen,
    subsidies: rows.subsidies,
    boa_registraties: rows.boa,
    erfpacht: rows.erfpacht,
  };
  await db.transaction(async (tx) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${REGISTERS_DEMO_SCHEMA}`);
    for (const [table, def] of Object.entries(TABLES) as [
      keyof typeof TABLES,
      (typeof TABLES)[keyof typeof TABLES],
    ][]) {
      const name = `${REGISTERS_DEMO_SCHEMA}.${table}`;
      await tx.query(`CREATE TABLE IF NOT EXISTS ${name} (${def.ddl})`);
      await tx.query(`DELETE FROM ${name}`);
      const width = def.columns.split(",").length;
      const all = byTable[table];
      for (let at = 0; at < all.length; at += 100) {
        const chunk = all.slice(at, at + 100);
        const marks = chunk.map(
          (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`,
        );
        await tx.query(`INSERT INTO ${name} (${def.columns}) VALUES ${marks.join(", ")}`, chunk.flat());
      }
    }
  });
}
