import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBagId, type BagId, type Bsn } from "../../../src/shared/index.ts";
import {
  createBewoningClient,
  startBewoningSimulator,
  type BewoningSimulator,
} from "../../../src/sources/bewoning/index.ts";
import { createBrpClient, startBrpSimulator, type BrpSimulator } from "../../../src/sources/brp/index.ts";
import { addDays } from "../../../src/sources/http/index.ts";
import {
  createHistorieClient,
  startHistorieSimulator,
  type HistorieSimulator,
} from "../../../src/sources/historie/index.ts";
import { createMunicipality } from "../../../src/sources/synthetic/index.ts";
import { expectTrafficMatchesSpec } from "../historie/closed-brp-contract.ts";

const municipality = createMunicipality({ seed: 11, size: 120 });
let bewoningSim: BewoningSimulator;
let historieSim: HistorieSimulator;
let brpSim: BrpSimulator;
const auth = { kind: "none" } as const;
const bewoning = () => createBewoningClient({ baseUrl: bewoningSim.url, auth, timeoutMs: 2000 });
const historie = () => createHistorieClient({ baseUrl: historieSim.url, auth, timeoutMs: 2000 });
const bagId = (s: string): BagId => {
  const r = parseBagId(s);
  if (!r.ok) throw new Error("fixture");
  return r.value;
};
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`upstream failed: ${JSON.stringify(r.error)}`);
  return r.value;
};

beforeAll(async () => {
  [bewoningSim, historieSim, brpSim] = await Promise.all([
    startBewoningSimulator({ municipality }),
    startHistorieSimulator({ municipality }),
    startBrpSimulator({ municipality }),
  ]);
});
afterAll(async () => {
  expect(expectTrafficMatchesSpec("bewoning", bewoningSim.requests)).toBeGreaterThan(10);
  expect(expectTrafficMatchesSpec("historie", historieSim.requests)).toBeGreaterThan(10);
  await Promise.all([bewoningSim.close(), historieSim.close(), brpSim.close()]);
});

describe("Bewoning, Verblijfplaatshistorie and BRP Personen tell one story", () => {
  it("everyone Bewoning lists at an address in a period has that address in their history for that date", async () => {
    let checked = 0;
    for (let i = 0; i < 60; i++) {
      const address = municipality.addressAt(i);
      if (!address) continue;
      const id = bagId(address.adresseerbaarObjectIdentificatie);
      for (const b of unwrap(await bewoning().bewoningInPeriode(id, "1950-01-01", "2025-01-01"))) {
        const day = b.periode?.datumVan;
        if (!day) throw new Error("bewoning without periode");
        for (const bewoner of b.bewoners) {
          const places = unwrap(
            await historie().verblijfplaatshistorie(bewoner.burgerservicenummer as Bsn, { peildatum: day }),
          );
          expect(
            places.map((p) => p.adresseerbaarObjectIdentificatie),
            `${bewoner.burgerservicenummer} on ${day}`,
          ).toContain(address.adresseerbaarObjectIdentificatie);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("every former address inside the municipality in a history shows its person in Bewoning on its first and last day", async () => {
    let checked = 0;
    for (const person of [...municipality.persons()].slice(0, 60)) {
      const places = unwrap(
        await historie().verblijfplaatshistorie(person.bsn, { van: "1900-01-01", tot: "2030-01-01" }),
      );
      for (const p of places) {
        if (p.type !== "Adres" || p.gemeenteVanInschrijving?.code !== municipality.code) continue;
        if (p.datumVan?.type !== "Datum" || p.datumTot?.type !== "Datum") continue;
        const died = person.overlijdensdatum ?? "99999999";
        for (const day of [p.datumVan.datum, addDays(p.datumTot.datum, -1)]) {
          if (day.replaceAll("-", "") >= died) continue;
          const id = bagId(p.adresseerbaarObjectIdentificatie ?? "");
          const listed = unwrap(await bewoning().bewoningOpPeildatum(id, day)).flatMap((b) =>
            b.bewoners.map((x) => x.burgerservicenummer),
          );
          expect(listed, `${person.bsn} at ${id} on ${day}`).toContain(person.bsn);
          checked++;
        }
        // and not on the day the next period starts
        const after = unwrap(
          await bewoning().bewoningOpPeildatum(
            bagId(p.adresseerbaarObjectIdentificatie ?? ""),
            p.datumTot.datum,
          ),
        );
        expect(after.flatMap((b) => b.bewoners.map((x) => x.burgerservicenummer))).not.toContain(person.bsn);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("the current (open) period is the BRP Personen verblijfplaats, address and datumVan", async () => {
    const brp = createBrpClient({ baseUrl: brpSim.url, auth, timeoutMs: 2000 });
    const bsns = [...municipality.persons()].slice(0, 20).map((p) => p.bsn);
    const personen = unwrap(await brp.raadpleeg(bsns, ["burgerservicenummer", "verblijfplaats"]));
    expect(personen).toHaveLength(20);
    for (const persoon of personen) {
      const [current] = unwrap(
        await historie().verblijfplaatshistorie(persoon.burgerservicenummer as Bsn, {
          van: "1900-01-01",
          tot: "2030-01-01",
        }),
      );
      expect(current?.datumTot).toBeUndefined();
      expect(current?.adresseerbaarObjectIdentificatie).toBe(
        persoon.verblijfplaats?.adresseerbaarObjectIdentificatie,
      );
      expect(persoon.verblijfplaats?.datumVan).toBeDefined();
      expect(current?.datumVan).toEqual(persoon.verblijfplaats?.datumVan);
    }
  });
});
