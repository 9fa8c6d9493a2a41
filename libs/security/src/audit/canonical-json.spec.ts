import fc from 'fast-check';
import { auditRecordHash, GENESIS_HASH, type AuditRecord } from './audit-record';
import { canonicalJson } from './canonical-json';

function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(() => random() - 0.5);
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, random)]));
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('serialises like a JSON round trip (dates, undefined, NaN)', () => {
    expect(
      canonicalJson({ at: new Date('2025-05-01T00:00:00Z'), gone: undefined, nan: NaN, list: [undefined] }),
    ).toBe('{"at":"2025-05-01T00:00:00.000Z","list":[null],"nan":null}');
  });

  it('does not depend on key order, and survives JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        let state = seed;
        const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 + 1) % 1;
        const canonical = canonicalJson(value);
        expect(canonicalJson(shuffleKeys(value, random))).toBe(canonical);
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
      }),
    );
  });
});

describe('auditRecordHash', () => {
  const record: Omit<AuditRecord, 'prevHash' | 'hash'> = {
    seq: 1,
    id: '00000000-0000-4000-8000-000000000001',
    recordedAt: new Date('2025-05-01T00:00:00.000Z'),
    actorSubject: 'alice',
    actorKind: 'user',
    actorRoles: ['operator'],
    regionCode: 'ALA',
    action: 'read',
    objectType: 'watchlist-entry',
    objectId: 'w-1',
    purpose: 'incident 42',
    legalBasis: 'order 7',
    details: { b: 1, a: 2 },
  };

  it('is a hex SHA-256 that changes with any field, the link or the position', () => {
    const hash = auditRecordHash(GENESIS_HASH, record);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(auditRecordHash(GENESIS_HASH, { ...record, details: { a: 2, b: 1 } })).toBe(hash);
    for (const change of [
      { seq: 2 },
      { objectId: 'w-2' },
      { actorRoles: ['admin'] },
      { regionCode: null },
      { purpose: 'incident 43' },
      { details: { a: 2, b: 2 } },
      { recordedAt: new Date('2025-05-01T00:00:00.001Z') },
    ]) {
      expect(auditRecordHash(GENESIS_HASH, { ...record, ...change })).not.toBe(hash);
    }
    expect(auditRecordHash('f'.repeat(64), record)).not.toBe(hash);
  });
});
