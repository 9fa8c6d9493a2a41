import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES } from './memory/handle-worst-case';

const SCRIPT = join(__dirname, 'memory/handle-worst-case.ts');
const ROOT = join(__dirname, '../../..');

/** A small constant: what handling a body may take beyond the body itself, in body limits. */
const MAX_GROWTH_PER_LIMIT = 2;

/**
 * Each case in processes of its own (one builds the body, one handles it), so the peak resident
 * memory measured is that of handling one worst-case body and nothing else of this test run.
 */
describe('memory per ingest request is bounded by the body limit times a small constant', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ingest-memory-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const run = (mode: string, name: string, file: string, extra: string[] = []) =>
    execFileSync(process.execPath, [...extra, '-r', '@swc-node/register', SCRIPT, mode, name, file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
      maxBuffer: 1024 * 1024,
    });

  it.each(Object.keys(CASES))(
    '%s',
    (name) => {
      const file = join(directory, 'body.bin');
      run('build', name, file);
      const report = JSON.parse(run('handle', name, file, ['--expose-gc']).trim().split('\n').pop()!) as {
        limit: number;
        bodyBytes: number;
        growthBytes: number;
        outcome: string;
      };
      process.stdout.write(`${JSON.stringify(report)}\n`);
      expect(report.bodyBytes).toBeLessThanOrEqual(report.limit + 256);
      expect(report.growthBytes).toBeLessThanOrEqual(MAX_GROWTH_PER_LIMIT * report.limit);
    },
    300_000,
  );
});
