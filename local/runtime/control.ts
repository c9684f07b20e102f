/**
 * The local cloud's control endpoint, on 127.0.0.1 only: arms faults in saga steps and functions
 * (LambdaRuntime.armFault) for the stage-local `POST/DELETE /dev/faults` route, whose function
 * reaches it through LOCAL_CONTROL_URL. Nothing of it exists in a deployed stage.
 *
 *   POST   /_local/faults  { step, mode, count?, orderId? }  201 { step, function, mode, count, orderId? }
 *   DELETE /_local/faults                          204, every fault cleared
 *   GET    /_local/faults                          200 { faults: [{ function, mode, remaining }] }
 *
 * Errors are JSON `{ error }`: 400 for a bad body, 404 for an unknown step, 409 for a name that
 * matches several functions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAULT_MODES,
  type FaultMode,
  type FunctionDefinition,
  type LambdaRuntime,
  MAX_FAULT_COUNT,
} from './lambda-runtime.ts';
import type { StateMachineDefinition } from './step-functions.ts';

export const FAULTS_PATH = '/_local/faults';
const MAX_BODY_BYTES = 16 * 1024;

export interface ControlServerOptions {
  runtime: LambdaRuntime;
  /** Read on every request: step names resolve against the deployment as it is then. */
  stateMachines: () => readonly StateMachineDefinition[];
  /** Default 0: any free port. */
  port?: number;
}

export type StepResolution =
  | { ok: true; function: FunctionDefinition }
  | { ok: false; status: 404 | 409; error: string };

/**
 * The function a step names: first a Lambda Task state of that name in any state machine (its
 * Resource a function ARN, or lambda:invoke with a literal FunctionName), in deployment order;
 * else a function's physical name or ARN; else the function whose logical id is the name plus
 * CDK's 8-character hash, else the one function whose logical id starts with the name.
 */
export function resolveStep(
  step: string,
  stateMachines: readonly StateMachineDefinition[],
  runtime: Pick<LambdaRuntime, 'find' | 'list'>,
): StepResolution {
  for (const machine of stateMachines) {
    const target = lambdaTaskTarget(machine.definition, step);
    if (target === undefined) continue;
    const fn = runtime.find(target);
    if (fn) return { ok: true, function: fn };
  }
  const named = runtime.find(step);
  if (named) return { ok: true, function: named };
  const functions = runtime.list();
  const exact = functions.find((fn) => fn.logicalId === step || hashed(fn.logicalId) === step);
  if (exact) return { ok: true, function: exact };
  const prefixed = functions.filter((fn) => fn.logicalId.startsWith(step));
  const [only] = prefixed;
  if (only && prefixed.length === 1) return { ok: true, function: only };
  if (prefixed.length > 1) {
    return {
      ok: false,
      status: 409,
      error: `'${step}' matches several functions: ${prefixed.map((fn) => fn.logicalId).join(', ')}`,
    };
  }
  return { ok: false, status: 404, error: `No saga step or function named '${step}'` };
}

/** A logical id without the 8 hex digits CDK appends to the construct path. */
function hashed(logicalId: string): string | undefined {
  return /^(.+)[0-9A-F]{8}$/.exec(logicalId)?.[1];
}

/** The function a Lambda Task state named `step` invokes, searched through Parallel and Map too. */
function lambdaTaskTarget(definition: Record<string, unknown>, step: string): string | undefined {
  const states = definition.States;
  if (!isObject(states)) return undefined;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    if (name === step && state.Type === 'Task') {
      const target = taskFunction(state);
      if (target) return target;
    }
    const nested = [
      ...(Array.isArray(state.Branches) ? state.Branches : []),
      state.ItemProcessor,
      state.Iterator,
    ];
    for (const branch of nested) {
      if (!isObject(branch)) continue;
      const found = lambdaTaskTarget(branch, step);
      if (found) return found;
    }
  }
  return undefined;
}

function taskFunction(state: Record<string, unknown>): string | undefined {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  if (/^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(resource)) return resource;
  // A FunctionName.$ path is known only at run time: such a state names no one function.
  if (/^arn:aws[\w-]*:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) {
    const parameters = state.Parameters;
    if (isObject(parameters) && typeof parameters.FunctionName === 'string') return parameters.FunctionName;
  }
  return undefined;
}

interface FaultRequest {
  step: string;
  mode: FaultMode;
  count: number;
  orderId?: string;
}

/** The body of POST /_local/faults, or the reason it is not one. */
export function parseFaultRequest(body: unknown): FaultRequest | string {
  if (!isObject(body)) return 'The body must be a JSON object { step, mode, count?, orderId? }.';
  const unknown = Object.keys(body).filter((key) => !['step', 'mode', 'count', 'orderId'].includes(key));
  if (unknown.length > 0) return `Unknown field(s): ${unknown.join(', ')}.`;
  const { step, mode, count = 1, orderId } = body;
  if (typeof step !== 'string' || step.length < 1 || step.length > 256)
    return '`step` must be a state or function name (1-256 characters).';
  if (!FAULT_MODES.includes(mode as FaultMode)) return `\`mode\` must be one of ${FAULT_MODES.join(', ')}.`;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_FAULT_COUNT)
    return `\`count\` must be an integer from 1 to ${MAX_FAULT_COUNT}.`;
  if (orderId !== undefined && (typeof orderId !== 'string' || orderId.length < 1 || orderId.length > 128))
    return '`orderId` must be an order id (1-128 characters).';
  const request: FaultRequest = { step, mode: mode as FaultMode, count: count as number };
  if (orderId !== undefined) request.orderId = orderId;
  return request;
}

export class ControlServer {
  private server?: Server;
  private address?: AddressInfo;

  constructor(private readonly options: ControlServerOptions) {}

  get url(): string {
    if (!this.address) throw new Error('the control server is not started');
    return `http://127.0.0.1:${this.address.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.address = server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== FAULTS_PATH) return send(res, 404, { error: `No route ${req.method} ${path}` });
    const { runtime } = this.options;
    switch (req.method) {
      case 'GET':
        return send(res, 200, { faults: runtime.armedFaults() });
      case 'DELETE':
        runtime.clearFaults();
        return send(res, 204);
      case 'POST': {
        const text = await readBody(req);
        if (text === undefined) return send(res, 400, { error: `The body exceeds ${MAX_BODY_BYTES} bytes.` });
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return send(res, 400, { error: 'The body is not valid JSON.' });
        }
        const request = parseFaultRequest(body);
        if (typeof request === 'string') return send(res, 400, { error: request });
        const resolved = resolveStep(request.step, this.options.stateMachines(), runtime);
        if (!resolved.ok) return send(res, resolved.status, { error: resolved.error });
        const { step, ...spec } = request;
        runtime.armFault(resolved.function.name, spec);
        return send(res, 201, { step, function: resolved.function.name, ...spec });
      }
      default:
        res.setHeader('allow', 'GET, POST, DELETE');
        return send(res, 405, { error: `Method ${req.method} not allowed on ${FAULTS_PATH}` });
    }
  }
}

/** The body as text, or undefined past the size limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit, so the answer is not cut off by an unread request.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
