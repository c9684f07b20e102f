/**
 * Plays Lambda: each function runs in its own worker thread (its own process.env and module
 * scope, so clients made at cold start are reused as in a warm Lambda), invoked with the event
 * shapes the AWS services send.
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
}

export interface InvokeError {
  errorType: string;
  errorMessage: string;
  stack?: string[];
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

interface Pending {
  resolve: (result: InvokeResult) => void;
  timer: NodeJS.Timeout;
}

interface Instance {
  worker: Worker;
  pending: Map<string, Pending>;
}

export class LambdaRuntime {
  private readonly functions = new Map<string, FunctionDefinition>();
  private readonly instances = new Map<string, Instance>();
  private readonly logs = new Map<string, WriteStream>();
  readonly invocations = new Map<string, { count: number; errors: number; initMs?: number }>();

  constructor(
    private readonly logDir: string,
    private readonly echo: ((fn: string, line: string) => void) | undefined,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  register(definition: FunctionDefinition): void {
    this.functions.set(definition.name, definition);
    this.functions.set(definition.arn, definition);
    this.invocations.set(definition.name, { count: 0, errors: 0 });
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

  invoke(nameOrArn: string, event: unknown): Promise<InvokeResult> {
    const fn = this.find(nameOrArn);
    if (!fn) {
      return Promise.resolve({
        ok: false,
        kind: 'service',
        error: { errorType: 'ResourceNotFoundException', errorMessage: `Function not found: ${nameOrArn}` },
      });
    }
    const instance = this.instance(fn);
    const id = randomUUID();
    const stats = this.invocations.get(fn.name) ?? { count: 0, errors: 0 };
    stats.count++;
    this.invocations.set(fn.name, stats);
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        instance.pending.delete(id);
        stats.errors++;
        // A timed-out environment is discarded, as Lambda does; the next call starts cold.
        this.discard(fn.name);
        resolve({
          ok: false,
          kind: 'timeout',
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${fn.timeoutSeconds}.00 seconds`,
          },
        });
      }, fn.timeoutSeconds * 1000);
      instance.pending.set(id, {
        timer,
        resolve: (result) => {
          if (!result.ok) stats.errors++;
          resolve(result);
        },
      });
      instance.worker.postMessage({ id, event, requestId: id, deadline });
    });
  }

  private instance(fn: FunctionDefinition): Instance {
    const existing = this.instances.get(fn.name);
    if (existing) return existing;
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
    const instance: Instance = { worker, pending: new Map() };
    const log = this.logStream(fn.name);
    const forward = (chunk: Buffer) => {
      log.write(chunk);
      if (this.echo)
        for (const line of chunk.toString().split('\n')) if (line.trim()) this.echo(fn.name, line);
    };
    worker.stdout.on('data', forward);
    worker.stderr.on('data', forward);
    worker.on(
      'message',
      (message: { id: string; ok: boolean; result?: unknown; error?: InvokeError; initMs?: number }) => {
        const pending = instance.pending.get(message.id);
        if (!pending) return;
        instance.pending.delete(message.id);
        clearTimeout(pending.timer);
        const stats = this.invocations.get(fn.name);
        if (stats && message.initMs !== undefined) stats.initMs = message.initMs;
        pending.resolve(
          message.ok
            ? { ok: true, result: message.result }
            : { ok: false, kind: 'function', error: message.error as InvokeError },
        );
      },
    );
    worker.on('error', (error) => {
      log.write(`worker crashed: ${error.stack ?? error}\n`);
      this.failAll(instance, { errorType: 'Runtime.ExitError', errorMessage: String(error.message) });
      this.instances.delete(fn.name);
    });
    worker.on('exit', () => {
      this.failAll(instance, { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited' });
      if (this.instances.get(fn.name) === instance) this.instances.delete(fn.name);
    });
    worker.unref();
    this.instances.set(fn.name, instance);
    return instance;
  }

  private failAll(instance: Instance, error: InvokeError): void {
    for (const [id, pending] of instance.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, kind: 'function', error });
      instance.pending.delete(id);
    }
  }

  private discard(name: string): void {
    const instance = this.instances.get(name);
    if (!instance) return;
    this.instances.delete(name);
    void instance.worker.terminate();
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
    await Promise.all([...this.instances.values()].map((i) => i.worker.terminate()));
    this.instances.clear();
    for (const stream of this.logs.values()) stream.end();
  }
}
