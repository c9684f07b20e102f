import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoizeFor } from '../../../lambdas/ops/health.ts';
import { apiEvent, lambdaContext } from '../support.ts';

describe('memoizeFor', () => {
  it('answers from the last result until the time is up, then loads again', async () => {
    let clock = 1_000;
    let loads = 0;
    const get = memoizeFor(
      5000,
      async () => ++loads,
      () => clock,
    );
    expect(await get()).toBe(1);
    clock += 4999;
    expect(await get()).toBe(1);
    clock += 1;
    expect(await get()).toBe(2);
    expect(loads).toBe(2);
  });

  it('shares one load among the calls made while it runs', async () => {
    let release: (n: number) => void = () => undefined;
    const load = vi.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const get = memoizeFor(5000, load, () => 0);
    const first = get();
    const second = get();
    release(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps no failure: the next call loads again', async () => {
    let fail = true;
    const get = memoizeFor(
      5000,
      async () => {
        if (fail) throw new Error('down');
        return 'ok';
      },
      () => 0,
    );
    await expect(get()).rejects.toThrow('down');
    fail = false;
    expect(await get()).toBe('ok');
  });
});

/** A stand-in for DynamoDB (GetItem finds nothing) and for OpenSearch (`_cluster/health`). */
function fakeServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe('GET /health', () => {
  let dynamodb: Server;
  let search: Server;
  const calls = { dynamodb: 0, search: 0 };
  let clusterStatus = 'green';
  let handler: typeof import('../../../lambdas/ops/handlers/health.handler.ts')['handler'];
  let cacheMs = 0;

  beforeAll(async () => {
    dynamodb = await fakeServer((_req, res) => {
      calls.dynamodb++;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
    });
    search = await fakeServer((_req, res) => {
      calls.search++;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: clusterStatus }));
    });
    vi.stubEnv('PRODUCTS_TABLE', 'store-test-products');
    vi.stubEnv('SEARCH_ENDPOINT', urlOf(search));
    vi.stubEnv('SEARCH_AUTH', 'none');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ENDPOINT_URL', urlOf(dynamodb));
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    // Only the clock is fake: the probes' sockets and timeouts run for real.
    vi.useFakeTimers({ toFake: ['Date'], now: 0 });
    const module = await import('../../../lambdas/ops/handlers/health.handler.ts');
    handler = module.handler;
    cacheMs = module.HEALTH_CACHE_MS;
  });
  afterEach(() => {
    clusterStatus = 'green';
  });
  afterAll(async () => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    await Promise.all([dynamodb, search].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  const get = async () => {
    const res = await handler(apiEvent({ path: '/health', resource: '/health' }), lambdaContext);
    return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
  };

  it('probes each part once per 5 s, and answers as the probe did in between', async () => {
    expect(cacheMs).toBe(5000);
    const first = await get();
    expect(first).toMatchObject({
      status: 200,
      body: { status: 'ok', parts: { dynamodb: { status: 'ok' }, search: { status: 'ok' } } },
      headers: { 'cache-control': 'no-store' },
    });
    expect(calls).toEqual({ dynamodb: 1, search: 1 });

    // The cluster goes red: a warm function keeps its report for 5 s, then probes again.
    clusterStatus = 'red';
    vi.advanceTimersByTime(cacheMs - 1);
    expect(await get()).toEqual(first);
    expect(calls).toEqual({ dynamodb: 1, search: 1 });
    vi.advanceTimersByTime(1);
    const later = await get();
    expect(calls).toEqual({ dynamodb: 2, search: 2 });
    expect(later).toMatchObject({
      status: 503,
      body: { status: 'degraded', parts: { dynamodb: { status: 'ok' }, search: { status: 'down' } } },
    });

    // A degraded report is kept as long as a healthy one.
    clusterStatus = 'green';
    expect((await get()).status).toBe(503);
    vi.advanceTimersByTime(cacheMs);
    expect((await get()).status).toBe(200);
    expect(calls).toEqual({ dynamodb: 3, search: 3 });
  });
});
