import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SUBJECTS_ARG } from "../utils/case-subjects.ts";
import { errorCodes, startTestApp, type TestApp } from "../utils/test-app.ts";
import { weighBefore } from "../utils/weighing.ts";

/** The protocol is data: the same gateway runs Delft's steps from protocol-delft.yaml. */
let t: TestApp;
let owner: string;
let bsn: string;

beforeAll(async () => {
  t = await startTestApp({ env: { PROTOCOL_FILE: "protocol-delft.yaml" } });
  owner = await t.token("analist.jansen", "analyst");
  bsn = t.app.demo!.municipality.wellKnown.residentBsn;
});
afterAll(() => t.close());

describe("Delft protocol", () => {
  it("loads Delft's phases and seeds a demo case in each", async () => {
    const r = await t.gql(owner, `{ protocol { id phases { id } } cases { reference phase } }`);
    const data = r.data as {
      protocol: { id: string; phases: { id: string }[] };
      cases: { reference: string; phase: string }[];
    };
    expect(data.protocol.id).toBe("delft");
    expect(data.protocol.phases.map((p) => p.id)).toContain("plan_van_aanpak");
    expect(data.cases.map((c) => c.phase).sort()).toEqual(data.protocol.phases.map((p) => p.id).sort());
  });

  it("answers by Delft's rules: territory at ontvangst, hits in bronnenonderzoek, fields later", async () => {
    const ontvangst = await t.demoCase("ontvangst");
    const territory = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { binnenGemeente } } }`,
      {
        id: ontvangst.id,
        bsn,
      },
    );
    expect(territory.data).toEqual({ case: { persoon: { binnenGemeente: true } } });
    const evaluatie = await t.demoCase("evaluatie");
    const person = t.app.demo!.municipality.personByBsn(bsn)!;
    const fields = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      {
        id: evaluatie.id,
        bsn,
      },
    );
    expect(fields.data).toEqual({
      case: { persoon: { brp: { naam: { geslachtsnaam: person.geslachtsnaam } } } },
    });
  });

  it("allows Delft's move back to an earlier step, and access follows the phase at once", async () => {
    const evaluatie = await t.demoCase("evaluatie");
    const back = await t.gql(
      owner,
      `mutation($id: ID!) { transitionCase(id: $id, to: "bronnenonderzoek", motivation: "New facts; back to source research.") { phase } }`,
      {
        id: evaluatie.id,
      },
    );
    expect(back.data).toEqual({ transitionCase: { phase: "bronnenonderzoek" } });
    const fields = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } } } } }`,
      {
        id: evaluatie.id,
        bsn,
      },
    );
    expect(errorCodes(fields)).toEqual({ "case.persoon.brp": "FORBIDDEN" });
  });

  it("ends an approval for good when the case moves back out of its check's phases (Delft ch. 5)", async () => {
    const officer = await t.token("privacy.officer", "privacy_officer");
    const must = (r: { data?: unknown; errors?: unknown }, field: string) => {
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      return (r.data as Record<string, { id: string; status: string }>)[field]!;
    };
    const move = async (id: string, to: string) => {
      await weighBefore((q, v) => t.gql(owner, q, v), id, to);
      return must(
        await t.gql(
          owner,
          `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next step.") { phase } }`,
          { id, to },
        ),
        "transitionCase",
      );
    };
    const id = must(
      await t.gql(
        owner,
        `mutation { openCase(input: { reference: "DELFT-BACK", motivation: "Signal.", ${DEMO_SUBJECTS_ARG} }) { id } }`,
      ),
      "openCase",
    ).id;
    for (const to of [
      "zwaarte",
      "bronnenonderzoek",
      "plan_van_aanpak",
      "informatie",
      "interventieontwikkeling",
      "planvorming",
      "actie",
    ])
      await move(id, to);
    const approve = async (kind: string, fields: string[]) => {
      const check = must(
        await t.gql(
          owner,
          `mutation($id: ID!, $kind: PrivacyCheckKind!, $fields: [String!]) { requestPrivacyCheck(input: { caseId: $id,
            kind: $kind, source: "brp", fields: $fields, motivation: "For the plan." }) { id status } }`,
          { id, kind, fields },
        ),
        "requestPrivacyCheck",
      );
      must(
        await t.gql(
          officer,
          `mutation($id: ID!) { advisePrivacyCheck(id: $id, advice: GO, motivation: "Proportionate.") { status } }`,
          { id: check.id },
        ),
        "advisePrivacyCheck",
      );
      return check.id;
    };
    const twoA = await approve("CHECK_2A", ["naam"]);
    const twoB = await approve("CHECK_2B", ["geboorte"]);
    const READ = `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { brp { naam { geslachtsnaam } geboorte { datum { datum } } } } } }`;
    expect((await t.gql(owner, READ, { id, bsn })).errors).toBeUndefined();

    // Back from actie to informatie: 2b (actie, evaluatie) lapses, 2a (plan_van_aanpak..evaluatie) stays.
    await move(id, "informatie");
    const checks = (
      await t.gql(
        owner,
        `query($id: ID!) { case(id: $id) { privacyChecks { id status history { kind motivation } } } }`,
        { id },
      )
    ).data as {
      case: {
        privacyChecks: { id: string; status: string; history: { kind: string; motivation: string }[] }[];
      };
    };
    const byId = new Map(checks.case.privacyChecks.map((c) => [c.id, c]));
    expect(byId.get(twoA)?.status).toBe("APPROVED");
    expect(byId.get(twoB)?.status).toBe("LAPSED");
    expect(byId.get(twoB)?.history.at(-1)).toEqual({
      kind: "lapsed",
      motivation: "The case moved back from actie to informatie: Next step.",
    });
    const afterBack = await t.gql(owner, READ, { id, bsn });
    expect(errorCodes(afterBack)).toEqual({ "case.persoon.brp.geboorte": "FORBIDDEN" });

    // Forward again into 2b's phases: the lapsed approval stays ended; a new check is needed.
    for (const to of ["interventieontwikkeling", "planvorming", "actie"]) await move(id, to);
    expect(errorCodes(await t.gql(owner, READ, { id, bsn }))).toEqual({
      "case.persoon.brp.geboorte": "FORBIDDEN",
    });
  });

  it("lets a theme dataset approve a fitting check without advice (Delft art. 16g-h)", async () => {
    const officer = await t.token("privacy.officer", "privacy_officer");
    const opened = await t.gql(
      owner,
      `mutation { openCase(input: { reference: "DELFT-THEME", theme: "hennepteelt", motivation: "Hemp signal.", ${DEMO_SUBJECTS_ARG} }) { id } }`,
    );
    const id = (opened.data as { openCase: { id: string } }).openCase.id;
    for (const to of ["zwaarte", "bronnenonderzoek"]) {
      await weighBefore((q, v) => t.gql(owner, q, v), id, to);
      await t.gql(
        owner,
        `mutation($id: ID!, $to: String!) { transitionCase(id: $id, to: $to, motivation: "Next.") { phase } }`,
        { id, to },
      );
    }
    const ask = async (source: string, probes: string[]) =>
      (
        (
          await t.gql(
            owner,
            `mutation($id: ID!, $source: String!, $probes: [String!]) { requestPrivacyCheck(input: { caseId: $id,
              kind: CHECK_1, source: $source, probes: $probes, motivation: "Source research." }) {
              id status themeDataset history { kind actor } } }`,
            { id, source, probes },
          )
        ).data as {
          requestPrivacyCheck: {
            id: string;
            status: string;
            themeDataset: string | null;
            history: { kind: string; actor: string }[];
          };
        }
      ).requestPrivacyCheck;
    const fits = await ask("brp", ["brp.ingeschreven"]);
    expect(fits.status).toBe("APPROVED");
    expect(fits.themeDataset).toMatch(/^hennepteelt@2026-1 \(sha256:[0-9a-f]{12}\)$/);
    expect(fits.history).toEqual([
      { kind: "requested", actor: "analist.jansen" },
      { kind: "theme_approved", actor: `theme:${fits.themeDataset}` },
    ]);
    const hits = await t.gql(
      owner,
      `query($id: ID!, $bsn: String!) { case(id: $id) { persoon(bsn: $bsn) { hits(probes: ["brp.ingeschreven"]) { result } } } }`,
      { id, bsn },
    );
    expect(hits.data).toEqual({ case: { persoon: { hits: [{ result: "HIT" }] } } });
    const outside = await ask("permits", ["permits.parkeer"]);
    expect(outside).toMatchObject({ status: "REQUESTED", themeDataset: null });
    const queue = (await t.gql(officer, `{ pendingPrivacyChecks { id } }`)).data as {
      pendingPrivacyChecks: { id: string }[];
    };
    const queued = queue.pendingPrivacyChecks.map((c) => c.id);
    expect(queued).toContain(outside.id);
    expect(queued).not.toContain(fits.id);
  });
});
