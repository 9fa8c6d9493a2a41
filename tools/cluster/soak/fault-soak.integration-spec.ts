import { formatReport, runFaultSoak, type SoakReport } from './fault-soak';

// The production topology as separate processes next to the suite's own broker and database: it
// needs Kafka's jars and a JDK like every Kafka suite, so SKIP_KAFKA skips it with them.
const describeSoak = process.env.SKIP_KAFKA ? describe.skip : describe;

describeSoak(
  'fault soak: the production topology loses and duplicates nothing through crashes and outages',
  () => {
    let report: SoakReport;
    const progress: string[] = [];

    beforeAll(async () => {
      report = await runFaultSoak({
        brokers: 1,
        ratePerSecond: 60,
        hotFraction: 0.05,
        phaseMinSeconds: 20,
        phaseMaxSeconds: 60,
        drainSeconds: 120,
        log: (line) => progress.push(`${new Date().toISOString().slice(11, 19)} ${line}`),
      });
      process.stdout.write(`${formatReport(report)}\n`);
    }, 15 * 60_000);

    it('counts every acknowledged detection, match, incident and incident event once, with nothing left in a dead-letter queue, an outbox or a consumer group', () => {
      // The problems name what was lost (with example vendor ids) and where: the message is the diagnosis.
      expect({ problems: report.problems, table: formatReport(report).split('\n') }).toMatchObject({
        problems: [],
      });
    });

    it('fails over and resumes promptly: hot-plate incidents are late only by the outage itself', () => {
      // Bounds from the platform's objectives with room for a shared two-core machine: survivors own a
      // killed instance's partitions within 10 s; consumers fetch within 5 s of a broker's return.
      const bounds: Record<string, (down: number) => number> = {
        recognition: () => 15,
        incidents: () => 15,
        broker: (down) => down + 10,
        postgres: (down) => down + 10,
        'camera-registry': () => 10,
      };
      const late = report.phases
        .filter((p) => p.faultAt && bounds[p.name])
        .map((p) => ({ p, bound: bounds[p.name]!(p.downSeconds ?? 0) }))
        .filter(({ p, bound }) => (p.longestHotDelaySeconds ?? Infinity) > bound)
        .map(
          ({ p, bound }) =>
            `${p.name} (${p.fault}, down ${(p.downSeconds ?? 0).toFixed(1)} s): a hot-plate incident opened ` +
            `${(p.longestHotDelaySeconds ?? Infinity).toFixed(1)} s after its detection, more than ${bound.toFixed(1)} s`,
        );
      expect(late).toEqual([]);
    });

    it('opens the incident of every hot plate in every phase, faults included', () => {
      const unopened = report.phases
        .filter((p) => p.hotOpened < p.hotSent)
        .map((p) => `${p.name}: ${p.hotSent - p.hotOpened} of ${p.hotSent} hot-plate incidents never opened`);
      expect(unopened).toEqual([]);
      expect(report.phases.every((p) => p.hotSent > 0)).toBe(true);
    });
  },
);
