/**
 * A real OpenSearch 2.19 single node for the local cloud, run from Maven Central jars by the small
 * launcher in local/opensearch (no distribution tarball and no Docker on the machines this runs on).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { stopChild } from './support.ts';

export const OPENSEARCH_VERSION = '2.19.6';
export const OPENSEARCH_DEFAULT_PORT = 9200;
export const OPENSEARCH_DEFAULT_HEAP = '-Xms512m -Xmx1g';
const MAIN_CLASS = 'store.local.opensearch.LocalOpenSearch';
const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 10_000;

type Log = (line: string) => void;

export interface OpenSearchOptions {
  rootDir: string;
  /** HTTP port on 127.0.0.1; the transport port is picked from 9300-9399. */
  port?: number;
  /** Defaults to `.local/opensearch/data`; an e2e run may pass a fresh temp folder. */
  dataDir?: string;
  /** JVM heap flags (`-Xms512m -Xmx1g`), or one size such as `1g` for both. */
  heap?: string;
  log: Log;
}

function sourceDir(rootDir: string): string {
  return join(rootDir, 'local', 'opensearch');
}

function stateDir(rootDir: string): string {
  return join(rootDir, '.local', 'opensearch');
}

function libDir(rootDir: string): string {
  return join(stateDir(rootDir), 'lib');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Hash of everything mvn builds from: a change to the pom, the launcher or its log4j config rebuilds. */
function sourceHash(rootDir: string): string {
  const dir = sourceDir(rootDir);
  const hash = createHash('sha256');
  for (const file of [join(dir, 'pom.xml'), ...listFiles(join(dir, 'src'))]) {
    hash.update(relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function runQuiet(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output}`));
    });
  });
}

// One build per process even when the dev cloud and a test ask at the same moment.
const building = new Map<string, Promise<void>>();

/**
 * Builds the launcher and copies its jars into `.local/opensearch/lib` with mvn, once. A stamp holding a
 * hash of pom.xml and the sources makes later calls instant; the first needs Maven Central (~45 MB).
 */
export function ensureOpenSearch(rootDir: string, log: Log): Promise<void> {
  const pending = building.get(rootDir);
  if (pending) return pending;
  const build = buildOnce(rootDir, log).finally(() => building.delete(rootDir));
  building.set(rootDir, build);
  return build;
}

async function buildOnce(rootDir: string, log: Log): Promise<void> {
  const lib = libDir(rootDir);
  const stampFile = join(lib, '.stamp');
  const hash = sourceHash(rootDir);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash) return;
  log(`building the OpenSearch ${OPENSEARCH_VERSION} launcher into .local/opensearch/lib (once)`);
  const started = Date.now();
  // Built beside the live folder and swapped in whole, so a half-done build is never run.
  const fresh = `${lib}.build-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  try {
    await runQuiet(
      process.env.MVN ?? 'mvn',
      [
        '-q',
        '-B',
        '-Dstyle.color=never',
        `-Dopensearch.lib=${fresh}`,
        'package',
        'dependency:copy-dependencies',
      ],
      sourceDir(rootDir),
    );
    writeFileSync(join(fresh, '.stamp'), `${hash}\n`);
    rmSync(lib, { recursive: true, force: true });
    renameSync(fresh, lib);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
  log(`OpenSearch launcher built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function heapFlags(heap: string): string[] {
  const flags = heap.trim().split(/\s+/);
  return flags.every((flag) => flag.startsWith('-')) ? flags : [`-Xms${heap.trim()}`, `-Xmx${heap.trim()}`];
}

/** The java command line for the node, for running it by hand or from another launcher. */
export function openSearchJavaArgs(options: Omit<OpenSearchOptions, 'log'>): string[] {
  const state = stateDir(options.rootDir);
  return [
    ...heapFlags(options.heap ?? OPENSEARCH_DEFAULT_HEAP),
    // What the distribution's jvm.options and launcher set that matters for an embedded node.
    '-XX:+UseG1GC',
    '-Xss1m',
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
    '-Djna.nosys=true',
    '-XX:-OmitStackTraceInFastThrow',
    '-Dio.netty.noUnsafe=true',
    '-Dio.netty.noKeySetOptimization=true',
    '-Dio.netty.recycler.maxCapacityPerThread=0',
    // OpenSearch sets Netty's processor count itself; Netty must not have set it first.
    '-Dopensearch.set.netty.runtime.available.processors=false',
    '-Dlog4j.shutdownHookEnabled=false',
    '-Dlog4j2.disable.jmx=true',
    // 2.x parses locale-dependent date formats as its distribution does on Java 17.
    '-Djava.locale.providers=SPI,COMPAT',
    '-cp',
    join(libDir(options.rootDir), '*'),
    MAIN_CLASS,
    '--home',
    join(state, 'home'),
    '--data',
    options.dataDir ?? join(state, 'data'),
    '--http-port',
    String(options.port ?? OPENSEARCH_DEFAULT_PORT),
  ];
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The port is taken: say whether by an OpenSearch (likely another local cloud) or by something else. */
async function portTakenError(port: number): Promise<Error> {
  const url = `http://127.0.0.1:${port}`;
  const body = await fetch(url, { signal: AbortSignal.timeout(2000) })
    .then((response) => response.json() as Promise<{ cluster_name?: string; version?: { number?: string } }>)
    .catch(() => undefined);
  if (body?.version?.number) {
    return new Error(
      `an OpenSearch ${body.version.number} (cluster ${body.cluster_name ?? '?'}) already answers on ${url}: ` +
        'another local cloud is probably running; stop it, or pass another port',
    );
  }
  return new Error(
    `port ${port} (OpenSearch HTTP) is in use by another program: free it or pass another port`,
  );
}

async function clusterIsUp(url: string): Promise<boolean> {
  const response = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) return false;
  const { status } = (await response.json()) as { status?: string };
  return status === 'green' || status === 'yellow';
}

/**
 * Starts the node (building it first if needed) and resolves once `_cluster/health` is green or yellow.
 * Rejects, without starting anything, when the port is already taken, naming an OpenSearch that answers
 * there; the caller decides whether to reuse it. stop() sends SIGTERM, and SIGKILL after 10 s.
 */
export async function startOpenSearch(
  options: OpenSearchOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  await ensureOpenSearch(options.rootDir, options.log);
  const port = options.port ?? OPENSEARCH_DEFAULT_PORT;
  if (!(await portIsFree(port))) throw await portTakenError(port);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const child = spawn(javaCommand(), openSearchJavaArgs({ ...options, port }), {
    cwd: stateDir(options.rootDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The launcher logs warnings only, so all of stdout is worth passing on; stderr (stack traces, JVM
  // errors) only goes into the error thrown when the node does not come up.
  let tail = '';
  let partial = '';
  // The launcher prints this after its own setup (the replica default), which health alone cannot show.
  let announced = false;
  const forward = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-8000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('opensearch started ')) announced = true;
      else if (line.trim()) options.log(`opensearch: ${line}`);
    }
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // A JVM outliving the local cloud would hold the port and the data lock; ask it to close with us.
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    await stopChild(child, STOP_GRACE_MS);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      const why = spawnError
        ? `could not run ${javaCommand()}: ${spawnError.message}`
        : `exited with ${child.exitCode}`;
      throw new Error(`OpenSearch ${why} before it was ready\n${tail}`);
    }
    if (announced && (await clusterIsUp(url).catch(() => false))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`OpenSearch was not ready on ${url} within ${READY_TIMEOUT_MS / 1000} s\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  options.log(
    `OpenSearch ${OPENSEARCH_VERSION} ready on ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { url, stop };
}
