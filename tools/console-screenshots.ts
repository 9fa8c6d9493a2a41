/**
 * `npm run docs:console`: regenerates the screenshots in docs/console/ that docs/console.md shows.
 * Starts the embedded platform on a throw-away PostgreSQL with the demo's inventory, runs one cycle
 * of the demo's scripted stream, and photographs the main screens in Chromium (/usr/bin/chromium).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createIsolatedDatabase, startEmbeddedPostgres } from '@safecity/persistence';
import type { Page } from 'playwright-core';
import { startDemoScenario } from '../services/all-in-one/src/demo-scenario';
import { launchBrowser, signIn } from '../services/all-in-one/test/console-browser';
import { ConsolePlatform } from '../services/all-in-one/test/console-platform';

// Code in page.evaluate and init scripts runs in the browser; these are its globals, typed loosely.
declare const document: any;
declare const history: any;
declare const dispatchEvent: any;
declare const PopStateEvent: any;

const OUT = resolve(__dirname, '../docs/console');

async function go(page: Page, path: string) {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForTimeout(1500);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const pg = await startEmbeddedPostgres({
    dataDir: join(mkdtempSync(join(tmpdir(), 'safecity-docs-')), 'pg'),
    persistent: false,
  });
  const platform = await ConsolePlatform.start('docs', {
    database: await createIsolatedDatabase(pg.url, 'docs'),
    demoInventory: true,
  });
  const { browser, close } = await launchBrowser();
  try {
    const scenario = await startDemoScenario({
      urls: platform.urls,
      recognition: platform.platform.services[1]!,
      issuer: platform.platform.issuer,
      intervalSeconds: 1,
    });
    await new Promise((r) => setTimeout(r, 16_000));
    await scenario.stop();
    const shot = async (page: Page, name: string) => {
      await page.screenshot({ path: join(OUT, `${name}.png`) });
      process.stdout.write(`docs/console/${name}.png\n`);
    };

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const signInPage = await context.newPage();
    await signInPage.goto(platform.consoleUrl);
    await signInPage.locator('button[name="username"]').first().waitFor();
    await shot(signInPage, 'sign-in');
    await context.close();

    const operator = await signIn(browser, platform.consoleUrl, 'operator.almaty', { lang: 'ru' });
    await operator.page.waitForSelector('[data-testid="stream-status"].live');
    await operator.page.locator('.qbody .qrow').nth(5).waitFor();
    await operator.page.keyboard.press('j');
    await operator.page.waitForTimeout(500);
    await shot(operator.page, 'queue-ru');
    await operator.page.selectOption('[data-testid="language"]', 'en');
    await operator.page.locator('.qbody .qrow', { hasText: '777KZA02' }).locator('a').click();
    await operator.page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="evidence-picture"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await operator.page.locator('[data-testid="watchlist-reason"]', { hasText: 'stolen' }).first().waitFor();
    await shot(operator.page, 'incident-en');
    await operator.page.click('[data-action="verify"]');
    await operator.page.click('dialog button[type="submit"]');
    await operator.page.locator('dialog [role="alert"]').waitFor();
    await shot(operator.page, 'refusal-en');
    await operator.page.keyboard.press('Escape');
    await operator.page.selectOption('[data-testid="language"]', 'kk');
    await go(operator.page, '/map');
    await operator.page.waitForSelector('.leaflet-container');
    await operator.page.locator('.map-incidents button').first().click();
    await operator.page.waitForTimeout(1500);
    await shot(operator.page, 'map-kk');
    await operator.context.close();

    const supervisor = await signIn(browser, platform.consoleUrl, 'supervisor.almaty', {
      lang: 'ru',
      path: '/supervisor',
    });
    await supervisor.page.waitForTimeout(2000);
    await shot(supervisor.page, 'supervisor-ru');
    await go(supervisor.page, '/cameras');
    await supervisor.page.locator('.wall a').first().waitFor();
    await shot(supervisor.page, 'cameras-ru');
    await supervisor.context.close();

    const admin = await signIn(browser, platform.consoleUrl, 'region-admin.almaty', {
      lang: 'en',
      path: '/video-systems',
    });
    const system = admin.page.locator('[data-testid="video-system"]').first();
    await system.locator('button[aria-expanded]').click();
    await system.locator('[data-testid="import-file"]').setInputFiles({
      name: 'inventory.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'external_id,name,lat,lon,capabilities\nnew-1,,43.25,76.91,plates\nnew-2,Gate 2,143.2,76.93,lasers\n',
      ),
    });
    await system.locator('form button[type="submit"]', { hasText: 'Import' }).click();
    await system.locator('[data-testid="import-errors"]').waitFor();
    await shot(admin.page, 'import-en');
    await admin.context.close();

    const officer = await signIn(browser, platform.consoleUrl, 'prevention.almaty', {
      lang: 'kk',
      path: '/cases',
    });
    await officer.page.locator('[data-testid="cases"] tbody tr', { hasText: 'отбасы' }).locator('a').click();
    await officer.page.locator('[data-testid="purpose-prompt"]').waitFor();
    await shot(officer.page, 'case-purpose-kk');
    await officer.context.close();
  } finally {
    await close();
    await platform.stop();
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
