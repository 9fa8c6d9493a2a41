import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
// A relative path: jest's global setup loads this file without the workspace's path mapping.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { freeLoopbackPort } from '../../../persistence/src/loopback-port';

/**
 * A real single-node Kafka 3.9 broker (KRaft, broker and controller in one JVM) for integration
 * tests and benchmarks. The jars come from deploy/kafka (Maven Central via resolve.sh), so the
 * only requirements are a JDK 17 and Maven; no Docker.
 *
 * The broker keeps its port and data directory across stop()/start(), which is what outage tests
 * rely on: clients configured with the first address reconnect to the same broker and find their
 * topics and committed offsets again.
 */
export interface KafkaBrokerOptions {
  /** Kept across restarts. Default: a fresh temporary directory, removed after Node exits. */
  dataDir?: string;
  /** Client port. Default: a free loopback port chosen on the first start. */
  port?: number;
  /** Receives every line the broker JVM prints (WARN and above). */
  log?: (line: string) => void;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const KILL_TIMEOUT_MS = 5_000;
const FORMAT_TIMEOUT_MS = 60_000;
// A cold Maven cache downloads ~50 MB; allow for a slow mirror, not for a hung one.
const RESOLVE_TIMEOUT_MS = 15 * 60_000;
const PROBE_TIMEOUT_MS = 5_000;
const PROBE_INTERVAL_MS = 200;
const OUTPUT_TAIL_LINES = 60;

/** The broker JVM's flags, shared with `npm run cluster`'s nodes. */
export const KAFKA_JVM_FLAGS = [
  '-Xmx512m',
  '-Xms256m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  // An OOM-crippled broker that keeps its port open would make tests hang instead of fail.
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];

let resolving: Promise<string> | undefined;

/** Brokers whose JVM is running, for the process 'exit' hook. */
const liveBrokers = new Set<KafkaBroker>();
let exitHookInstalled = false;

export class KafkaBroker {
  private readonly log: (line: string) => void;
  private readonly requestedDataDir?: string;
  private dataDir?: string;
  private ownsDataDir = false;
  private port?: number;
  private controllerPort?: number;
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private watchdog?: ChildProcess;
  private starting?: Promise<string>;
  private readonly tail: string[] = [];

  constructor(opts: KafkaBrokerOptions = {}) {
    this.requestedDataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
    this.port = opts.port;
    this.log = opts.log ?? (() => undefined);
  }

  /**
   * Makes sure the broker jars are in the cache (see deploy/kafka/resolve.sh) and returns the
   * directory holding them. Cheap after the first call: the script returns at once when its
   * marker is present, and the result is memoised per process.
   */
  static resolveJars(): Promise<string> {
    if (!resolving) {
      resolving = runResolve().catch((err) => {
        resolving = undefined;
        throw err;
      });
    }
    return resolving;
  }

  /** "127.0.0.1:<port>", valid once start() has picked the port (and stable after that). */
  get brokers(): string {
    if (this.port === undefined) throw new Error('KafkaBroker: brokers is known only after start()');
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.isRunning() ? this.child?.pid : undefined;
  }

  async start(): Promise<string> {
    if (this.isRunning()) return this.brokers;
    if (!this.starting) {
      this.starting = this.doStart().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    await this.terminate();
  }

  private async terminate(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return;
    if (this.isRunning()) {
      // SIGTERM gives a clean shutdown (no log recovery on the next start, which keeps restarts fast).
      child.kill('SIGTERM');
      if (!(await within(exited, STOP_TIMEOUT_MS))) {
        this.log(`kafka: broker pid ${child.pid} ignored SIGTERM for ${STOP_TIMEOUT_MS} ms, killing it`);
        child.kill('SIGKILL');
        if (!(await within(exited, KILL_TIMEOUT_MS))) {
          throw new Error(`KafkaBroker: pid ${child.pid} did not exit after SIGKILL`);
        }
      }
    }
    this.cleanupAfterExit();
  }

  private async doStart(): Promise<string> {
    const libs = await KafkaBroker.resolveJars();
    const deployDir = findDeployDir();
    const dataDir = this.ensureDataDir();
    this.watchdog ??= spawnWatchdog(this.ownsDataDir ? dataDir : undefined);
    const logDir = join(dataDir, 'logs');

    this.port ??= await freeLoopbackPort();
    this.controllerPort ??= await freeLoopbackPort([this.port]);

    // Rewritten on each start (cheap, and picks up template changes); ports are reused, so
    // clients holding the old address reach the restarted broker.
    const propsFile = join(dataDir, 'server.properties');
    const template = readFileSync(join(deployDir, 'server.properties.template'), 'utf8');
    writeFileSync(
      propsFile,
      template
        .replace(/@PORT@/g, String(this.port))
        .replace(/@CONTROLLER_PORT@/g, String(this.controllerPort))
        .replace(/@LOG_DIR@/g, escapePropertyValue(logDir)),
    );

    const javaArgs = [
      '-cp',
      join(libs, '*'),
      ...KAFKA_JVM_FLAGS,
      `-Dlog4j.configuration=file:${join(deployDir, 'log4j.properties')}`,
    ];

    if (!existsSync(join(logDir, 'meta.properties'))) {
      await formatStorage(javaArgs, clusterIdFor(dataDir), propsFile);
    }

    this.tail.length = 0;
    let child: ChildProcess;
    try {
      child = spawn(javaBin(), [...javaArgs, 'kafka.Kafka', propsFile], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      throw new Error(`KafkaBroker: could not run ${javaBin()}: ${(err as Error).message}`);
    }
    this.child = child;
    this.exited = new Promise<void>((resolveExit) => {
      child.once('exit', () => {
        // Promptly, so the watchdog never signals a pid the kernel may have handed to another process.
        this.tellWatchdog('-');
        liveBrokers.delete(this);
      });
      // 'close' rather than 'exit': only then has the output (say, a bind error) been read into the tail.
      child.once('close', (code, signal) => {
        this.record(`kafka: broker exited (code ${code}, signal ${signal})`);
        resolveExit();
      });
      // ENOENT (no java) arrives here instead of as an 'exit'.
      child.once('error', (err) => {
        this.record(`kafka: could not run ${javaBin()}: ${err.message}`);
        liveBrokers.delete(this);
        resolveExit();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.record(line));
    }
    liveBrokers.add(this);
    installExitHook();
    if (child.pid !== undefined) this.tellWatchdog(String(child.pid));

    const startedAt = Date.now();
    try {
      await this.waitUntilReady(startedAt + START_TIMEOUT_MS);
    } catch (err) {
      await this.terminate().catch(() => undefined);
      throw err;
    }
    return this.brokers;
  }

  private async waitUntilReady(deadline: number): Promise<void> {
    const kafka = new Kafka({
      clientId: 'kafka-broker-probe',
      brokers: [this.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      requestTimeout: 3_000,
      retry: { retries: 0 },
    });
    let lastError = 'no attempt made';
    while (Date.now() < deadline) {
      if (!this.isRunning()) {
        if (this.exited) await within(this.exited, 2_000);
        throw new Error(`KafkaBroker: broker exited during startup. Last output:\n${this.tail.join('\n')}`);
      }
      const admin = kafka.admin();
      try {
        const probe = (async () => {
          await admin.connect();
          await admin.listTopics();
        })();
        probe.catch(() => undefined);
        if (await within(probe, PROBE_TIMEOUT_MS)) {
          await probe;
          return;
        }
        lastError = `probe timed out after ${PROBE_TIMEOUT_MS} ms`;
      } catch (err) {
        lastError = (err as Error).message;
      } finally {
        await within(
          admin.disconnect().catch(() => undefined),
          PROBE_TIMEOUT_MS,
        );
      }
      await sleep(PROBE_INTERVAL_MS);
    }
    throw new Error(
      `KafkaBroker: broker on ${this.brokers} not ready within ${START_TIMEOUT_MS} ms ` +
        `(last probe error: ${lastError}). Last output:\n${this.tail.join('\n')}`,
    );
  }

  private ensureDataDir(): string {
    if (this.dataDir) return this.dataDir;
    if (this.requestedDataDir) {
      mkdirSync(this.requestedDataDir, { recursive: true });
      this.dataDir = this.requestedDataDir;
    } else {
      this.dataDir = mkdtempSync(join(tmpdir(), 'safecity-kafka-'));
      this.ownsDataDir = true;
    }
    return this.dataDir;
  }

  private isRunning(): boolean {
    const child = this.child;
    return !!child && child.exitCode === null && child.signalCode === null && liveBrokers.has(this);
  }

  private record(line: string): void {
    this.log(line);
    // Stack frames would push the actual cause (e.g. "failed to bind ... Address already in
    // use") out of the tail that start() reports; the exception lines themselves are kept.
    if (/^\s+(at |\.\.\. \d+ more)/.test(line)) return;
    this.tail.push(line);
    if (this.tail.length > OUTPUT_TAIL_LINES) this.tail.shift();
  }

  private tellWatchdog(pid: string): void {
    const stdin = this.watchdog?.stdin;
    if (stdin && !stdin.destroyed) stdin.write(`${pid}\n`);
  }

  private cleanupAfterExit(): void {
    liveBrokers.delete(this);
    this.child = undefined;
    this.exited = undefined;
  }

  /** @internal Called synchronously from process 'exit': no awaiting possible. */
  killForExit(): void {
    const child = this.child;
    if (!child || !this.isRunning()) return;
    // A throwaway data dir is about to be deleted, so a clean shutdown buys nothing; a caller's
    // data dir gets SIGTERM so it stays consistent (the watchdog escalates if that hangs).
    child.kill(this.ownsDataDir ? 'SIGKILL' : 'SIGTERM');
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const broker of liveBrokers) broker.killForExit();
  });
}

/**
 * process 'exit' does not fire when Node is SIGKILLed or dies on an unhandled signal, nor inside
 * jest's sandboxed test environments (their `process` is a copy whose events never fire). An
 * orphaned broker would keep its port and a few hundred MB until someone notices, so each KafkaBroker
 * also has this tiny shell: it is told the current broker pid over a pipe ('-' when none), and
 * when the pipe closes, however Node went away, it stops that pid (TERM, KILL after 10 s) and
 * removes a throwaway data dir. It runs in its own session so a terminal Ctrl-C can't take it
 * down before the broker.
 */
function spawnWatchdog(tempDataDir: string | undefined): ChildProcess | undefined {
  const script = [
    'trap "" HUP INT TERM PIPE',
    'cur=-',
    'while read -r line; do cur=$line; done',
    'if [ "$cur" != "-" ]; then',
    '  kill -TERM "$cur" 2>/dev/null; i=0',
    '  while kill -0 "$cur" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
    '  kill -KILL "$cur" 2>/dev/null; i=0',
    '  while kill -0 "$cur" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i+1)); done',
    'fi',
    'if [ -n "$1" ]; then rm -rf -- "$1"; fi',
  ].join('\n');
  try {
    const watchdog = spawn('sh', ['-c', script, 'kafka-broker-watchdog', tempDataDir ?? ''], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    watchdog.on('error', () => undefined);
    watchdog.stdin?.on('error', () => undefined);
    // Hold the pipe open without keeping the event loop alive.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return watchdog;
  } catch {
    return undefined;
  }
}

async function runResolve(): Promise<string> {
  const script = join(findDeployDir(), 'resolve.sh');
  const { stdout } = await new Promise<{ stdout: string; stderr: string }>((resolveRun, reject) => {
    execFile(
      'bash',
      [script],
      { timeout: RESOLVE_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const { code, killed } = err as NodeJS.ErrnoException & { killed?: boolean };
          const why =
            code === 'ENOENT'
              ? 'bash not found'
              : killed
                ? `no result within ${RESOLVE_TIMEOUT_MS / 60_000} min`
                : `${script} exited with ${code}`;
          reject(new Error(`KafkaBroker: resolving the Kafka jars failed (${why}):\n${stderr.trim()}`));
        } else {
          resolveRun({ stdout, stderr });
        }
      },
    );
  });
  const libs = stdout.trim().split('\n').pop()?.trim() ?? '';
  if (!libs || !existsSync(libs)) {
    throw new Error(`KafkaBroker: ${script} printed no jar directory (got ${JSON.stringify(stdout)})`);
  }
  await checkJava();
  return libs;
}

/** resolve.sh only needs java when it actually resolves; fail here rather than at spawn. */
function checkJava(): Promise<void> {
  return new Promise((resolveCheck, reject) => {
    execFile(javaBin(), ['-version'], { timeout: 30_000 }, (err) => {
      if (!err) return resolveCheck();
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? `KafkaBroker: '${javaBin()}' not found; the broker needs a JDK/JRE 17 on PATH or JAVA_HOME`
            : `KafkaBroker: '${javaBin()} -version' failed: ${err.message}`,
        ),
      );
    });
  });
}

/** The `java` of JAVA_HOME, else the one on PATH. */
export function javaBin(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function formatStorage(javaArgs: string[], clusterId: string, propsFile: string): Promise<void> {
  return new Promise((resolveFormat, reject) => {
    execFile(
      javaBin(),
      [...javaArgs, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile],
      { timeout: FORMAT_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err)
          reject(new Error(`KafkaBroker: formatting storage failed: ${err.message}\n${stdout}${stderr}`));
        else resolveFormat();
      },
    );
  });
}

/**
 * Generated once per data dir and kept outside logs/, so a wiped logs/ re-formats under the same
 * cluster id. Same format as Kafka's Uuid: 16 random bytes, base64url without padding.
 */
function clusterIdFor(dataDir: string): string {
  const file = join(dataDir, 'cluster.id');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) return stored;
  }
  let id: string;
  // Kafka's own generator skips ids that start with '-' (they read as CLI flags).
  do {
    id = randomBytes(16).toString('base64url');
  } while (id.startsWith('-'));
  writeFileSync(file, `${id}\n`);
  return id;
}

/** deploy/kafka relative to this file, found by walking up so it also works from a build output. */
function findDeployDir(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 12; depth++) {
    const candidate = join(dir, 'deploy', 'kafka');
    if (existsSync(join(candidate, 'resolve.sh'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`KafkaBroker: deploy/kafka/resolve.sh not found above ${__dirname}`);
}

function escapePropertyValue(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves true if `promise` settles within `ms`, false otherwise; never rejects. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
