import type { EntityManager } from 'typeorm';
import type { WatchlistChangeFeed } from '../watchlists/watchlist-change-feed';
import { FaceMatcher, templateBinding, type FaceMatchingOptions } from './face-matcher';
import type { FaceEntry, FaceWatchlistRepository, SealedTemplate } from './face-watchlist.repository';
import { TemplateSealer } from './template-sealer';
import { randomVectors } from '../../test/random-vectors';

const DIMS = 128;
const MODEL = 'arcface-r100@1.2';
const LIST = 'list-1';
const DAY = 86_400_000;

function generator(seed: number) {
  const vectors = randomVectors(seed);
  return () => vectors(DIMS);
}

/**
 * The matcher over an in-memory stand-in for the watchlist tables: `entries` and their templates
 * are what the repository reads, one face list with threshold 0.6.
 */
function world(options: FaceMatchingOptions = {}) {
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const sealer = TemplateSealer.development();
  const entries = new Map<string, FaceEntry>();
  const templates: SealedTemplate[] = [];
  const repository = {
    async *live() {
      yield [...entries.values()].filter((e) => e.expiresAt.getTime() > clock);
    },
    sealedTemplates: async (_m: EntityManager, ids: readonly string[]) =>
      templates.filter((t) => ids.includes(t.entryId)),
    findMany: async (_m: EntityManager, ids: readonly string[]) => ids.flatMap((id) => entries.get(id) ?? []),
  } as unknown as FaceWatchlistRepository;
  const feed = { register: () => undefined } as unknown as WatchlistChangeFeed;
  const manager = {
    query: async () => [{ id: LIST, threshold: 0.6, category: 'wanted' }],
  } as unknown as EntityManager;
  const matcher = new FaceMatcher(repository, feed, {
    developmentKey: true,
    now: () => new Date(clock),
    ...options,
  });
  let serial = 0;

  return {
    matcher,
    manager,
    enrol(vector: Float32Array, regions: FaceEntry['regions'], expiresInMs = 7 * DAY): string {
      const id = `entry-${++serial}`;
      const now = new Date(clock);
      entries.set(id, {
        id,
        watchlistId: LIST,
        regionCode: regions === 'national' ? 'ALA' : regions[0],
        subjectRef: `subject-${serial}`,
        legalBasis: 'Court order 2-77/2026',
        owner: 'police',
        regions,
        expiresAt: new Date(clock + expiresInMs),
        createdBy: 'keeper',
        createdAt: now,
        updatedAt: now,
      });
      const template = { id: `template-${serial}`, entryId: id, model: MODEL };
      templates.push({
        ...template,
        dimensions: DIMS,
        enrolledAt: now,
        regionCode: 'ALA',
        sealed: sealer.seal(vector, templateBinding(template)),
      });
      return id;
    },
    rescope(id: string, regions: FaceEntry['regions']) {
      entries.set(id, { ...(entries.get(id) as FaceEntry), regions });
    },
    advance(ms: number) {
      clock += ms;
    },
    /** Entry ids the matcher names for a probe from a camera in `region`, best first. */
    matches: (vector: Float32Array, region: string) =>
      matcher.match({ vector, model: MODEL }, region).map((hit) => hit.entry.id),
  };
}

describe('FaceMatcher', () => {
  const random = generator(11);
  const near = (of: Float32Array, noise: number) => {
    const n = random();
    return of.map((x, i) => x + noise * n[i]);
  };

  it('finds the in-scope person however many entries of other regions resemble the probe more', async () => {
    const w = world();
    const person = random();
    // Far more lookalikes than a search re-ranks, each nearer the probe than the enrolment is.
    for (let i = 0; i < 300; i++) w.enrol(near(person, 0.05), ['AST']);
    const target = w.enrol(near(person, 0.3), ['ALA']);
    await w.matcher.load(w.manager);

    const probe = near(person, 0.05);
    expect(w.matches(probe, 'ALA')).toEqual([target]);
    expect(w.matches(probe, 'AST')).toHaveLength(5);
    expect(w.matches(probe, 'AST')).not.toContain(target);
    expect(w.matches(probe, 'KAR')).toEqual([]);
  });

  it('finds the live person however many expired entries resemble the probe more', async () => {
    const w = world();
    const person = random();
    for (let i = 0; i < 300; i++) w.enrol(near(person, 0.05), 'national', DAY);
    const target = w.enrol(near(person, 0.3), 'national');
    for (let i = 0; i < 50; i++) w.enrol(random(), 'national');
    await w.matcher.load(w.manager);
    // Expired, but not yet swept out of memory.
    w.advance(2 * DAY);

    expect(w.matches(near(person, 0.05), 'ALA')).toEqual([target]);
  });

  it('scans every template of the scope once widening reaches its limit', async () => {
    const w = world({ candidates: 16, searchLimit: 32 });
    const person = random();
    for (let i = 0; i < 200; i++) w.enrol(near(person, 0.05), 'national', DAY);
    const target = w.enrol(near(person, 0.3), 'national');
    await w.matcher.load(w.manager);
    w.advance(2 * DAY);

    expect(w.matches(near(person, 0.05), 'ALA')).toEqual([target]);
  });

  it('matches national entries everywhere and regional ones in each of their regions only', async () => {
    const w = world();
    const [a, b, c] = [random(), random(), random()];
    const national = w.enrol(a, 'national');
    const twoRegions = w.enrol(b, ['AST', 'ALA']);
    const moved = w.enrol(c, ['AST']);
    await w.matcher.load(w.manager);

    for (const region of ['ALA', 'AST', 'KAR']) expect(w.matches(near(a, 0.2), region)).toEqual([national]);
    expect(w.matches(near(b, 0.2), 'ALA')).toEqual([twoRegions]);
    expect(w.matches(near(b, 0.2), 'AST')).toEqual([twoRegions]);
    expect(w.matches(near(b, 0.2), 'KAR')).toEqual([]);
    expect(w.matches(near(c, 0.2), 'ALA')).toEqual([]);

    // A change of scope moves the entry's templates between the graphs.
    w.rescope(moved, ['ALA']);
    await w.matcher.apply(w.manager, 'face-entry', [moved]);
    expect(w.matches(near(c, 0.2), 'ALA')).toEqual([moved]);
    expect(w.matches(near(c, 0.2), 'AST')).toEqual([]);
    w.rescope(twoRegions, 'national');
    await w.matcher.apply(w.manager, 'face-entry', [twoRegions]);
    expect(w.matches(near(b, 0.2), 'KAR')).toEqual([twoRegions]);
    expect(w.matcher.templateCount).toBe(3);
  });

  it('names nobody for a stranger, and nothing of another model', async () => {
    const w = world();
    const person = random();
    w.enrol(person, 'national');
    await w.matcher.load(w.manager);
    expect(w.matches(random(), 'ALA')).toEqual([]);
    expect(w.matcher.match({ vector: person, model: 'other-model@1' }, 'ALA')).toEqual([]);
    expect(w.matcher.dimensionsOf(MODEL)).toBe(DIMS);
  });
});
