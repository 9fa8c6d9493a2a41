import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Code in page.evaluate and init scripts runs in the browser; these are its globals, typed loosely.
declare const window: any;
declare const localStorage: any;

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * One headless Chromium for a whole suite (every test gets its own context, so its own cookies).
 * Background networking, component updates and sync are off: here they only reach for hosts that
 * are not there, and Chromium's own connections are then refused.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  // Playwright gives the browser a fresh temporary profile (user-data-dir) and removes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
  return {
    browser,
    close: () => browser.close().catch(() => undefined),
  };
}

/** Signs in at the console through the local issuer's sign-in page, as the given demo user. */
export async function signIn(
  browser: Browser,
  consoleUrl: string,
  username: string,
  options: { lang?: string; path?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  if (options.lang) {
    await context.addInitScript((lang) => localStorage.setItem('safecity.lang', lang), options.lang);
  }
  const page = await context.newPage();
  await page.goto(`${consoleUrl}${options.path ?? '/'}`);
  await page.locator(`button[name="username"][value="${username}"]`).click();
  await page.waitForSelector('[data-testid="user"]', { timeout: 30_000 });
  return { context, page };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core on the page as it is: the violations rated serious or critical. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol: the console's Content Security Policy stays in force.
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } }
    ).axe.run({
      resultTypes: ['violations'],
    });
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      ...v,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
}
