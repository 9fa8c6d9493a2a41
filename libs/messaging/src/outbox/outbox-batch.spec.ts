import { CeHeader, cloudEventHeaders } from '../envelope';
import { OUTBOX_BATCH_HEADER, packEvents, sharedBatchHeaders, unpackEvents } from './outbox-batch';

const events = [
  {
    id: 'e-1',
    topic: 'safecity.things.v1',
    key: 'camera-1',
    type: 'kz.test.v1.ThingObserved',
    payload: Buffer.from([1, 2, 3]),
    subject: 'thing-1',
    region: 'ALA',
    time: new Date('2026-11-25T10:00:00.123Z'),
  },
  // No subject, no region, an empty value and text beyond ASCII.
  {
    id: 'e-2',
    topic: 'safecity.things.v1',
    key: 'камера-2',
    type: 'kz.test.v1.ThingObserved',
    payload: new Uint8Array(0),
    time: new Date('2026-11-25T10:00:01Z'),
  },
  // The same instant as the one before, in another Date: its time text is shared, not stale.
  {
    id: 'e-4',
    topic: 'safecity.things.v1',
    key: 'camera-4',
    type: 'kz.test.v1.ThingObserved',
    payload: Buffer.from([4]),
    time: new Date('2026-11-25T10:00:01Z'),
  },
  { id: 'e-3', topic: 'safecity.things.v1', key: 'k', type: 't', payload: Buffer.alloc(70_000, 7) },
];

describe('packed outbox rows', () => {
  it('unpack into the records, with the headers, that one row per event would have given', () => {
    const trace = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const row = { ...sharedBatchHeaders('/safecity/test', trace), [OUTBOX_BATCH_HEADER]: '4' };
    const packed = packEvents(events);
    const records = unpackEvents('safecity.things.v1', row, packed);
    expect(records).toHaveLength(4);
    records.forEach((record, i) => {
      const e = events[i]!;
      expect(record.topic).toBe('safecity.things.v1');
      expect(record.key).toBe(e.key);
      expect(Buffer.from(record.value)).toEqual(Buffer.from(e.payload));
      if (e.time) expect(record.headers).toEqual(cloudEventHeaders(e, '/safecity/test', trace));
      expect(record.headers).not.toHaveProperty(OUTBOX_BATCH_HEADER);
    });
    // An event without a time gets the time it was packed at, as `add` gives it the time it was added.
    expect(Date.parse(records[3]!.headers[CeHeader.Time]!)).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a field that does not fit its length prefix', () => {
    expect(() => packEvents([{ ...events[0]!, key: 'k'.repeat(70_000) }])).toThrow(RangeError);
  });

  it('refuses a truncated row rather than publishing part of an event', () => {
    const packed = packEvents(events.slice(0, 1));
    expect(() => unpackEvents('t', {}, packed.subarray(0, packed.length - 1))).toThrow(RangeError);
  });
});
