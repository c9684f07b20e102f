/**
 * The local Lambda runtime against the rules of AWS Lambda: one invocation per execution
 * environment, scaling to a concurrency limit and throttling past it, timeouts and crashes that
 * reset only their own environment, the 6 MB payload quotas, and Invoke API failures on demand.
 * Each rule names the AWS documentation page it comes from.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type InvokeResult,
  LambdaRuntime,
  type LambdaRuntimeOptions,
} from '../../local/runtime/lambda-runtime.ts';
import { type LambdaSandbox, lambdaSandbox, type ProbeReply } from './support/lambda-fixtures.ts';

let sandbox: LambdaSandbox;
let started: LambdaRuntime[] = [];

beforeAll(() => {
  sandbox = lambdaSandbox();
});
afterEach(async () => {
  await Promise.all(started.map((runtime) => runtime.stop()));
  started = [];
});
afterAll(() => sandbox.remove());

function runtime(options?: LambdaRuntimeOptions): LambdaRuntime {
  const created = new LambdaRuntime(sandbox.logDir, undefined, options);
  started.push(created);
  return created;
}

function reply(result: InvokeResult): ProbeReply {
  if (!result.ok) throw new Error(`${result.kind}: ${result.error.errorType}: ${result.error.errorMessage}`);
  return result.result as ProbeReply;
}

const MB6 = 6 * 1024 * 1024;

describe('execution environments', () => {
  // "Understanding Lambda function scaling": for each concurrent request Lambda provisions a
  // separate instance of the execution environment, busy until its request is done.
  it('never lets concurrent invocations share a module scope', async () => {
    const lambda = runtime();
    const fn = sandbox.define('isolated');
    lambda.register(fn);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const replies = (await Promise.all(ids.map((id) => lambda.invoke(fn.name, { id, ms: 200 })))).map(reply);
    for (const r of replies) {
      expect(r.seen).toBe(r.id);
      expect(r.invocations).toBe(1);
    }
    expect(new Set(replies.map((r) => r.environment)).size).toBe(ids.length);
  });

  // "Understanding Lambda function scaling" (concurrency beyond the limit is throttled) and
  // "Invoke" (TooManyRequestsException, Reason ConcurrentInvocationLimitExceeded for a function
  // without reserved concurrency). "Understand the Lambda execution environment lifecycle":
  // after an invocation the environment is kept and reused, objects outside the handler intact.
  it('grows to the concurrency limit, throttles the next call at once, and reuses warm environments', async () => {
    const lambda = runtime({ concurrencyLimit: 3 });
    const fn = sandbox.define('capped');
    lambda.register(fn);
    const order: string[] = [];
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) =>
        lambda.invoke(fn.name, { id, ms: 400 }).then((result) => {
          order.push(id);
          return result;
        }),
      ),
    );
    const served = results.slice(0, 3).map(reply);
    expect(new Set(served.map((r) => r.environment)).size).toBe(3);
    expect(results[3]).toMatchObject({
      ok: false,
      kind: 'service',
      error: { errorType: 'TooManyRequestsException', reason: 'ConcurrentInvocationLimitExceeded' },
    });
    // Refused at once, not queued behind the calls in flight.
    expect(order[0]).toBe('d');

    const again = (await Promise.all(['e', 'f', 'g'].map((id) => lambda.invoke(fn.name, { id })))).map(reply);
    expect(new Set(again.map((r) => r.environment))).toEqual(new Set(served.map((r) => r.environment)));
    expect(again.map((r) => r.invocations)).toEqual([2, 2, 2]);
    // A throttled call is not an invocation (CloudWatch counts it under Throttles).
    expect(lambda.invocations.get(fn.name)).toMatchObject({ count: 6, errors: 0, throttles: 1 });
    expect(lambda.invocations.get(fn.name)?.initMs).toEqual(expect.any(Number));
  });

  // "Configuring reserved concurrency for a function": reserved concurrency is the most
  // concurrent instances the function gets, 0 stops it; "Invoke": past it the Reason is
  // ReservedFunctionConcurrentInvocationLimitExceeded.
  it('scales a function with reserved concurrency only that far', async () => {
    const lambda = runtime({ concurrencyLimit: 10 });
    const reserved = sandbox.define('reserved', { reservedConcurrency: 2 });
    const stopped = sandbox.define('stopped', { reservedConcurrency: 0 });
    lambda.register(reserved);
    lambda.register(stopped);
    const results = await Promise.all(
      ['a', 'b', 'c'].map((id) => lambda.invoke(reserved.name, { id, ms: 300 })),
    );
    expect(new Set(results.slice(0, 2).map((r) => reply(r).environment)).size).toBe(2);
    const throttled = {
      ok: false,
      kind: 'service',
      error: {
        errorType: 'TooManyRequestsException',
        reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      },
    };
    expect(results[2]).toMatchObject(throttled);
    expect(await lambda.invoke(stopped.arn, { id: 'x' })).toMatchObject(throttled);
  });
});

describe('paced cold starts', () => {
  // The local cloud bounds how many environments of a function initialize at once (one machine
  // cannot start 49 isolates at once without starving them past their timeouts). The AWS rules
  // still hold: "Understanding Lambda function scaling": concurrency is the number of in-flight
  // requests, each environment serves one request at a time, and past the limit calls throttle.
  it('serve a burst one invocation per environment, waiting for a free one', async () => {
    const lambda = runtime({ concurrencyLimit: 10, concurrentColdStarts: 1 });
    const fn = sandbox.define('paced');
    lambda.register(fn);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const replies = (await Promise.all(ids.map((id) => lambda.invoke(fn.name, { id, ms: 200 })))).map(reply);
    for (const r of replies) expect(r.seen).toBe(r.id);
    // Invocations an environment served follow one another: its counter never repeats.
    for (const environment of new Set(replies.map((r) => r.environment))) {
      const counts = replies.filter((r) => r.environment === environment).map((r) => r.invocations);
      expect(new Set(counts).size).toBe(counts.length);
    }
    expect(lambda.invocations.get(fn.name)).toMatchObject({ count: 5, throttles: 0 });
  });

  it('count the invocations waiting for an environment toward the concurrency limit', async () => {
    const lambda = runtime({ concurrencyLimit: 2, concurrentColdStarts: 1 });
    const fn = sandbox.define('paced-limit');
    lambda.register(fn);
    const results = await Promise.all(['a', 'b', 'c'].map((id) => lambda.invoke(fn.name, { id, ms: 200 })));
    expect(results.slice(0, 2).map((r) => reply(r).seen)).toEqual(['a', 'b']);
    expect(results[2]).toMatchObject({
      ok: false,
      kind: 'service',
      error: { errorType: 'TooManyRequestsException', reason: 'ConcurrentInvocationLimitExceeded' },
    });
  });
});

describe('timeouts', () => {
  // "Understand the Lambda execution environment lifecycle": if the function times out during
  // the Invoke phase, Lambda resets that execution environment; other environments are untouched.
  it('discard only the environment that timed out', async () => {
    const lambda = runtime({ concurrencyLimit: 2 });
    const fn = sandbox.define('timeouts', { timeoutSeconds: 1 });
    lambda.register(fn);
    const warm = (await Promise.all(['a', 'b'].map((id) => lambda.invoke(fn.name, { id, ms: 100 })))).map(
      reply,
    );
    const warmEnvironments = new Set(warm.map((r) => r.environment));

    // The bystander runs from 0.6 s to 1.4 s, across the moment the hung call times out (1 s).
    const [hung, bystander] = await Promise.all([
      lambda.invoke(fn.name, { id: 'hang', hang: true }),
      sleep(600).then(() => lambda.invoke(fn.name, { id: 'slow', ms: 800 })),
    ]);
    expect(hung).toMatchObject({ ok: false, kind: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
    const survivor = reply(bystander);
    expect(survivor.invocations).toBe(2);
    expect(warmEnvironments.has(survivor.environment)).toBe(true);

    // The survivor stays warm; the timed-out one left the pool, so a second call starts cold
    // (were it still counted, the limit of 2 would throttle it).
    const next = (await Promise.all(['c', 'd'].map((id) => lambda.invoke(fn.name, { id, ms: 100 })))).map(
      reply,
    );
    const warmAgain = next.find((r) => r.environment === survivor.environment);
    const cold = next.find((r) => r.environment !== survivor.environment);
    expect(warmAgain?.invocations).toBe(3);
    expect(cold?.invocations).toBe(1);
    expect(warmEnvironments.has(cold?.environment ?? '')).toBe(false);
    expect(lambda.invocations.get(fn.name)).toMatchObject({ count: 6, errors: 1 });
  });

  // "Understand the Lambda execution environment lifecycle": the timeout limits the Invoke
  // phase; a cold start's Init phase has a limit of its own (10 seconds).
  it('do not count a cold start against the function timeout', async () => {
    const lambda = runtime();
    const fn = sandbox.define('slow-init', { timeoutSeconds: 1, env: { INIT_MS: '1500' } });
    lambda.register(fn);
    expect(reply(await lambda.invoke(fn.name, { id: 'cold', ms: 100 })).invocations).toBe(1);
    expect(await lambda.invoke(fn.name, { id: 'slow', ms: 1500 })).toMatchObject({
      ok: false,
      kind: 'timeout',
    });
  });
});

describe('payload quotas', () => {
  // "Lambda quotas": invocation payload (request and response) 6 MB each, synchronous;
  // "Invoke": RequestTooLargeException when the request body exceeds it. Sizes are bytes of
  // the serialized JSON: 3.2 million "é" are 6.4 MB of UTF-8 in fewer than 6 million characters.
  it('refuses a request over 6 MB before any handler runs', async () => {
    const lambda = runtime({ concurrencyLimit: 1 });
    const fn = sandbox.define('requests');
    lambda.register(fn);
    const text = 'é'.repeat(3_200_000);
    expect(text.length).toBeLessThan(MB6);
    expect(await lambda.invoke(fn.name, { id: 'big', text })).toMatchObject({
      ok: false,
      kind: 'service',
      error: { errorType: 'RequestTooLargeException' },
    });
    const under = reply(await lambda.invoke(fn.name, { id: 'under', text: 'x'.repeat(MB6 - 1024) }));
    expect(under.length).toBe(MB6 - 1024);
    // The only environment's first invocation: the refused request never reached a handler.
    expect(under.invocations).toBe(1);
  });

  // "Lambda quotas" (6 MB response, synchronous); Lambda reports a larger response as the
  // function error Function.ResponseSizeTooLarge, with the size in bytes.
  it('fails a response over 6 MB as Function.ResponseSizeTooLarge', async () => {
    const lambda = runtime();
    const fn = sandbox.define('responses');
    lambda.register(fn);
    const big = await lambda.invoke(fn.name, { id: 'big', respond: 'é', times: 3_200_000 });
    expect(big).toMatchObject({
      ok: false,
      kind: 'function',
      error: { errorType: 'Function.ResponseSizeTooLarge' },
    });
    // 3.2 million two-byte characters and the two quotes of a JSON string.
    expect(big.ok ? '' : big.error.errorMessage).toContain('(6400002 bytes)');
    const under = await lambda.invoke(fn.name, { id: 'under', respond: 'x', times: 6_000_000 });
    expect(under.ok && typeof under.result === 'string' ? under.result.length : 0).toBe(6_000_000);
  });
});

describe('crashes', () => {
  // "Understand the Lambda execution environment lifecycle": a crash during the Invoke phase
  // resets that environment and the next invocation initializes a new runtime. Lambda names a
  // runtime that exits Runtime.ExitError ("Runtime exited with error: exit status N", AWS
  // Knowledge Center, lambda-runtime-error); the Node.js runtime reports an uncaught exception
  // as the invocation's error and an unhandled rejection as Runtime.UnhandledPromiseRejection,
  // then exits.
  it.each([
    ['process.exit in the handler', { exit: 3 }, 'Runtime.ExitError', 'exit status 3'],
    [
      'an exception thrown outside the handler',
      { uncaught: 'thrown by a timer' },
      'TypeError',
      'thrown by a timer',
    ],
    [
      'a rejection nobody handles',
      { reject: 'rejected, never caught' },
      'Runtime.UnhandledPromiseRejection',
      'rejected, never caught',
    ],
  ])('%s fails only its own invocation; the next starts cold', async (_, crash, errorType, message) => {
    const lambda = runtime({ concurrencyLimit: 2 });
    const fn = sandbox.define(`crash-${errorType.replaceAll('.', '-')}`);
    lambda.register(fn);
    const [crashed, bystander] = await Promise.all([
      lambda.invoke(fn.name, { id: 'crash', ms: 300, ...crash }),
      lambda.invoke(fn.name, { id: 'bystander', ms: 600 }),
    ]);
    expect(crashed).toMatchObject({ ok: false, kind: 'function', error: { errorType } });
    expect(crashed.ok ? '' : crashed.error.errorMessage).toContain(message);
    const survivor = reply(bystander);
    expect(survivor.invocations).toBe(1);

    const next = (await Promise.all(['a', 'b'].map((id) => lambda.invoke(fn.name, { id, ms: 100 })))).map(
      reply,
    );
    expect(next.find((r) => r.environment === survivor.environment)?.invocations).toBe(2);
    expect(next.find((r) => r.environment !== survivor.environment)?.invocations).toBe(1);
  });
});

describe('injected Invoke API failures', () => {
  // "Invoke": ServiceException (500) and TooManyRequestsException (429) are errors of the Invoke
  // API itself; no function code runs. Injecting them exercises a caller's retry path.
  it('fail the next N invocations as service errors, run no handler, then stop', async () => {
    const lambda = runtime();
    const fn = sandbox.define('injected');
    lambda.register(fn);
    lambda.injectServiceError(fn.name, { errorType: 'ServiceException', times: 2 });
    const serviceError = { ok: false, kind: 'service', error: { errorType: 'ServiceException' } };
    expect(await lambda.invoke(fn.name, { id: 'a' })).toMatchObject(serviceError);
    expect(await lambda.invoke(fn.name, { id: 'b' })).toMatchObject(serviceError);
    expect(reply(await lambda.invoke(fn.name, { id: 'c' })).invocations).toBe(1);

    lambda.injectServiceError(fn.arn, { errorType: 'TooManyRequestsException' });
    expect(await lambda.invoke(`${fn.arn}:$LATEST`, { id: 'd' })).toMatchObject({
      ok: false,
      kind: 'service',
      error: { errorType: 'TooManyRequestsException', reason: 'ConcurrentInvocationLimitExceeded' },
    });
    expect(reply(await lambda.invoke(fn.name, { id: 'e' })).invocations).toBe(2);
    expect(() => lambda.injectServiceError('no-such-function', { errorType: 'ServiceException' })).toThrow(
      /no-such-function/,
    );
  });
});
