import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { consoleMessagesEn as en, consoleMessagesKk as kk } from '@safecity/console';
import { launchBrowser, seriousViolations, signIn } from './console-browser';
import { ConsolePlatform } from './console-platform';

// Code in page.evaluate and init scripts runs in the browser; these are its globals, typed loosely.
declare const document: any;
declare const localStorage: any;
declare const sessionStorage: any;
declare const history: any;
declare const dispatchEvent: any;
declare const PopStateEvent: any;
declare const NodeFilter: any;

jest.setTimeout(180_000);

/**
 * The operations console in a real browser (Debian's Chromium through playwright-core) against the
 * embedded platform: sign-in at the local issuer, the live queue, the incident actions and their
 * refusals, the two-person rule for faces, region scope, resuming the stream, the CSV import,
 * the languages, and axe-core on every screen.
 */
describe('operations console in Chromium', () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    [platform, { browser, close: closeBrowser }] = await Promise.all([
      ConsolePlatform.start('console'),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await platform?.stop();
  });

  const expectAccessible = async (page: Page, screen: string) => {
    const violations = await seriousViolations(page);
    if (violations.length)
      writeFileSync(join(tmpdir(), `axe-${screen}.json`), JSON.stringify(violations, null, 2));
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  };
  const live = (page: Page) => page.waitForSelector('[data-testid="stream-status"].live');
  const row = (page: Page, text: string) => page.locator('.qbody .qrow', { hasText: text });
  const state = (page: Page) => page.locator('[data-testid="incident-state"] .state');

  it('shows the local issuer’s sign-in page with the demo users, without serious accessibility problems', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(platform.consoleUrl);
    await page.locator('button[name="username"]').first().waitFor();
    expect(await page.locator('button[name="username"]').count()).toBeGreaterThanOrEqual(6);
    expect(page.url()).toContain('/local-issuer/authorize');
    expect(page.url()).toContain('code_challenge_method=S256');
    await expectAccessible(page, 'sign-in');
    // The browser holds a session cookie only: httpOnly, no token anywhere in the page.
    await page.locator('button[value="operator.almaty"]').click();
    await page.waitForSelector('[data-testid="user"]');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'safecity_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const storage = await page.evaluate(
      () => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie,
    );
    expect(storage).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    await context.close();
  });

  it('takes an operator from a hotlisted plate arriving live to a closed incident, showing refusals in words', async () => {
    const { context, page } = await signIn(browser, platform.consoleUrl, 'operator.almaty', { lang: 'en' });
    await live(page);
    await expectAccessible(page, 'queue');
    await platform.plateHit('ALA', '777KZA02');
    await row(page, '777KZA02').waitFor();
    await row(page, '777KZA02').locator('a').click();
    await page.waitForSelector('[data-testid="evidence-plate-match"]');

    const picture = page.locator('[data-testid="evidence-picture"]').first();
    await picture.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="evidence-picture"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await expect(page.locator('[data-testid="match-kind"]').textContent()).resolves.toContain('exact');
    // Recognition's view of the match: the entry's reason.
    await page.locator('[data-testid="watchlist-reason"]', { hasText: 'stolen vehicle' }).waitFor();
    await expect(page.locator('[data-testid="legal-basis"]').textContent()).resolves.toContain(
      'Demonstration data',
    );
    await page.waitForSelector('.sop li');
    await expectAccessible(page, 'incident');

    // Verifying a plate hit without the visual check: the service's 422 names the field.
    await page.click('[data-action="verify"]');
    await page.click('dialog button[type="submit"]');
    const refusal = page.locator('dialog [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-status')).toBe('422');
    expect(await refusal.textContent()).toContain('visualCheck');
    await page.fill('dialog input[name="plate"]', '777KZA02');
    await page.fill('dialog input[name="make"]', 'Toyota');
    await page.fill('dialog input[name="colour"]', 'white');
    await page.click('dialog button[type="submit"]');
    await expect(state(page).filter({ hasText: 'verified' }).waitFor()).resolves.toBeUndefined();

    await page.click('[data-action="dispatch"]');
    const unit = page.locator('dialog select[name="unit"] option:not([value=""])').first();
    await unit.waitFor({ state: 'attached' });
    await page.selectOption('dialog select[name="unit"]', { index: 1 });
    await page.click('dialog button[type="submit"]');
    await state(page).filter({ hasText: 'dispatched' }).waitFor();
    for (const [action, reached] of [
      ['on-scene', 'on scene'],
      ['resolve', 'resolved'],
      ['close', 'closed'],
    ] as const) {
      await page.click(`[data-action="${action}"]`);
      await page.click('dialog button[type="submit"]');
      await state(page).filter({ hasText: reached }).waitFor();
    }
    const timeline = await page.locator('[data-testid="timeline"]').textContent();
    expect(timeline).toContain('operator.almaty');
    expect(timeline).toContain('777KZA02 · Toyota · white');
    await context.close();
  });

  it('needs two different people for a face match and refuses the same operator twice', async () => {
    const first = await signIn(browser, platform.consoleUrl, 'operator.almaty', { lang: 'en' });
    await live(first.page);
    await platform.faceSeen(0);
    const faceRow = row(first.page, 'face match');
    await faceRow.waitFor();
    await faceRow.locator('a').click();
    await first.page.waitForSelector('[data-testid="evidence-face-match"]');
    const url = first.page.url();
    await first.page.click('[data-action="verify"]');
    await first.page.click('dialog button[type="submit"]');
    await expect(first.page.locator('[data-testid="action-notice"]').textContent()).resolves.toContain(
      '1 of 2',
    );
    await first.page.locator('[data-testid="confirmed-by"]', { hasText: 'operator.almaty' }).waitFor();
    await expect(state(first.page).textContent()).resolves.toBe('new');

    // The same operator again: the service refuses, and the console says so.
    await first.page.click('[data-action="verify"]');
    await first.page.click('dialog button[type="submit"]');
    const refusal = first.page.locator('dialog [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-status')).toBe('409');
    expect(await refusal.textContent()).toMatch(/already (confirmed|verified)/);
    await first.context.close();

    const second = await signIn(browser, platform.consoleUrl, 'operator2.almaty', {
      lang: 'en',
      path: new URL(url).pathname,
    });
    await second.page.waitForSelector('[data-testid="evidence-face-match"]');
    await second.page.click('[data-action="verify"]');
    await second.page.click('dialog button[type="submit"]');
    await state(second.page).filter({ hasText: 'verified' }).waitFor();
    const confirmedBy = await second.page.locator('[data-testid="confirmed-by"]').textContent();
    expect(confirmedBy).toContain('operator.almaty');
    expect(confirmedBy).toContain('operator2.almaty');
    await second.context.close();
  });

  it('never shows an Astana operator an Almaty incident, in the queue, live or by its address', async () => {
    const almatyBefore = await platform.openIncident('ALA', 'Almaty before sign-in');
    const astanaBefore = await platform.openIncident('AST', 'Astana before sign-in');
    const { context, page } = await signIn(browser, platform.consoleUrl, 'operator.astana', { lang: 'en' });
    await live(page);
    await row(page, astanaBefore.number).waitFor();
    const almatyLive = await platform.openIncident('ALA', 'Almaty while signed in', 'critical');
    const astanaLive = await platform.openIncident('AST', 'Astana while signed in');
    await row(page, astanaLive.number).waitFor();
    const text = await page.locator('main').textContent();
    expect(text).not.toContain(almatyBefore.number);
    expect(text).not.toContain(almatyLive.number);
    expect(await page.locator('[data-testid="new-incident-alert"]').count()).toBe(0);
    await page.goto(`${platform.consoleUrl}/incidents/${almatyBefore.id}`);
    const refusal = page.locator('[role="alert"][data-status="404"]');
    await refusal.waitFor();
    await context.close();
  });

  it('resumes the live stream after a dropped connection without losing or repeating a row', async () => {
    const { context, page } = await signIn(browser, platform.consoleUrl, 'operator.almaty', { lang: 'en' });
    await live(page);
    const before = await platform.openIncident('ALA', 'before the drop');
    await row(page, before.number).waitFor();
    const streams: Promise<{ url: string; lastEventId?: string }>[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/incidents/stream')) {
        streams.push(
          request
            .allHeaders()
            .then((headers) => ({ url: request.url(), lastEventId: headers['last-event-id'] })),
        );
      }
    });
    // Every connection to the console drops (a proxy restart, a network blip); the incidents
    // opened right after land while the browser waits to reconnect.
    platform.dropConsoleConnections();
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await platform.openIncident('ALA', `during the drop ${i}`));
    for (const incident of missed) await row(page, incident.number).waitFor({ timeout: 60_000 });
    await live(page);
    const after = await platform.openIncident('ALA', 'after the drop');
    await row(page, after.number).waitFor();
    const resumed = (await Promise.all(streams)).filter(
      (s) => s.lastEventId !== undefined || s.url.includes('lastEventId='),
    );
    expect(resumed.length).toBeGreaterThan(0);
    const numbers = await page
      .locator('.qbody .qrow')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('.c-what .muted')?.textContent?.trim()));
    for (const incident of [before, ...missed, after]) {
      expect(numbers.filter((n) => n === incident.number)).toHaveLength(1);
    }
    await context.close();
  });

  it('imports a camera inventory with upload progress and the rows the import refused, and shows a new key once', async () => {
    const { context, page } = await signIn(browser, platform.consoleUrl, 'region-admin.almaty', {
      lang: 'en',
      path: '/video-systems',
    });
    const system = page.locator('[data-testid="video-system"]', { hasText: 'ALA test video system' });
    await system.locator('button[aria-expanded]').click();
    await expectAccessible(page, 'video-systems');

    const bad = Buffer.from(
      'external_id,name,lat,lon,capabilities\nimp-1,Good camera,43.25,76.91,plates\nimp-2,,43.26,76.92,plates\nimp-3,Bad latitude,143.2,76.93,plates\n',
    );
    await system
      .locator('[data-testid="import-file"]')
      .setInputFiles({ name: 'inventory.csv', mimeType: 'text/csv', buffer: bad });
    await system.locator('form button[type="submit"]', { hasText: 'Import' }).click();
    const errors = system.locator('[data-testid="import-errors"]');
    await errors.waitFor();
    expect(await system.locator('[data-testid="import-progress"]').evaluate((p: any) => p.value)).toBe(1);
    const lines = await errors
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    expect(lines.some((l) => l.startsWith('3') && l.includes('name'))).toBe(true);
    expect(lines.some((l) => l.startsWith('4') && l.includes('lat'))).toBe(true);

    const good = Buffer.from(
      'external_id,name,lat,lon,capabilities\nimp-1,Good camera,43.25,76.91,plates\nimp-2,Second camera,43.26,76.92,plates;ptz\n',
    );
    await system
      .locator('[data-testid="import-file"]')
      .setInputFiles({ name: 'inventory.csv', mimeType: 'text/csv', buffer: good });
    await system.locator('form button[type="submit"]', { hasText: 'Import' }).click();
    await expect(system.locator('[data-testid="import-result"]').textContent()).resolves.toContain('2 new');

    await system.locator('button', { hasText: 'Issue a key' }).click();
    const key = await system.locator('[data-testid="new-key"] code').textContent();
    expect(key).toMatch(/^sck_/);
    await system.locator('[data-testid="new-key"] button').click();
    expect(await page.locator('main').textContent()).not.toContain(key!);
    await context.close();
  });

  it('switches every visible string to another language (no English left, no missing key)', async () => {
    const missing: string[] = [];
    const { context, page } = await signIn(browser, platform.consoleUrl, 'supervisor.almaty', { lang: 'en' });
    page.on('console', (message) => {
      if (message.text().includes('missing translation')) missing.push(message.text());
    });
    await live(page);
    await page.locator('.qbody .qrow').first().waitFor();
    await page.selectOption('[data-testid="language"]', 'kk');
    // Strings that read the same in both languages (names, codes) cannot tell one from the other.
    const english = new Set<string>(
      Object.entries(en)
        .filter(([key, text]) => kk[key as keyof typeof kk] !== text && !text.includes('{'))
        .map(([, text]) => text),
    );
    const visibleStrings = () =>
      page.evaluate(() => {
        const strings: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement;
          if (!parent || parent.closest('.data, script, style, .leaflet-container')) continue;
          const text = node.textContent?.trim();
          if (text && parent.getClientRects().length > 0) strings.push(text);
        }
        for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
          for (const attribute of ['aria-label', 'title', 'placeholder']) {
            const value = element.getAttribute(attribute);
            if (value) strings.push(value);
          }
        }
        return strings;
      });
    for (const path of ['/queue', '/map', '/supervisor', '/cameras', '/reports']) {
      await page.evaluate((p) => {
        history.pushState(null, '', p);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.waitForTimeout(1500);
      const strings = await visibleStrings();
      const left = strings.filter((s) => english.has(s) || s.includes('⟦'));
      expect({ path, left }).toEqual({ path, left: [] });
      expect(strings).toContain(kk['nav.queue']);
    }
    expect(missing).toEqual([]);
    await context.close();
  });

  it('has no serious accessibility violation on the map, supervisor, camera and citizen report screens', async () => {
    const { context, page } = await signIn(browser, platform.consoleUrl, 'supervisor.almaty', {
      lang: 'ru',
      path: '/map',
    });
    await page.waitForSelector('.leaflet-container');
    await page.waitForTimeout(1000);
    await expectAccessible(page, 'map');
    for (const path of ['/supervisor', '/reports', '/cameras']) {
      await page.evaluate((p) => {
        history.pushState(null, '', p);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.waitForTimeout(1500);
      await expectAccessible(page, path.slice(1));
    }
    await page.locator('.wall a').first().click();
    await page.waitForSelector('.leaflet-container');
    await expectAccessible(page, 'camera');
    await context.close();
  });

  it('asks a prevention officer for the purpose before showing a family’s case, and shows its timeline', async () => {
    const { context, page } = await signIn(browser, platform.consoleUrl, 'prevention.almaty', {
      lang: 'en',
      path: '/cases',
    });
    await page.waitForSelector('[data-testid="cases"] tbody tr');
    await expectAccessible(page, 'cases');
    await page.locator('[data-testid="cases"] tbody tr', { hasText: 'family' }).locator('a').click();
    const prompt = page.locator('[data-testid="purpose-prompt"]');
    await prompt.waitFor();
    expect(await page.locator('[data-testid="case-timeline"]').count()).toBe(0);
    await expectAccessible(page, 'case-purpose');
    await prompt.locator('input').fill('home visit planning');
    await prompt.locator('button').click();
    await page.locator('[data-testid="case-timeline"] li').first().waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('Demo family Seitkali');
    await context.close();
  });
});
