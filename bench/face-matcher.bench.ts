import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { FaceIndex, RERANKED } from '../services/recognition/src/faces/face-index';
import { option, seededRandom, table } from './infra';

/** Isotropic Gaussian vectors (Box–Muller): directions spread evenly over all dimensions. */
function gaussian(r: () => number) {
  return (dims: number) => {
    const v = new Float32Array(dims);
    for (let i = 0; i < dims; i += 2) {
      const u = Math.max(r(), 1e-12);
      const a = Math.sqrt(-2 * Math.log(u));
      const b = 2 * Math.PI * r();
      v[i] = a * Math.cos(b);
      if (i + 1 < dims) v[i + 1] = a * Math.sin(b);
    }
    return v;
  };
}

/**
 * Face embeddings are not spread over all their dimensions: what tells people apart lives in far
 * fewer directions. With `latent` > 0 a template is a random point of a `latent`-dimensional
 * space mapped into `dims` by a fixed random projection, plus isotropic noise carrying 10% of its
 * variance; with 0 it is isotropic, every dimension independent (the worst case for any index).
 */
function latentSpace(latent: number, dims: number, random: (n: number) => Float32Array) {
  if (latent === 0) return (v: Float32Array) => v;
  const projection = Array.from({ length: latent }, () => random(dims));
  const scale = 1 / Math.sqrt(latent);
  return (z: Float32Array) => {
    const noise = random(dims);
    const out = new Float32Array(dims);
    for (let k = 0; k < latent; k++) {
      const w = z[k] * scale;
      const row = projection[k];
      for (let i = 0; i < dims; i++) out[i] += w * row[i];
    }
    for (let i = 0; i < dims; i++) out[i] += Math.sqrt(0.1 / 0.9) * noise[i];
    return out;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (x: number) => `${x.toFixed(3)} ms`;
const THRESHOLD = 0.5;

/**
 * `npm run bench -- face-matcher [--templates N] [--dims D] [--probes P] [--brute B] [--ef E]
 * [--candidates C] [--m M] [--ef-add A] [--latent L] [--quantization f32|f16|i8]`: the face index (HNSW graph, then exact re-ranking) against an exact scan
 * of every template, measured in the same run over the same probes.
 */
export async function run(argv: string[]): Promise<void> {
  const count = option(argv, 'templates', 100_000);
  const dims = option(argv, 'dims', 512);
  const probes = option(argv, 'probes', 2_000);
  const bruteProbes = option(argv, 'brute', 300);
  const ef = option(argv, 'ef', 192);
  const candidates = option(argv, 'candidates', RERANKED);
  const m = option(argv, 'm', 32);
  const efAdd = option(argv, 'ef-add', 256);
  const latent = option(argv, 'latent', 64);
  const quantIndex = argv.indexOf('--quantization');
  const quantization = (quantIndex >= 0 ? argv[quantIndex + 1] : 'i8') as 'f32' | 'f16' | 'i8';
  const cpu = cpus();
  process.stdout.write(
    `face-matcher: ${count.toLocaleString('en')} templates × ${dims} dimensions ` +
      `(${latent ? `a ${latent}-dimensional identity space embedded with 10% isotropic noise` : 'isotropic'}), ` +
      `M=${m}, ef_add=${efAdd}, graph vectors ${quantization}, ${cpu.length} × ` +
      `${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.versions.node}\n\n`,
  );
  const random = gaussian(seededRandom(20261125));
  const embed = latentSpace(latent, dims, random);
  const enrolled: Float32Array[] = [];
  for (let i = 0; i < count; i++) enrolled.push(embed(random(latent || dims)));

  let t = performance.now();
  const index = new FaceIndex<number>(dims, {
    connectivity: m,
    expansionAdd: efAdd,
    expansionSearch: ef,
    quantization,
  });
  index.addMany(enrolled.map((vector, ref) => ({ ref, vector })));
  const buildMs = performance.now() - t;
  process.stdout.write(`index built in ${(buildMs / 1000).toFixed(1)} s\n\n`);

  // A third of the probes are enrolled people seen again in good conditions (their template plus
  // capture noise: cosine about 0.94 to it), a third in poor ones (about 0.71), a third strangers:
  // random directions, nobody's face.
  const queryRandom = gaussian(seededRandom(7));
  const pickRandom = seededRandom(11);
  const NOISE = [0.35, 1.0];
  const queries: { vector: Float32Array; of: number | null }[] = [];
  for (let q = 0; q < probes; q++) {
    if (q % 3 === 2) {
      queries.push({ vector: embed(queryRandom(latent || dims)), of: null });
      continue;
    }
    const of = Math.floor(pickRandom() * count);
    const noise = embed(queryRandom(latent || dims));
    queries.push({ vector: enrolled[of].map((x, i) => x + NOISE[q % 3] * noise[i]), of });
  }

  for (let q = 0; q < Math.min(200, probes); q++) index.search(queries[q].vector, 1, candidates);
  const latencies: number[] = [];
  // CPU time of the search alone: on a shared machine wall time also counts waiting for a core.
  const cpuTimes: number[] = [];
  const found: { ref: number; similarity: number }[] = [];
  for (const query of queries) {
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const [best] = index.search(query.vector, 1, candidates);
    latencies.push(performance.now() - t);
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    found.push(best ?? { ref: -1, similarity: -1 });
  }

  // Brute force: the exact answer for every probe (recall), and its latency on the first ones.
  const bruteLatencies: number[] = [];
  const agree = { sightings: 0, strangers: 0 };
  let ownFirst = 0;
  let decisions = 0;
  let strangerBest = -1;
  for (let q = 0; q < queries.length; q++) {
    t = performance.now();
    const [truth] = index.bruteForce(queries[q].vector, 1);
    if (q < bruteProbes) bruteLatencies.push(performance.now() - t);
    const same = truth.ref === found[q].ref;
    if (queries[q].of !== null) {
      agree.sightings += same ? 1 : 0;
      ownFirst += found[q].ref === queries[q].of ? 1 : 0;
    } else {
      agree.strangers += same ? 1 : 0;
      strangerBest = Math.max(strangerBest, truth.similarity);
    }
    // What the matcher decides at a threshold of 0.5: whom it names, or nobody.
    const named = (c: { ref: number; similarity: number }) => (c.similarity >= THRESHOLD ? c.ref : -1);
    decisions += named(truth) === named(found[q]) ? 1 : 0;
  }
  latencies.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  bruteLatencies.sort((a, b) => a - b);
  const sightings = queries.filter((q) => q.of !== null).length;
  const strangers = queries.length - sightings;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  process.stdout.write(
    table([
      {
        path: `HNSW (M=${m}, ef=${ef}, ${quantization}) + exact re-rank of ${candidates}`,
        probes: queries.length,
        p50: ms(percentile(latencies, 50)),
        p99: ms(percentile(latencies, 99)),
        max: ms(latencies[latencies.length - 1]),
        'searches/s': Math.round(1000 / mean(latencies)),
      },
      {
        path: 'brute force: exact scan of every template',
        probes: bruteLatencies.length,
        p50: ms(percentile(bruteLatencies, 50)),
        p99: ms(percentile(bruteLatencies, 99)),
        max: ms(bruteLatencies[bruteLatencies.length - 1]),
        'searches/s': Math.round(1000 / mean(bruteLatencies)),
      },
    ]) + '\n\n',
  );
  process.stdout.write(
    `index search CPU time: p50 ${ms(percentile(cpuTimes, 50))}, p99 ${ms(percentile(cpuTimes, 99))}; ` +
      `load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}\n`,
  );
  process.stdout.write(
    `recall@1 against brute force, probes of enrolled people: ${(agree.sightings / sightings).toFixed(4)} ` +
      `(${agree.sightings}/${sightings}); their own template first: ${(ownFirst / sightings).toFixed(4)}\n` +
      `recall@1 against brute force, strangers: ${(agree.strangers / strangers).toFixed(4)} ` +
      `(${agree.strangers}/${strangers}); best stranger similarity ${strangerBest.toFixed(3)}\n` +
      `recall@1 over all probes: ${((agree.sightings + agree.strangers) / queries.length).toFixed(4)}; ` +
      `same decision as brute force at threshold ${THRESHOLD}: ${(decisions / queries.length).toFixed(4)}\n`,
  );
}
