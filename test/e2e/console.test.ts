import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { wellKnown } from "../../src/sources/synthetic/index.ts";
import {
  loginAs,
  screenshot,
  seriousViolations,
  startConsoleHarness,
  type ConsoleHarness,
} from "./console-harness.ts";

// Each demo role logs in through the real PKCE flow in headless Chromium and does its main task
// through the page; every page is checked with axe-core (issue 14). The tasks build on each other:
// the privacy officer's NO_GO is escalated by the analyst and decided by the coordinator.
describe("console in headless Chromium", () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  // The strict CSP (no inline script or style) holds on every page, and no page throws.
  afterEach(() => {
    expect(h.cspViolations).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });

  it("privacy officer: advises the check in the queue, with a field picker limited to what was requested", async () => {
    // The console's login page and the demo issuer's user list pass axe as well.
    const page = await loginAs(h, "privacy.officer", async (p) => {
      expect(await seriousViolations(p), p.url()).toEqual([]);
    });
    await page.getByRole("heading", { level: 1, name: "Wachtrij" }).waitFor();
    const card = page.getByRole("article").filter({ hasText: "CHECK_2B" });
    await card.getByText("Executing the plan: is the partner involved in running the premises?").waitFor();
    // The picker offers only the requested fields (`partners`, expanded to its units), and only
    // for a partial advice.
    const form = card.getByRole("form", { name: /^Advies / });
    const boxes = form.getByRole("checkbox");
    const offered = (await form.locator("label.check").allTextContents()).map((l) => l.trim());
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.filter((l) => !l.startsWith("partners"))).toEqual([]);
    expect(await boxes.first().isDisabled()).toBe(true);
    await form.getByLabel("Advies").selectOption("PARTIAL");
    expect(await boxes.first().isDisabled()).toBe(false);
    // First a second opinion from the FG (answered in the FG's test below).
    const ask = card.getByRole("form", { name: /^Second opinion vragen aan de FG/ });
    await ask.getByLabel("Vraag aan de FG").fill("Is partner data proportional in this phase?");
    await ask.getByRole("button", { name: "Second opinion vragen aan de FG" }).click();
    await ask.getByRole("status").waitFor();
    await form.getByLabel("Advies").selectOption("NO_GO");
    await form.getByLabel("Motivering").fill("Partner data are not proportional at this stage.");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "privacy_officer");
    await form.getByRole("button", { name: "Advies vastleggen" }).click();
    await card.waitFor({ state: "detached" });
    await page.getByText("Executing the plan: is the partner").waitFor({ state: "detached" });

    // The other sections open and pass axe too.
    for (const tab of ["Signaleringen", "Beleidsmatrix", "Auditlog", "Beleidsversies / diff / replay"]) {
      await page.getByRole("link", { name: tab }).click();
      await page.getByRole("heading", { level: 1, name: tab }).waitFor();
      expect(await seriousViolations(page), tab).toEqual([]);
    }
    // The policy tab: the demo's start-up published the working files as version 1, so the diff of
    // what is in force with the working files is empty, and a replay of today flips nothing.
    const versions = page.getByRole("table", { name: "Beleidsversies" });
    await versions.getByRole("cell", { name: "v1", exact: true }).waitFor();
    await page.getByRole("button", { name: "Verschil tonen" }).click();
    await page.getByTestId("diff-result").getByText("Geen verschillen.").waitFor();
    await page.getByRole("button", { name: "Replay uitvoeren" }).click();
    const counts = page.getByRole("table", { name: "Aantallen" });
    await counts.waitFor();
    expect(await counts.getByRole("cell").nth(0).textContent()).toMatch(/^[0-9]+$/);
    expect(await counts.getByRole("cell").nth(2).textContent()).toBe("0");
    expect(await counts.getByRole("cell").nth(3).textContent()).toBe("0");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "privacy_officer_policy");
    await page.getByRole("link", { name: "Beleidsmatrix" }).click();
    await page.getByRole("button", { name: "Matrix tonen" }).click();
    const grid = page.getByRole("table", { name: "Matrix rol × bron in de fase van deze casus" });
    await grid.waitFor();
    expect(await grid.getByRole("row").count()).toBe(8);
    // Drill down: a cell explains the rules for that role and source.
    await grid.getByRole("button", { name: /^analyst × brp: / }).click();
    const rules = page.getByRole("table", { name: "Uitleggen" });
    await rules.waitFor();
    expect(await rules.getByRole("row").count()).toBeGreaterThan(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "privacy_officer_matrix");
    await page.getByRole("link", { name: "Auditlog" }).click();
    await page.getByLabel("Actor").fill("privacy.officer");
    await page.getByRole("button", { name: "Zoeken" }).click();
    await page.getByRole("table", { name: "Records" }).waitFor();
    expect(
      await page.getByRole("table", { name: "Records" }).getByText("check.advise").count(),
    ).toBeGreaterThan(0);
    // By subject: the gateway turns the BSN into its pseudonym; the demo cases' seeding requested
    // checks naming the resident.
    await page.getByLabel("Actor").fill("");
    await page.getByLabel("Betrokkene (BSN, KvK-nummer, BAG-id of adres)").fill(wellKnown.residentBsn);
    const answered = page.waitForResponse(
      (r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes(wellKnown.residentBsn),
    );
    await page.getByRole("button", { name: "Zoeken" }).click();
    expect((await answered).status()).toBe(200);
    const bySubject = page.getByRole("table", { name: "Records" });
    await bySubject.waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await bySubject.getByRole("row").count()).toBeGreaterThan(1);
    await page.context().close();
  });

  it("analyst: sees their cases with phase, subjects and checks, and escalates the refused check", async () => {
    const page = await loginAs(h, "analist.jansen");
    await page.getByRole("heading", { level: 1, name: "Mijn casussen" }).waitFor();
    const rejected = page.getByRole("row").filter({ hasText: "REJECTED" }).filter({ hasText: "partners" });
    await rejected.waitFor();
    expect(await page.getByRole("article").count()).toBeGreaterThan(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "analyst");
    await rejected
      .getByLabel("Waarom u het niet eens bent met het advies")
      .fill("The partner runs the bar daily.");
    await rejected.getByRole("button", { name: "Voorleggen aan coördinator" }).click();
    await page.getByRole("row").filter({ hasText: "ESCALATED" }).filter({ hasText: "partners" }).waitFor();
    await page.context().close();
  });

  it("coordinator: decides the escalated check, shown with the advice it deviates from", async () => {
    const page = await loginAs(h, "coordinator");
    await page.getByRole("heading", { level: 1, name: "Geëscaleerde checks" }).waitFor();
    const card = page.getByRole("article").filter({ hasText: "CHECK_2B" });
    const advice = card.getByRole("region", { name: "Advies van de privacy officer" });
    await advice.getByText("Partner data are not proportional at this stage.").waitFor();
    expect(await advice.getByText("No go").count()).toBe(1);
    const form = card.getByRole("form", { name: /^Besluit / });
    await form.getByLabel("Besluit").selectOption("GO");
    await form.getByLabel("Motivering").fill("The partner's role in the premises justifies it.");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "coordinator");
    await form.getByRole("button", { name: "Besluit vastleggen" }).click();
    await page.getByRole("status").filter({ hasText: "Vastgelegd." }).waitFor();
    await card.waitFor({ state: "detached" });
    await page.context().close();
  });

  it("FG: gives the second opinion asked for, opens the annual report as tables and a chart, and the DPIA sample", async () => {
    const page = await loginAs(h, "fg");
    await page.getByRole("heading", { level: 1, name: "Second opinions" }).waitFor();
    const card = page.getByRole("article").filter({ hasText: "CHECK_2B" });
    const form = card.getByRole("form", { name: /^Oordeel / });
    await form.getByLabel("Oordeel").selectOption("NO_GO");
    await form.getByLabel("Motivering").fill("Not proportional before the plan names the partner.");
    expect(await seriousViolations(page)).toEqual([]);
    await form.getByRole("button", { name: "Oordeel vastleggen" }).click();
    await page.getByRole("status").filter({ hasText: "Vastgelegd." }).waitFor();
    await card.waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Jaarverslag" }).click();
    await page.getByRole("table", { name: "Privacychecks per soort" }).waitFor();
    const year = new Date().getUTCFullYear();
    await page.getByRole("img", { name: `Uitkomst van privacychecks ${year}` }).waitFor();
    const steps = page.getByRole("table", { name: "Stappen" });
    // The coordinator's decision above deviates from the advice.
    expect(await steps.getByRole("cell").nth(1).textContent()).toBe("1");
    // One second opinion asked for, one given.
    expect(await steps.getByRole("cell").nth(5).textContent()).toBe("1");
    expect(await steps.getByRole("cell").nth(6).textContent()).toBe("1");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "dpo");
    await page.getByRole("link", { name: "DPIA-steekproef" }).click();
    await page.getByRole("button", { name: "Tonen" }).click();
    await page.getByRole("table", { name: `DPIA-steekproef ${year}` }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // The FG records the evaluation of the protocol (Maastricht art. 13).
    await page.getByRole("link", { name: "Beleidsversies / diff / replay" }).click();
    const evaluation = page.getByRole("form", { name: "Evaluatie vastleggen" });
    await evaluation.getByLabel("Motivering").fill("First evaluation with the privacy officer.");
    await evaluation.getByRole("button", { name: "Evaluatie vastleggen" }).click();
    await evaluation.getByRole("status").filter({ hasText: "Vastgelegd." }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("legal: runs an access report for a BSN", async () => {
    const page = await loginAs(h, "jurist");
    await page.getByRole("heading", { level: 1, name: "Inzageverslag" }).waitFor();
    await page.getByLabel("BSN").fill(wellKnown.residentBsn);
    await page.getByRole("button", { name: "Verslag maken" }).click();
    const report = page.getByRole("table", { name: /^Inzageverslag/ });
    await report.waitFor();
    expect(await report.getByText("DEMO-", { exact: false }).count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "legal");
    for (const tab of ["Informeren", "Rechten per casus"]) {
      await page.getByRole("link", { name: tab }).click();
      await page.getByRole("heading", { level: 1, name: tab }).waitFor();
      await page.getByText("Laden…").waitFor({ state: "detached" });
      expect(await seriousViolations(page), tab).toEqual([]);
    }
    await page.context().close();
  });

  it("beheerder: assigns a case's substitute", async () => {
    const page = await loginAs(h, "beheerder");
    await page.getByRole("heading", { level: 1, name: "Toewijzingen" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: "OPEN" }).first();
    await row.getByLabel("Vervanger").fill("analist.bakker");
    await row.getByLabel("Motivering").fill("Substitute on leave; analist.bakker takes over.");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "beheerder");
    await row.getByRole("button", { name: "Toewijzen" }).click();
    await page.getByRole("row").filter({ hasText: "analist.bakker" }).first().getByRole("status").waitFor();
    await page.context().close();
  });

  it("switches to English; logging out, or a refused token, forgets the token", async () => {
    const page = await loginAs(h, "privacy.officer");
    expect(await page.locator("html").getAttribute("lang")).toBe("nl");
    await page.getByLabel("Taal").selectOption("en");
    await page.getByRole("heading", { level: 1, name: "Queue" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in", exact: true }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("poortwachter.token"))).toBeNull();
    // A token the gateway refuses (401) is dropped and the login page shown again.
    await page.evaluate('sessionStorage.setItem("poortwachter.token", "not-a-token")');
    await page.reload();
    // A function, not a string: the console's CSP forbids eval.
    await page.waitForFunction(() => sessionStorage.getItem("poortwachter.token") === null);
    await page.getByRole("button", { name: "Log in", exact: true }).waitFor();
    await page.context().close();
  });
});
