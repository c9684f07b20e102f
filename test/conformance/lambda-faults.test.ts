/**
 * Faults armed in the local Lambda runtime (LambdaRuntime.armFault), each failing an invocation
 * the way AWS Lambda fails one for real: a function error, a timeout ("Task timed out after N.00
 * seconds", the environment untouched here since none ran), and a runtime that exits after its
 * handler did its work (Runtime.ExitError, the environment not reused). The handler records
 * every run in a file, so a test sees whether it ran.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionDefinition,
  type InvokeResult,
  LambdaRuntime,
} from '../../local/runtime/lambda-runtime.ts';
import { StepFunctions } from '../../local/runtime/step-functions.ts';
import { freePort } from '../../local/support.ts';

const HANDLER = `
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const environment = randomUUID();
let invocations = 0;

export const handler = async (event) => {
  invocations++;
  await sleep(event.ms ?? 0);
  appendFileSync(process.env.RAN_FILE, event.id + '\\n');
  return { id: event.id, environment, invocations };
};
`;

interface Reply {
  id: string;
  environment: string;
  invocations: number;
}

let dir: string;
let started: LambdaRuntime[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-faults-'));
});
afterEach(async () => {
  await Promise.all(started.map((runtime) => runtime.stop()));
  started = [];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(
  name: string,
  overrides: Partial<FunctionDefinition> = {},
): { lambda: LambdaRuntime; fn: FunctionDefinition; ran: () => string[] } {
  const codeDir = join(dir, name);
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, 'index.mjs'), HANDLER);
  const ranFile = join(codeDir, 'ran.txt');
  writeFileSync(ranFile, '');
  const fn: FunctionDefinition = {
    logicalId: name,
    name,
    arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    codeDir,
    handler: 'index.handler',
    env: { RAN_FILE: ranFile },
    timeoutSeconds: 1,
    memoryMb: 128,
    ...overrides,
  };
  const lambda = new LambdaRuntime(join(dir, 'logs'), undefined);
  started.push(lambda);
  lambda.register(fn);
  return { lambda, fn, ran: () => readFileSync(ranFile, 'utf8').split('\n').filter(Boolean) };
}

function reply(result: InvokeResult): Reply {
  if (!result.ok) throw new Error(`${result.kind}: ${result.error.errorType}: ${result.error.errorMessage}`);
  return result.result as Reply;
}

describe('fault mode error', () => {
  it('fails the invocation as a function error without running the handler', async () => {
    const { lambda, fn, ran } = setup('error');
    expect(lambda.armFault(fn.name, { mode: 'error' })).toEqual({
      function: fn.name,
      mode: 'error',
      remaining: 1,
    });
    const failed = await lambda.invoke(fn.name, { id: 'a' });
    expect(failed).toMatchObject({ ok: false, kind: 'function', error: { errorType: 'InjectedFault' } });
    expect(failed.ok ? '' : failed.error.errorMessage).toMatch(new RegExp(`${fn.name}.*error`));
    expect(ran()).toEqual([]);
    // The fault is spent: the next invocation runs, in the function's first environment.
    expect(reply(await lambda.invoke(fn.name, { id: 'b' })).invocations).toBe(1);
    expect(ran()).toEqual(['b']);
    expect(lambda.invocations.get(fn.name)).toMatchObject({ count: 2, errors: 1, faults: 1 });
    expect(lambda.armedFaults()).toEqual([]);
  });
});

describe('fault mode timeout', () => {
  it('fails as a real timeout after the function timeout, without running the handler or holding concurrency', async () => {
    // Reserved concurrency 1: were the hanging invocation holding it, the bystander would throttle.
    const { lambda, fn, ran } = setup('timeout', { timeoutSeconds: 1, reservedConcurrency: 1 });
    lambda.armFault(fn.arn, { mode: 'timeout' });
    const start = performance.now();
    const hung = lambda.invoke(fn.name, { id: 'hung' });
    const bystander = reply(await lambda.invoke(fn.name, { id: 'bystander' }));
    expect(bystander.invocations).toBe(1);
    const timedOut = await hung;
    const elapsed = performance.now() - start;
    expect(timedOut).toEqual({
      ok: false,
      kind: 'timeout',
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2000);
    expect(ran()).toEqual(['bystander']);
    // No environment was involved: the warm one serves the next invocation.
    expect(reply(await lambda.invoke(fn.name, { id: 'next' }))).toMatchObject({
      environment: bystander.environment,
      invocations: 2,
    });
    expect(lambda.invocations.get(fn.name)).toMatchObject({ count: 3, errors: 1, faults: 1 });
  });

  it('ends a waiting timeout when the runtime stops', async () => {
    const { lambda, fn } = setup('timeout-stop', { timeoutSeconds: 30 });
    lambda.armFault(fn.name, { mode: 'timeout' });
    const hung = lambda.invoke(fn.name, { id: 'hung' });
    await lambda.stop();
    expect(await hung).toMatchObject({
      ok: false,
      kind: 'function',
      error: { errorType: 'Runtime.ExitError' },
    });
  });
});

describe('fault mode crash-after-success', () => {
  it('runs the handler, then fails as Runtime.ExitError and discards the environment', async () => {
    const { lambda, fn, ran } = setup('crash');
    const warm = reply(await lambda.invoke(fn.name, { id: 'warm' }));
    lambda.armFault(fn.name, { mode: 'crash-after-success' });
    const crashed = await lambda.invoke(fn.name, { id: 'crash' });
    expect(crashed).toMatchObject({ ok: false, kind: 'function', error: { errorType: 'Runtime.ExitError' } });
    expect(crashed.ok ? '' : crashed.error.errorMessage).toMatch(/^RequestId: \S+ Error: Runtime exited/);
    // The handler did its work before the crash.
    expect(ran()).toEqual(['warm', 'crash']);
    expect(lambda.invocations.get(fn.name)).toMatchObject({ environments: 0 });
    // A crashed process is not reused: the next invocation starts cold, and succeeds.
    const next = reply(await lambda.invoke(fn.name, { id: 'next' }));
    expect(next.environment).not.toBe(warm.environment);
    expect(next.invocations).toBe(1);
    expect(lambda.invocations.get(fn.name)).toMatchObject({
      count: 3,
      errors: 1,
      faults: 1,
      environments: 1,
    });
  });
});

describe('fault counts and order', () => {
  it('affects exactly `count` invocations', async () => {
    const { lambda, fn, ran } = setup('count');
    lambda.armFault(fn.name, { mode: 'error', count: 2 });
    const results = [];
    for (const id of ['a', 'b', 'c']) results.push(await lambda.invoke(fn.name, { id }));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.errorType))).toEqual([
      'InjectedFault',
      'InjectedFault',
      'ok',
    ]);
    expect(ran()).toEqual(['c']);
  });

  it('queues faults armed for one function in arming order, and clears them all', async () => {
    const { lambda, fn, ran } = setup('queue');
    lambda.armFault(fn.name, { mode: 'error' });
    lambda.armFault(fn.name, { mode: 'crash-after-success', count: 2 });
    expect(lambda.armedFaults()).toEqual([
      { function: fn.name, mode: 'error', remaining: 1 },
      { function: fn.name, mode: 'crash-after-success', remaining: 2 },
    ]);
    expect(await lambda.invoke(fn.name, { id: 'a' })).toMatchObject({
      error: { errorType: 'InjectedFault' },
    });
    expect(await lambda.invoke(fn.name, { id: 'b' })).toMatchObject({
      error: { errorType: 'Runtime.ExitError' },
    });
    expect(lambda.armedFaults()).toEqual([{ function: fn.name, mode: 'crash-after-success', remaining: 1 }]);

    lambda.clearFaults();
    expect(lambda.armedFaults()).toEqual([]);
    expect(reply(await lambda.invoke(fn.name, { id: 'c' })).id).toBe('c');
    expect(ran()).toEqual(['b', 'c']);
  });

  it('are spent only on invocations: a throttled or refused call leaves them armed', async () => {
    const { lambda, fn } = setup('admitted', { reservedConcurrency: 0 });
    lambda.armFault(fn.name, { mode: 'error' });
    expect(await lambda.invoke(fn.name, { id: 'a' })).toMatchObject({
      kind: 'service',
      error: { errorType: 'TooManyRequestsException' },
    });
    const other = setup('admitted-service');
    other.lambda.armFault(other.fn.name, { mode: 'error' });
    other.lambda.injectServiceError(other.fn.name, { errorType: 'ServiceException' });
    expect(await other.lambda.invoke(other.fn.name, { id: 'a' })).toMatchObject({ kind: 'service' });
    expect(await other.lambda.invoke(other.fn.name, { id: 'b' })).toMatchObject({
      kind: 'function',
      error: { errorType: 'InjectedFault' },
    });
    expect(lambda.armedFaults()).toHaveLength(1);
  });

  it('refuses an unknown function or a count outside 1..100', () => {
    const { lambda, fn } = setup('refused');
    expect(() => lambda.armFault('no-such-function', { mode: 'error' })).toThrow(/no-such-function/);
    for (const count of [0, 101, 1.5])
      expect(() => lambda.armFault(fn.name, { mode: 'error', count })).toThrow(/count/);
    expect(lambda.armedFaults()).toEqual([]);
  });
});

describe('faults as Step Functions sees them', () => {
  // The Task state's error is what the local engine makes of each failure (docs/local-cloud.md):
  // a function error's errorType, Lambda.Unknown for a timeout (Lambda returns no errorType).
  it('fail a Lambda Task with InjectedFault, Lambda.Unknown and Runtime.ExitError', async () => {
    const { lambda, fn, ran } = setup('saga-step');
    const port = await freePort();
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    // A Lambda-only machine: the engine's AWS clients (moto) are never called.
    const sfn = new StepFunctions({
      port,
      runtime: lambda,
      awsEndpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      sqs: new SQSClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials }),
      log: () => {},
    });
    const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:faults';
    sfn.register({
      arn: stateMachineArn,
      name: 'faults',
      type: 'STANDARD',
      definition: {
        StartAt: 'AuthorizePayment',
        States: { AuthorizePayment: { Type: 'Task', Resource: fn.arn, End: true } },
      },
    });
    await sfn.start();
    const client = new SFNClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials });
    try {
      const errors: (string | undefined)[] = [];
      for (const mode of ['error', 'timeout', 'crash-after-success'] as const) {
        lambda.armFault(fn.name, { mode });
        const { executionArn } = await client.send(
          new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ id: mode }) }),
        );
        for (;;) {
          const described = await client.send(new DescribeExecutionCommand({ executionArn }));
          if (described.status !== 'RUNNING') {
            expect(described.status).toBe('FAILED');
            errors.push(described.error);
            break;
          }
          await sleep(50);
        }
      }
      expect(errors).toEqual(['InjectedFault', 'Lambda.Unknown', 'Runtime.ExitError']);
      expect(ran()).toEqual(['crash-after-success']);
    } finally {
      client.destroy();
      await sfn.stop();
    }
  });
});
