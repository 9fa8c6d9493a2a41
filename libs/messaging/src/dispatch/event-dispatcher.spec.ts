import { EventDispatcher } from './event-dispatcher';
import { CeHeader, DeliveryHeader, type BusRecord, type ConsumedRecord } from '../envelope';
import { NonRetriableEventError } from '../errors';

const codecs = (type: string) =>
  type === 'kz.test.v1.Thing'
    ? {
        encode: (m: unknown) => ({ finish: () => Buffer.from(JSON.stringify(m)) }),
        decode: (b: Uint8Array) => JSON.parse(Buffer.from(b).toString('utf8')),
      }
    : undefined;

const consumed = (overrides: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: 'safecity.things.v1',
  partition: 2,
  offset: '41',
  key: 'thing-1',
  value: Buffer.from(JSON.stringify({ n: 1 })),
  headers: { [CeHeader.Id]: 'e-1', [CeHeader.Type]: 'kz.test.v1.Thing', [CeHeader.Source]: '/test' },
  ...overrides,
});

function setup(maxAttempts = 3) {
  const published: BusRecord[] = [];
  const dispatcher = new EventDispatcher({
    group: 'safecity.test',
    maxAttempts,
    retryDelayMs: () => 1,
    codecs,
    publish: async (records) => void published.push(...records),
  });
  return { dispatcher, published };
}

describe('EventDispatcher', () => {
  it('decodes the payload and hands the handler the CloudEvents attributes', async () => {
    const { dispatcher } = setup();
    let got: unknown;
    const outcome = await dispatcher.dispatch(consumed(), async (event) => void (got = event));
    expect(outcome).toBe('processed');
    expect(got).toMatchObject({
      id: 'e-1',
      type: 'kz.test.v1.Thing',
      data: { n: 1 },
      partition: 2,
      offset: '41',
    });
  });

  it('parks a failing event on <topic>.retry addressed to its group, then dead-letters it after N attempts', async () => {
    const { dispatcher, published } = setup(3);
    const fail = async () => {
      throw new Error('database is down');
    };
    expect(await dispatcher.dispatch(consumed(), fail)).toBe('retry-scheduled');
    const retry1 = published[0];
    expect(retry1.topic).toBe('safecity.things.v1.retry');
    expect(retry1.headers[DeliveryHeader.RetryGroup]).toBe('safecity.test');
    expect(retry1.headers[DeliveryHeader.Attempts]).toBe('1');

    const fromRetry = (r: BusRecord, offset: string): ConsumedRecord => ({ ...r, partition: 0, offset });
    expect(await dispatcher.dispatch(fromRetry(retry1, '0'), fail)).toBe('retry-scheduled');
    expect(await dispatcher.dispatch(fromRetry(published[1], '1'), fail)).toBe('dead-lettered');
    const dlq = published[2];
    expect(dlq.topic).toBe('safecity.things.v1.dlq');
    expect(dlq.headers).toMatchObject({
      [DeliveryHeader.OriginalTopic]: 'safecity.things.v1',
      [DeliveryHeader.OriginalPartition]: '2',
      [DeliveryHeader.OriginalOffset]: '41',
      [DeliveryHeader.Attempts]: '3',
      [DeliveryHeader.Error]: 'Error: database is down',
    });
    expect(dlq.value).toEqual(consumed().value);
  });

  it('succeeds on a retry and reports the original position to the handler', async () => {
    const { dispatcher, published } = setup(3);
    await dispatcher.dispatch(consumed(), async () => {
      throw new Error('transient');
    });
    let seen: { partition: number; offset: string; previousAttempts: number; topic: string } | undefined;
    const outcome = await dispatcher.dispatch({ ...published[0], partition: 0, offset: '7' }, async (e) => {
      seen = e;
    });
    expect(outcome).toBe('processed');
    expect(seen).toMatchObject({
      topic: 'safecity.things.v1',
      partition: 2,
      offset: '41',
      previousAttempts: 1,
    });
  });

  it('ignores retry records addressed to another consumer group', async () => {
    const { dispatcher } = setup();
    const record = consumed({
      topic: 'safecity.things.v1.retry',
      headers: { ...consumed().headers, [DeliveryHeader.RetryGroup]: 'safecity.other' },
    });
    const handler = jest.fn();
    expect(await dispatcher.dispatch(record, handler)).toBe('skipped');
    expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown type', { [CeHeader.Id]: 'x', [CeHeader.Type]: 'kz.test.v1.Unknown' }, 'unknown event type'],
    ['no id', { [CeHeader.Type]: 'kz.test.v1.Thing' }, 'missing ce_id'],
  ])('dead-letters a poison message with %s at once', async (_name, headers, reason) => {
    const { dispatcher, published } = setup();
    const handler = jest.fn();
    expect(await dispatcher.dispatch(consumed({ headers }), handler)).toBe('dead-lettered');
    expect(handler).not.toHaveBeenCalled();
    expect(published[0].headers[DeliveryHeader.Error]).toContain(reason);
  });

  it('dead-letters an undecodable payload and a NonRetriableEventError without retrying', async () => {
    const { dispatcher, published } = setup();
    expect(await dispatcher.dispatch(consumed({ value: Buffer.from('{oops') }), jest.fn())).toBe(
      'dead-lettered',
    );
    expect(
      await dispatcher.dispatch(consumed(), async () => {
        throw new NonRetriableEventError('region missing');
      }),
    ).toBe('dead-lettered');
    expect(published.map((r) => r.topic)).toEqual(['safecity.things.v1.dlq', 'safecity.things.v1.dlq']);
  });

  it('heartbeats while a long handler runs', async () => {
    const published: BusRecord[] = [];
    const dispatcher = new EventDispatcher({
      group: 'g',
      heartbeatIntervalMs: 10,
      publish: async (r) => void published.push(...r),
    });
    const heartbeat = jest.fn(async () => undefined);
    await dispatcher.dispatch(consumed(), () => new Promise((r) => setTimeout(r, 120)), heartbeat);
    expect(heartbeat.mock.calls.length).toBeGreaterThanOrEqual(5);
  });

  it('counts the outcomes of a batch per topic, an undecodable record on its own', async () => {
    const outcomes: [string, string, number][] = [];
    const dispatcher = new EventDispatcher({
      group: 'g',
      codecs,
      publish: async () => undefined,
      onOutcome: (outcome, topic, count = 1) => void outcomes.push([outcome, topic, count]),
    });
    const records = [
      ...Array.from({ length: 5 }, (_, i) => consumed({ offset: String(i) })),
      consumed({ offset: '5', value: Buffer.from('{oops') }),
      consumed({ offset: '6', topic: 'safecity.others.v1' }),
    ];
    let handled = 0;
    await dispatcher.dispatchBatch(records, async (events) => void (handled += events.length));
    expect(handled).toBe(6);
    expect(outcomes).toEqual([
      ['dead-lettered', 'safecity.things.v1', 1],
      ['processed', 'safecity.things.v1', 5],
      ['processed', 'safecity.others.v1', 1],
    ]);
  });

  describe('through a dependency outage', () => {
    const refused = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const outageDispatcher = () => {
      const published: BusRecord[] = [];
      const outage: boolean[] = [];
      const lines: string[] = [];
      const log = (message: string) => void lines.push(message);
      const dispatcher = new EventDispatcher({
        group: 'safecity.test',
        maxAttempts: 2,
        retryDelayMs: () => 1,
        codecs,
        heartbeatIntervalMs: 5,
        outageBackoffMs: { initial: 1, max: 4 },
        publish: async (records) => void published.push(...records),
        logger: { info: log, warn: log, error: log },
        onOutage: (waiting) => outage.push(waiting),
      });
      return { dispatcher, published, outage, lines };
    };

    it('retries the same event in place, past its attempts, until the dependency answers', async () => {
      const { dispatcher, published, outage, lines } = outageDispatcher();
      let calls = 0;
      const outcome = await dispatcher.dispatch(consumed(), async () => {
        if (++calls < 10) throw refused();
      });
      expect(outcome).toBe('processed');
      expect(calls).toBe(10);
      expect(published).toEqual([]);
      expect(outage).toEqual([true, false]);
      expect(lines).toEqual([
        'a dependency is unavailable; consumption paused until it answers',
        'dependencies answer again; consumption resumed',
      ]);
    });

    it('gives the event up unfinished when the partition is no longer its own, or a heartbeat fails', async () => {
      const { dispatcher, published } = outageDispatcher();
      let assigned = true;
      const revoked = dispatcher.dispatch(
        consumed(),
        async () => {
          throw refused();
        },
        undefined,
        () => assigned,
      );
      await new Promise((r) => setTimeout(r, 20));
      assigned = false;
      expect(await revoked).toBe('interrupted');
      const rebalancing = await dispatcher.dispatch(
        consumed(),
        async () => {
          throw refused();
        },
        async () => {
          throw new Error('The group is rebalancing, so a rejoin is needed');
        },
      );
      expect(rebalancing).toBe('interrupted');
      expect(published).toEqual([]);
    });

    it('still dead-letters a handler that fails while its dependencies answer', async () => {
      const { dispatcher, published } = outageDispatcher();
      const broken = async () => {
        throw new TypeError('x is undefined');
      };
      expect(await dispatcher.dispatch(consumed(), broken)).toBe('retry-scheduled');
      const retry = { ...published[0], offset: '0', partition: 0 } as unknown as ConsumedRecord;
      expect(await dispatcher.dispatch(retry, broken)).toBe('dead-lettered');
      expect(published.map((r) => r.topic)).toEqual(['safecity.things.v1.retry', 'safecity.things.v1.dlq']);
    });

    it('waits a whole batch out, then hands it over in one call', async () => {
      const { dispatcher, published } = outageDispatcher();
      const calls: number[] = [];
      let failures = 3;
      const records = [
        consumed(),
        consumed({ offset: '42', headers: { ...consumed().headers, [CeHeader.Id]: 'e-2' } }),
      ];
      const result = await dispatcher.dispatchBatch(records, async (events) => {
        if (failures-- > 0) throw refused();
        calls.push(events.length);
      });
      expect(result).toBe('done');
      expect(calls).toEqual([2]);
      expect(published).toEqual([]);
    });
  });
});
