/**
 * Plays Lambda: each function gets a pool of execution environments, each a worker thread with
 * its own process.env and module scope serving one invocation at a time, so clients made at cold
 * start are reused as in a warm Lambda and concurrent invocations never share state. The pool
 * grows on demand; a function's concurrency (its invocations in flight) is capped by its reserved
 * concurrency, or else by a per-function limit, and Invoke throttles past it as the API does. A
 * timeout or a crash discards only the environment it happened in. Events are the shapes the AWS
 * services send. Faults can be armed per function (armFault) to exercise a caller's failure paths.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface FunctionDefinition {
  logicalId: string;
  name: string;
  arn: string;
  codeDir: string;
  handler: string;
  env: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** ReservedConcurrentExecutions: the most invocations the function runs at once (0 stops it). */
  reservedConcurrency?: number;
}

export interface InvokeError {
  errorType: string;
  errorMessage: string;
  stack?: string[];
  /** TooManyRequestsException's Reason, e.g. ReservedFunctionConcurrentInvocationLimitExceeded. */
  reason?: string;
}

/**
 * The outcome of one Invoke. `function`: the handler threw (Lambda's FunctionError: Unhandled);
 * `timeout`: it ran past its timeout (its environment is discarded); `service`: the Invoke API
 * itself refused (TooManyRequestsException, ServiceException, ResourceNotFoundException,
 * RequestTooLargeException...), so no handler ran.
 */
export type InvokeResult =
  | { ok: true; result: unknown }
  | { ok: false; kind: 'function' | 'timeout' | 'service'; error: InvokeError };

export interface LambdaRuntimeOptions {
  /**
   * The most invocations a function without reserved concurrency runs at once, each in its own
   * environment; it stands in for the account's unreserved concurrency (1,000 by default in AWS),
   * kept small because every environment here is a worker thread on this machine. Default 10.
   */
  concurrencyLimit?: number;
  /**
   * The most environments of one function in their Init phase at once. Unlimited by default, as
   * in AWS, where every concurrent invocation gets its own environment at once. On one machine a
   * burst of cold starts starves itself past its timeouts, so the local cloud bounds them: an
   * invocation within the concurrency limit then waits for the next environment to be free.
   */
  concurrentColdStarts?: number;
}

/** An Invoke API failure to answer instead of running the function (see injectServiceError). */
export interface InjectedServiceError {
  errorType: string;
  errorMessage?: string;
  /** For TooManyRequestsException; defaults to the reason a real throttle of the function gives. */
  reason?: string;
  /** How many of the next invocations fail. Default 1. */
  times?: number;
}

/**
 * A failure to inject into a function's next invocations (see armFault). `error`: the handler
 * does not run and the invocation fails as a function error (InjectedFault); `timeout`: it does
 * not run and the invocation fails as a timeout once the function's timeout has passed;
 * `crash-after-success`: it runs and succeeds, then its runtime crashes before answering
 * (Runtime.ExitError), so the work is done but the caller sees a failure.
 */
export type FaultMode = 'error' | 'timeout' | 'crash-after-success';
export const FAULT_MODES: readonly FaultMode[] = ['error', 'timeout', 'crash-after-success'];
/** The most invocations one armFault may affect. */
export const MAX_FAULT_COUNT = 100;

export interface FaultSpec {
  mode: FaultMode;
  /** How many of the function's next invocations it affects, 1 to 100. Default 1. */
  count?: number;
  /**
   * Only invocations whose event has this top-level `orderId` (a saga step's input): a test can
   * fail one order's step while other orders run through the same function untouched.
   */
  orderId?: string;
}

/** A fault still armed: `remaining` of its invocations are yet to come. */
export interface ArmedFault {
  function: string;
  mode: FaultMode;
  remaining: number;
  orderId?: string;
}

export interface InvocationStats {
  /** Invocations that reached an environment (throttled and refused calls are not invocations). */
  count: number;
  /** Of those, the ones that failed: the handler threw, timed out or crashed. */
  errors: number;
  /** Calls refused because the function was at its concurrency limit. */
  throttles: number;
  /** Invocations an armed fault failed (counted in `errors` too). */
  faults: number;
  /** Execution environments alive now. */
  environments: number;
  /** Module-init time of the latest cold start. */
  initMs?: number;
}

export const DEFAULT_CONCURRENCY_LIMIT = 10;
/** Lambda quotas, "Invocation payload (request and response)": 6 MB each, synchronous. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
/** The response limit as Lambda enforces it (its error message names 6291556 bytes). */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** The execution environment lifecycle: the Init phase is limited to 10 seconds. */
const INIT_LIMIT_MS = 10_000;

interface Injection {
  error: InvokeError;
  remaining: number;
}

interface Fault {
  mode: FaultMode;
  remaining: number;
  orderId?: string;
}

/** A `timeout` fault waiting out the function's timeout (no environment involved). */
interface Hanging {
  timer: NodeJS.Timeout;
  settle: (result: InvokeResult) => void;
}

interface Running {
  requestId: string;
  settle: (result: InvokeResult) => void;
  /** The handler started: the Invoke phase, which the function's timeout limits, begins. */
  invoke: () => void;
}

interface Environment {
  worker: Worker;
  /** Its first Init is over (the module loaded, or failed to). */
  initialized: boolean;
  /** The one invocation it is serving. */
  running?: Running;
  /** Timed out, crashed or stopped: never given another invocation. */
  gone: boolean;
}

interface Pool {
  all: Set<Environment>;
  /** Warm and free, the most recently used last. */
  idle: Environment[];
  /** Environments still in their first Init. */
  initializing: number;
  /** Invocations admitted (within the concurrency limit) and not yet answered. */
  inFlight: number;
  /** Admitted invocations waiting for an environment (only while cold starts are bounded). */
  waiting: ((environment: Environment | undefined) => void)[];
}

interface WorkerMessage {
  id?: string;
  ok: boolean;
  payload?: string;
  error?: InvokeError;
  initMs?: number;
  /** The environment is exiting after this message (an uncaught exception or rejection). */
  fatal?: boolean;
  /** Init is done and the handler is starting. */
  started?: boolean;
}

export class LambdaRuntime {
  private readonly functions = new Map<string, FunctionDefinition>();
  private readonly pools = new Map<string, Pool>();
  private readonly injected = new Map<string, Injection[]>();
  /** Armed faults per function name, in arming order. */
  private readonly faults = new Map<string, Fault[]>();
  private readonly hanging = new Set<Hanging>();
  private readonly logs = new Map<string, WriteStream>();
  private readonly concurrencyLimit: number;
  private readonly concurrentColdStarts: number;
  private stopped = false;
  readonly invocations = new Map<string, InvocationStats>();

  constructor(
    private readonly logDir: string,
    private readonly echo: ((fn: string, line: string) => void) | undefined,
    options: LambdaRuntimeOptions = {},
  ) {
    mkdirSync(logDir, { recursive: true });
    this.concurrencyLimit = options.concurrencyLimit ?? DEFAULT_CONCURRENCY_LIMIT;
    this.concurrentColdStarts = options.concurrentColdStarts ?? Number.POSITIVE_INFINITY;
  }

  register(definition: FunctionDefinition): void {
    this.functions.set(definition.name, definition);
    this.functions.set(definition.arn, definition);
    this.invocations.set(definition.name, { count: 0, errors: 0, throttles: 0, faults: 0, environments: 0 });
  }

  list(): FunctionDefinition[] {
    return [...new Set(this.functions.values())];
  }

  find(nameOrArn: string): FunctionDefinition | undefined {
    // Qualified ARNs (":$LATEST", aliases) and partial names resolve to the function itself.
    const direct = this.functions.get(nameOrArn);
    if (direct) return direct;
    const unqualified = nameOrArn.replace(/:(\$LATEST|[A-Za-z0-9_-]+)$/, '');
    return this.functions.get(unqualified);
  }

  /**
   * Makes the next `times` invocations of a function fail as the Invoke API would with
   * `errorType` (kind 'service', no handler runs), so a caller's retry path can be exercised.
   */
  injectServiceError(nameOrArn: string, failure: InjectedServiceError): void {
    const fn = this.find(nameOrArn);
    if (!fn) throw new Error(`injectServiceError: no function ${nameOrArn}`);
    const error: InvokeError = {
      errorType: failure.errorType,
      errorMessage: failure.errorMessage ?? `${failure.errorType} (injected)`,
    };
    const reason =
      failure.reason ?? (failure.errorType === 'TooManyRequestsException' ? throttleReason(fn) : undefined);
    if (reason) error.reason = reason;
    const queue = this.injected.get(fn.name) ?? [];
    queue.push({ error, remaining: failure.times ?? 1 });
    this.injected.set(fn.name, queue);
  }

  /**
   * Arms a fault for the next `count` invocations of a function (see FaultMode). Faults of one
   * function queue in arming order, each spent one invocation at a time; they apply to
   * invocations only, after the Invoke API has admitted them (a throttled or refused call spends
   * none), and after any injected service error.
   */
  armFault(nameOrArn: string, spec: FaultSpec): ArmedFault {
    const fn = this.find(nameOrArn);
    if (!fn) throw new Error(`armFault: no function ${nameOrArn}`);
    if (!FAULT_MODES.includes(spec.mode)) throw new Error(`armFault: unknown mode ${String(spec.mode)}`);
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_FAULT_COUNT)
      throw new RangeError(`armFault: count must be an integer from 1 to ${MAX_FAULT_COUNT}`);
    const queue = this.faults.get(fn.name) ?? [];
    const fault: Fault = { mode: spec.mode, remaining: count };
    if (spec.orderId !== undefined) fault.orderId = spec.orderId;
    queue.push(fault);
    this.faults.set(fn.name, queue);
    return { function: fn.name, ...fault };
  }

  /** Drops every armed fault (invocations a fault already affects still end as it says). */
  clearFaults(): void {
    this.faults.clear();
  }

  /** The faults still armed, per function in arming order. */
  armedFaults(): ArmedFault[] {
    return [...this.faults].flatMap(([name, queue]) => queue.map((fault) => ({ function: name, ...fault })));
  }

  async invoke(nameOrArn: string, event: unknown): Promise<InvokeResult> {
    const fn = this.find(nameOrArn);
    if (!fn) return refused('ResourceNotFoundException', `Function not found: ${nameOrArn}`);
    if (this.stopped) return refused('ServiceException', 'The local Lambda runtime is stopped');
    const injected = this.takeInjected(fn);
    if (injected) return { ok: false, kind: 'service', error: injected };

    // Lambda measures the request as the JSON it receives. No payload becomes {}.
    let payload: string;
    try {
      payload = JSON.stringify(event === undefined ? {} : event);
    } catch (error) {
      return refused('InvalidRequestContentException', `Could not parse request body into json: ${error}`);
    }
    if (Buffer.byteLength(payload) > MAX_REQUEST_BYTES) {
      return refused(
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
      );
    }

    // Concurrency is the invocations in flight; past the limit the call is refused at once.
    const pool = this.pool(fn);
    const stats = this.stats(fn);
    if (pool.inFlight >= (fn.reservedConcurrency ?? this.concurrencyLimit)) {
      stats.throttles++;
      return {
        ok: false,
        kind: 'service',
        error: {
          errorType: 'TooManyRequestsException',
          errorMessage: 'Rate Exceeded.',
          reason: throttleReason(fn),
        },
      };
    }
    // An admitted call is an invocation: the next armed fault is spent on it.
    const fault = this.takeFault(fn, payload);
    if (fault === 'error') {
      stats.count++;
      stats.errors++;
      stats.faults++;
      return {
        ok: false,
        kind: 'function',
        error: {
          errorType: 'InjectedFault',
          errorMessage: `Fault injected into ${fn.name}: mode error (the handler did not run)`,
        },
      };
    }
    if (fault === 'timeout') {
      stats.count++;
      stats.faults++;
      return this.hang(fn);
    }
    pool.inFlight++;
    try {
      const environment =
        this.acquire(fn) ??
        (await new Promise<Environment | undefined>((resolve) => pool.waiting.push(resolve)));
      if (!environment) return refused('ServiceException', 'The local Lambda runtime is stopped');
      stats.count++;
      return await this.run(fn, environment, payload, fault === 'crash-after-success');
    } finally {
      pool.inFlight--;
    }
  }

  /**
   * A `timeout` fault: the invocation fails as a real timeout does once the function's timeout
   * has passed. Only a timer waits: no environment is held and no concurrency used, so other
   * invocations of the function go on meanwhile.
   */
  private hang(fn: FunctionDefinition): Promise<InvokeResult> {
    return new Promise((resolve) => {
      const hanging: Hanging = {
        settle: (result) => {
          clearTimeout(hanging.timer);
          this.hanging.delete(hanging);
          if (!result.ok) this.stats(fn).errors++;
          resolve(result);
        },
        timer: setTimeout(
          () =>
            hanging.settle({
              ok: false,
              kind: 'timeout',
              error: {
                errorType: 'Sandbox.Timedout',
                errorMessage: `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
              },
            }),
          fn.timeoutSeconds * 1000,
        ),
      };
      this.hanging.add(hanging);
    });
  }

  /**
   * Runs one invocation in an environment, from dispatch to its answer, timeout or crash. With
   * `crashAfterSuccess` (a fault) a successful answer is replaced by the crash of the runtime.
   */
  private run(
    fn: FunctionDefinition,
    environment: Environment,
    payload: string,
    crashAfterSuccess = false,
  ): Promise<InvokeResult> {
    const pool = this.pool(fn);
    const stats = this.stats(fn);
    const requestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let invoking = false;
      const settle = (answer: InvokeResult) => {
        if (environment.running?.requestId !== requestId) return;
        clearTimeout(timer);
        environment.running = undefined;
        let result = answer;
        if (crashAfterSuccess && result.ok && !environment.gone) {
          // Discarded before it could rejoin the idle pool: a crashed process is not reused.
          this.discard(fn, environment);
          stats.faults++;
          result = {
            ok: false,
            kind: 'function',
            error: {
              errorType: 'Runtime.ExitError',
              errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 1 (fault injected into ${fn.name}: mode crash-after-success, after the handler succeeded)`,
            },
          };
        }
        if (!result.ok) stats.errors++;
        if (!environment.gone) pool.idle.push(environment);
        this.serveWaiting(fn);
        resolve(result);
      };
      // The timeout limits the Invoke phase only: a cold start's Init (the module import) has a
      // 10 s limit of its own, past which the rest of it counts toward the timeout, as Lambda
      // then retries Init within the invocation.
      const invoke = () => {
        if (invoking) return;
        invoking = true;
        clearTimeout(timer);
        timer = setTimeout(() => {
          // A timed-out environment is reset, as Lambda does; the pool's other environments go on.
          this.discard(fn, environment);
          settle({
            ok: false,
            kind: 'timeout',
            error: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
            },
          });
        }, timeoutMs);
      };
      timer = setTimeout(invoke, INIT_LIMIT_MS);
      environment.running = { requestId, settle, invoke };
      environment.worker.postMessage({ id: requestId, payload, timeoutMs });
    });
  }

  /** A warm idle environment, else a new one unless too many are in their Init already. */
  private acquire(fn: FunctionDefinition): Environment | undefined {
    const pool = this.pool(fn);
    return pool.idle.pop() ?? (pool.initializing < this.concurrentColdStarts ? this.spawn(fn) : undefined);
  }

  /** Hands freed or new environments to admitted invocations that wait for one. */
  private serveWaiting(fn: FunctionDefinition): void {
    const pool = this.pool(fn);
    while (pool.waiting.length > 0) {
      if (this.stopped) {
        for (const resolve of pool.waiting.splice(0)) resolve(undefined);
        return;
      }
      const environment = this.acquire(fn);
      if (!environment) return;
      pool.waiting.shift()?.(environment);
    }
  }

  private takeInjected(fn: FunctionDefinition): InvokeError | undefined {
    const queue = this.injected.get(fn.name);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    if (--next.remaining <= 0) queue.shift();
    return { ...next.error };
  }

  /** The first armed fault that applies to this invocation, spent on it. */
  private takeFault(fn: FunctionDefinition, payload: string): FaultMode | undefined {
    const queue = this.faults.get(fn.name);
    if (!queue || queue.length === 0) return undefined;
    let orderId: unknown;
    if (queue.some((f) => f.orderId !== undefined)) {
      try {
        orderId = (JSON.parse(payload) as { orderId?: unknown } | null)?.orderId;
      } catch {
        orderId = undefined;
      }
    }
    const at = queue.findIndex((f) => f.orderId === undefined || f.orderId === orderId);
    const next = queue[at];
    if (!next) return undefined;
    if (--next.remaining <= 0) queue.splice(at, 1);
    if (queue.length === 0) this.faults.delete(fn.name);
    return next.mode;
  }

  private spawn(fn: FunctionDefinition): Environment {
    const worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      workerData: {
        codeDir: fn.codeDir,
        handler: fn.handler,
        functionName: fn.name,
        memoryMb: fn.memoryMb,
        functionArn: fn.arn,
      },
      env: fn.env,
      stdout: true,
      stderr: true,
      // The bundles are plain ESM: the parent's tsx loader is not needed (nor wanted) in them.
      execArgv: ['--enable-source-maps'],
    });
    const environment: Environment = { worker, initialized: false, gone: false };
    const pool = this.pool(fn);
    pool.all.add(environment);
    pool.initializing++;
    this.stats(fn).environments = pool.all.size;
    const log = this.logStream(fn.name);
    const forward = (chunk: Buffer) => {
      log.write(chunk);
      if (this.echo)
        for (const line of chunk.toString().split('\n')) if (line.trim()) this.echo(fn.name, line);
    };
    worker.stdout.on('data', forward);
    worker.stderr.on('data', forward);
    worker.on('message', (message: WorkerMessage) => {
      if (message.initMs !== undefined) this.stats(fn).initMs = message.initMs;
      this.initialized(fn, environment);
      // The Node.js runtime reports an uncaught exception or rejection as the failure of the
      // invocation in progress, then exits: the environment is not reused.
      if (message.fatal) this.discard(fn, environment);
      const running = environment.running;
      if (!running || running.requestId !== message.id) return;
      if (message.started) {
        running.invoke();
        return;
      }
      running.settle(
        message.ok ? parseResponse(message.payload) : { ok: false, kind: 'function', error: error(message) },
      );
    });
    worker.on('error', (failure) => {
      log.write(`execution environment failed: ${failure.stack ?? failure}\n`);
      this.discard(fn, environment);
      environment.running?.settle({
        ok: false,
        kind: 'function',
        error: { errorType: failure.name || 'Error', errorMessage: String(failure.message) },
      });
    });
    worker.on('exit', (code) => {
      this.discard(fn, environment);
      const running = environment.running;
      if (!running) return;
      running.settle({
        ok: false,
        kind: 'function',
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${running.requestId} Error: ${
            code === 0
              ? 'Runtime exited without providing a reason'
              : `Runtime exited with error: exit status ${code}`
          }`,
        },
      });
    });
    worker.unref();
    return environment;
  }

  /** Ends an environment's first Init, which frees a cold-start slot. */
  private initialized(fn: FunctionDefinition, environment: Environment): void {
    if (environment.initialized) return;
    environment.initialized = true;
    this.pool(fn).initializing--;
    this.serveWaiting(fn);
  }

  /** Takes an environment out of its pool for good and ends its worker. */
  private discard(fn: FunctionDefinition, environment: Environment): void {
    if (environment.gone) return;
    environment.gone = true;
    const pool = this.pool(fn);
    pool.all.delete(environment);
    const at = pool.idle.indexOf(environment);
    if (at >= 0) pool.idle.splice(at, 1);
    this.stats(fn).environments = pool.all.size;
    void environment.worker.terminate();
    this.initialized(fn, environment);
  }

  private pool(fn: FunctionDefinition): Pool {
    let pool = this.pools.get(fn.name);
    if (!pool) {
      pool = { all: new Set(), idle: [], initializing: 0, inFlight: 0, waiting: [] };
      this.pools.set(fn.name, pool);
    }
    return pool;
  }

  private stats(fn: FunctionDefinition): InvocationStats {
    let stats = this.invocations.get(fn.name);
    if (!stats) {
      stats = { count: 0, errors: 0, throttles: 0, faults: 0, environments: 0 };
      this.invocations.set(fn.name, stats);
    }
    return stats;
  }

  private logStream(name: string): WriteStream {
    let stream = this.logs.get(name);
    if (!stream) {
      stream = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
      this.logs.set(name, stream);
    }
    return stream;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const pools = [...this.pools.values()];
    for (const pool of pools) for (const resolve of pool.waiting.splice(0)) resolve(undefined);
    // Fault timeouts still waiting end as the invocations in flight do: their runtime went away.
    for (const hanging of [...this.hanging]) {
      hanging.settle({
        ok: false,
        kind: 'function',
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: 'Error: Runtime exited without providing a reason (the local Lambda runtime stopped)',
        },
      });
    }
    // Invocations still in flight end as Runtime.ExitError when their worker exits.
    await Promise.all(pools.flatMap((pool) => [...pool.all].map((e) => e.worker.terminate())));
    for (const stream of this.logs.values()) stream.end();
  }
}

/** The Reason Lambda gives a throttle: the function's own reserved limit, or the shared pool's. */
function throttleReason(fn: FunctionDefinition): string {
  return fn.reservedConcurrency === undefined
    ? 'ConcurrentInvocationLimitExceeded'
    : 'ReservedFunctionConcurrentInvocationLimitExceeded';
}

function refused(errorType: string, errorMessage: string): InvokeResult {
  return { ok: false, kind: 'service', error: { errorType, errorMessage } };
}

function parseResponse(payload: string | undefined): InvokeResult {
  return { ok: true, result: payload === undefined ? null : JSON.parse(payload) };
}

function error(message: WorkerMessage): InvokeError {
  return message.error ?? { errorType: 'Error', errorMessage: 'unknown failure' };
}
