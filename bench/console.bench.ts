/**
 * `npm run bench -- console [--incidents 1000] [--rate 50] [--seconds 60]`: the operations
 * console's queue under load, in Chromium (/usr/bin/chromium) against the embedded platform.
 *
 * The queue holds `--incidents` open incidents; then `--rate` changes a second arrive on the live
 * stream (a tenth of them new incidents, the rest reassignments of open ones) for `--seconds`. In
 * the page, measured with the performance API: every frame's length (requestAnimationFrame
 * intervals, and long-animation-frame entries), and for each new incident the time from its SSE
 * event reaching the page to the frame that first paints its row.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIsolatedDatabase, startEmbeddedPostgres } from '@safecity/persistence';
import { launchBrowser } from '../services/all-in-one/test/console-browser';
import { ConsolePlatform } from '../services/all-in-one/test/console-platform';
import { option, table } from './infra';

// Code in page.evaluate and init scripts runs in the browser; these are its globals, typed loosely.
declare const window: any;
declare const document: any;
declare const EventSource: any;
declare const requestAnimationFrame: any;
declare const PerformanceObserver: any;
declare const localStorage: any;

/** Installed before the application loads: it only observes, through the browser's own APIs. */
function instrument() {
  const bench: {
    received: Record<string, number>;
    shown: Record<string, number>;
    frames: number[];
    longFrames: number[];
    attribution: string[];
    on: boolean;
  } = { received: {}, shown: {}, frames: [], longFrames: [], attribution: [], on: false };
  window.__bench = bench;
  // When each incident's first event reached the page (before the application handles it).
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (
    this: unknown,
    type: string,
    listener: any,
    options?: any,
  ) {
    if (type !== 'incident') return add.call(this, type, listener, options);
    return add.call(
      this,
      type,
      (event: { data: string }) => {
        if (bench.on) {
          const id = /"incidentId":"([^"]+)"/.exec(event.data)?.[1];
          if (id && !(id in bench.received)) bench.received[id] = performance.now();
        }
        listener(event);
      },
      options,
    );
  } as unknown;
  let last = 0;
  // When a row first shows: each frame looks at the rows on screen (a row seen here was painted
  // in the frame before at the latest, so this errs on the late side by at most one frame).
  const frame = (at: number) => {
    if (bench.on && last) bench.frames.push(at - last);
    last = at;
    if (bench.on) {
      for (const row of document.querySelectorAll('.qbody [data-incident-id]')) {
        const id: string = row.dataset['incidentId'];
        if (!(id in bench.shown)) bench.shown[id] = at;
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  try {
    new PerformanceObserver((list: { getEntries(): unknown[] }) => {
      if (!bench.on) return;
      for (const entry of list.getEntries() as {
        startTime: number;
        duration: number;
        renderStart: number;
        styleAndLayoutStart: number;
        scripts: { invoker: string; duration: number; sourceFunctionName: string }[];
      }[]) {
        bench.longFrames.push(entry.duration);
        const scripts = entry.scripts.map(
          (s) =>
            `${s.invoker}${s.sourceFunctionName ? `/${s.sourceFunctionName}` : ''} ${s.duration.toFixed(0)}`,
        );
        const render = entry.startTime + entry.duration - entry.renderStart;
        bench.attribution.push(
          `${entry.duration.toFixed(0)} ms: render+layout ${render.toFixed(0)}; ${scripts.join(', ')}`,
        );
      }
    }).observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    // Older Chromium: rAF intervals alone.
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

export async function run(argv: string[]) {
  const incidents = option(argv, 'incidents', 1000);
  const rate = option(argv, 'rate', 50);
  const seconds = option(argv, 'seconds', 60);
  const loadAtStart = (await import('node:os')).loadavg()[0]!.toFixed(1);
  const pg = await startEmbeddedPostgres({
    dataDir: join(mkdtempSync(join(tmpdir(), 'safecity-bench-')), 'pg'),
    persistent: false,
  });
  const platform = await ConsolePlatform.start('benchconsole', {
    database: await createIsolatedDatabase(pg.url, 'benchconsole'),
  });
  const { browser, close } = await launchBrowser();
  try {
    const open: string[] = [];
    process.stdout.write(`opening ${incidents} incidents…\n`);
    for (let i = 0; i < incidents; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, incidents - i) }, (_, k) =>
          platform.openIncident(
            'ALA',
            `Bench incident ${i + k}`,
            ['low', 'medium', 'high', 'critical'][(i + k) % 4],
          ),
        ),
      );
      open.push(...batch.map((b) => b.id));
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(instrument);
    await context.addInitScript(() => localStorage.setItem('safecity.lang', 'en'));
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error).slice(0, 300)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text().slice(0, 300));
    });
    await page.goto(`${platform.consoleUrl}/queue?sort=newest`);
    await page.locator('button[value="operator.almaty"]').click();
    await page.waitForSelector('[data-testid="stream-status"].live');
    await page.waitForFunction(
      (n) =>
        /\d/.test(document.querySelector('[data-testid="queue-count"]')?.textContent ?? '') &&
        Number(
          (document.querySelector('[data-testid="queue-count"]')!.textContent ?? '').replace(/\D/g, ''),
        ) >= n,
      incidents,
      { timeout: 120_000 },
    );
    await page.waitForTimeout(2000);

    const supervisor = await platform.platform.issuer.issue({
      subject: 'bench-supervisor',
      roles: ['supervisor'],
      regions: ['ALA'],
    });
    const reassign = async (id: string, n: number) => {
      const response = await fetch(`${platform.urls.incidents}/incidents/${id}/assignment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisor}` },
        body: JSON.stringify({ assigneeId: `operator-${n % 7}`, reason: 'bench: shift rebalancing' }),
      });
      if (!response.ok) throw new Error(`reassign: ${response.status} ${await response.text()}`);
    };
    // Baseline in the same run: the same page and machine with the stream quiet.
    const idleSeconds = option(argv, 'idle-seconds', 10);
    await page.evaluate(() => ((window as any).__bench.on = true));
    await page.waitForTimeout(idleSeconds * 1000);
    const idle = (await page.evaluate(() => {
      const b = (window as any).__bench;
      const taken = { frames: b.frames.splice(0), longFrames: b.longFrames.splice(0) };
      b.attribution.splice(0);
      return taken;
    })) as { frames: number[]; longFrames: number[] };
    const created: string[] = [];
    let sent = 0;
    let failed = 0;
    const failures = new Map<string, number>();
    const inFlight = new Set<Promise<void>>();
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.floor(((performance.now() - started) / 1000) * rate);
        while (sent < due && sent < rate * seconds) {
          const n = sent++;
          const change =
            n % 10 === 0
              ? platform
                  .openIncident(
                    'ALA',
                    `Bench new incident ${n}`,
                    ['low', 'medium', 'high', 'critical'][(n / 10) % 4],
                  )
                  .then((i) => void created.push(i.id))
              : reassign(open[n % open.length]!, n);
          const tracked = change
            .catch((error: unknown) => {
              failed++;
              const reason = String(error).slice(0, 120);
              failures.set(reason, (failures.get(reason) ?? 0) + 1);
            })
            .finally(() => inFlight.delete(tracked));
          inFlight.add(tracked);
        }
        if (sent >= rate * seconds) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all(inFlight);
    await page.waitForTimeout(3000);
    const result = (await page.evaluate(() => (window as any).__bench)) as {
      received: Record<string, number>;
      shown: Record<string, number>;
      frames: number[];
      longFrames: number[];
      attribution: string[];
    };
    if (argv.includes('--detail')) process.stdout.write(`${result.attribution.join('\n')}\n`);
    if (pageErrors.length)
      process.stdout.write(`page errors: ${pageErrors.length}, first: ${pageErrors[0]}\n`);
    if (argv.includes('--detail')) await page.screenshot({ path: join(tmpdir(), 'console-bench.png') });
    const unseen = created.filter((id) => !(id in result.received) || !(id in result.shown));
    if (unseen.length) {
      process.stdout.write(
        `not measured: ${unseen.filter((id) => !(id in result.received)).length} without their event seen, ${
          unseen.filter((id) => id in result.received && !(id in result.shown)).length
        } not painted\n`,
      );
    }
    const latencies = created
      .filter((id) => id in result.received && id in result.shown)
      .map((id) => result.shown[id]! - result.received[id]!);
    process.stdout.write(
      `\nload average ${loadAtStart} at the start, ${(await import('node:os')).loadavg()[0]!.toFixed(1)} at the end\n`,
    );
    process.stdout.write(
      `\n${incidents} open incidents, ${sent} changes in ${elapsed.toFixed(1)} s (${(sent / elapsed).toFixed(1)}/s, ${failed} failed), ${created.length} new incidents, ${latencies.length} seen on screen\n\n`,
    );
    for (const [reason, count] of failures) process.stdout.write(`failed ${count}×: ${reason}\n`);
    process.stdout.write(
      `${table([
        {
          measure: 'frame length (rAF interval), ms',
          p50: ms(percentile(result.frames, 50)),
          p99: ms(percentile(result.frames, 99)),
          max: ms(Math.max(...result.frames)),
          target: '< 50',
        },
        {
          measure: `baseline, stream quiet ${idleSeconds} s: frame length, ms`,
          p50: ms(percentile(idle.frames, 50)),
          p99: ms(percentile(idle.frames, 99)),
          max: ms(Math.max(...idle.frames)),
          target: `${idle.longFrames.length} long`,
        },
        {
          measure: 'long animation frames (> 50 ms)',
          p50: String(result.longFrames.length),
          p99: '',
          max: ms(result.longFrames.length ? Math.max(...result.longFrames) : 0),
          target: '0',
        },
        {
          measure: 'new incident: SSE event → row painted, ms',
          p50: ms(percentile(latencies, 50)),
          p99: ms(percentile(latencies, 99)),
          max: ms(Math.max(...latencies)),
          target: 'p99 < 200',
        },
      ])}\n`,
    );
    const framesOk = Math.max(...result.frames) < 50;
    const latencyOk = percentile(latencies, 99) < 200 && latencies.length === created.length;
    process.stdout.write(
      `\nframes under 50 ms: ${framesOk ? 'yes' : 'no'}; new incidents on screen within 200 ms p99: ${latencyOk ? 'yes' : 'no'}\n`,
    );
    await context.close();
  } finally {
    await close();
    await platform.stop();
    await pg.stop();
  }
}
