/**
 * The fault soak, longer than the test's:
 *
 *   npm run soak -- [--minutes 10] [--rate 100] [--brokers 1|3] [--hot 0.05]
 *                   [--faults recognition,incidents,broker,postgres,camera-registry]
 *                   [--outage 10] [--instance-down 3] [--keep]
 *
 * --outage is how long a broker and PostgreSQL stay down, --instance-down how long a killed
 * instance does.
 *
 * Starts its own cluster (in a temporary folder, kept with its logs when something was lost),
 * runs a phase without faults and one per fault, and prints the table of docs/resilience.md.
 * The minutes are spread over the phases; each lasts at least its share and, while hot-plate
 * incidents are still late, up to twice that.
 */
import { parseArgs } from 'node:util';
import { FAULTS, formatReport, runFaultSoak, type FaultName } from './fault-soak';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string', default: '100' },
      brokers: { type: 'string', default: '1' },
      hot: { type: 'string', default: '0.05' },
      faults: { type: 'string', default: FAULTS.join(',') },
      outage: { type: 'string', default: '10' },
      'instance-down': { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
    },
  });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  const brokers = Number(values.brokers);
  const hot = Number(values.hot);
  const faults = values.faults.split(',').filter(Boolean) as FaultName[];
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error('--minutes must be positive');
  if (!(rate > 0 && rate <= 5_000)) throw new Error('--rate must be 1–5000 detections/s');
  if (brokers !== 1 && brokers !== 3) throw new Error('--brokers must be 1 or 3');
  if (!(hot > 0 && hot < 1)) throw new Error('--hot must be between 0 and 1');
  const unknown = faults.filter((f) => !(FAULTS as readonly string[]).includes(f));
  if (unknown.length)
    throw new Error(`unknown fault(s) ${unknown.join(', ')} (faults: ${FAULTS.join(', ')})`);
  const outageSeconds = Number(values.outage);
  const instanceDownSeconds = Number(values['instance-down']);
  if (!(outageSeconds >= 1 && outageSeconds <= 600)) throw new Error('--outage must be 1–600 s');
  if (!(instanceDownSeconds >= 0 && instanceDownSeconds <= 600))
    throw new Error('--instance-down must be 0–600 s');
  const phaseSeconds = Math.max(20, Math.round((minutes * 60) / (faults.length + 1)));
  const started = Date.now();
  const report = await runFaultSoak({
    brokers,
    ratePerSecond: rate,
    hotFraction: hot,
    phaseMinSeconds: phaseSeconds,
    phaseMaxSeconds: phaseSeconds * 2,
    faults,
    outageSeconds,
    instanceDownSeconds,
    keep: values.keep,
    log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  process.stdout.write(
    `\nrun took ${((Date.now() - started) / 60_000).toFixed(1)} min${report.problems.length ? `; cluster folder with logs: ${report.dir}` : ''}\n`,
  );
  return report.problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
