import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import pino from "pino";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { bootstrap, type App } from "../../src/app/index.ts";
import { startListeners, type Listeners } from "../../src/cli/serve-command.ts";
import { loadConfig } from "../../src/config/index.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-quic",
  "--no-first-run",
  "--disable-sync",
];

/** A port free right now (the console's redirect URI must name it before the gateway listens). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ConsoleHarness {
  readonly base: string;
  readonly app: App;
  readonly browser: Browser;
  /** Console messages of any page about the Content-Security-Policy (a refused script or style). */
  readonly cspViolations: string[];
  /** Uncaught errors in any page. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Builds the console into a temp directory, boots the gateway in demo mode on a free port with a
 * temp data directory (PGlite), and launches Debian's Chromium through playwright-core.
 */
export async function startConsoleHarness(): Promise<ConsoleHarness> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the console's e2e tests need Debian's chromium (apt-get install -y chromium)`,
    );
  const tmp = mkdtempSync(join(tmpdir(), "poortwachter-e2e-"));
  const consoleDir = join(tmp, "console");
  // The production build, as `npm run build` makes it (vitest runs under NODE_ENV=test, which
  // would give React's development build).
  const nodeEnv = process.env["NODE_ENV"];
  process.env["NODE_ENV"] = "production";
  try {
    await build({
      configFile: "console/vite.config.ts",
      mode: "production",
      logLevel: "warn",
      build: { outDir: consoleDir, emptyOutDir: true },
    });
  } finally {
    process.env["NODE_ENV"] = nodeEnv;
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DEMO_MODE: "true",
    DATA_DIR: join(tmp, "data"),
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: base,
    CONSOLE_DIR: consoleDir,
    RETENTION_INTERVAL_MINUTES: "0",
    LOG_LEVEL: "silent",
    REQUEST_LOG: "false",
  });
  if (!config.ok) throw new Error(config.error.problems.join("; "));
  const booted = await bootstrap({ config: config.value, logger: pino({ level: "silent" }) });
  if (!booted.ok) throw new Error(booted.error.problems.join("; "));
  const app = booted.value;
  const started = await startListeners(app, config.value);
  if (!started.ok) throw new Error(started.error);
  const listeners: Listeners = started.value;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    base,
    app,
    browser,
    cspViolations: [],
    pageErrors: [],
    close: async () => {
      await browser.close();
      await listeners.close();
      await app.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Logs in through the real flow: console → demo issuer's login page → code + PKCE → console. */
export async function loginAs(
  h: ConsoleHarness,
  sub: string,
  checkPages?: (page: Page) => Promise<void>,
): Promise<Page> {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) h.cspViolations.push(m.text());
  });
  page.on("pageerror", (e) => h.pageErrors.push(e.message));
  await page.goto(`${h.base}/console/`);
  await page.getByRole("button", { name: "Inloggen", exact: true }).waitFor();
  await checkPages?.(page);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await page.waitForURL(/\/demo-oidc\/authorize\?/);
  await checkPages?.(page);
  await page.getByRole("button", { name: `Inloggen als ${sub}`, exact: true }).click();
  await page.getByText(`Ingelogd als ${sub}`).waitFor();
  return page;
}

/** axe-core on the page: the WCAG 2.1 A/AA violations of impact serious or critical. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
}

/** Saves the page to docs/screenshots/<name>.png (committed; the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync("docs/screenshots", { recursive: true });
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: join("docs/screenshots", `${name}.png`), fullPage: false });
}
