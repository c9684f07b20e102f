import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../support.ts';

// The X-Ray SDK's segment model, as Lambda's facade segment would be.
interface XraySubsegment {
  name: string;
  namespace?: string;
  fault?: boolean;
  http?: { request?: { url?: string; method?: string }; response?: { status?: number } };
  annotations?: Record<string, unknown>;
  subsegments?: XraySubsegment[];
  close(): void;
}

// As Lambda sets them for an on-demand environment with active tracing.
const TRACING_ON = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  POWERTOOLS_TRACE_ENABLED: '',
};

/** The modules loaded afresh under `env`, as a cold start would load them. */
async function coldStart(env: Record<string, string>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  const tracing = await import('#shared/tracer.ts');
  const http = await import('#shared/http.ts');
  const errors = await import('#shared/errors.ts');
  return { ...tracing, ...http, ...errors };
}

/** Runs `fn` with a root segment open, in the X-Ray SDK's context; returns the segment. */
async function underSegment(
  tracer: NonNullable<Awaited<ReturnType<typeof coldStart>>['tracer']>,
  fn: () => Promise<unknown>,
): Promise<XraySubsegment> {
  const { createRequire } = await import('node:module');
  const { Segment } = createRequire(import.meta.url)('aws-xray-sdk-core') as {
    Segment: new (name: string) => XraySubsegment;
  };
  const segment = new Segment('test-function');
  await tracer.provider.getNamespace().runPromise(async () => {
    tracer.setSegment(segment as never);
    await fn();
  });
  return segment;
}

let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"green"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the tracer where tracing is off (the local cloud, tests)', () => {
  it('is not loaded, and every helper passes through', async () => {
    const t = await coldStart({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
    expect(t.tracer).toBeUndefined();
    const client = { send: async () => 'sent' };
    expect(t.captureClient(client)).toBe(client);
    const fn = async () => 'done';
    expect(t.traced(fn)).toBe(fn);
    expect(t.tracingMiddleware()).toBeUndefined();
  });

  it('is off outside Lambda and under SAM, as Powertools decides', async () => {
    const { tracingEnabled } = await coldStart({});
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(
      tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' }),
    ).toBe(false);
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
  });
});

describe('the tracer where tracing is on', () => {
  it('sends the OpenSearch client requests through subsegments (node http, patched at load)', async () => {
    const { tracer } = await coldStart(TRACING_ON);
    if (!tracer) throw new Error('tracing should be on');
    const { createTransport } = await import('#search/adapters/opensearch-transport.ts');
    const transport = await createTransport({
      SEARCH_ENDPOINT: endpoint,
      SEARCH_AUTH: 'none',
      AWS_REGION: 'us-east-1',
    });
    const segment = await underSegment(tracer, async () => {
      const res = await transport.request({ method: 'GET', path: '/_cluster/health' });
      expect(res.body).toEqual({ status: 'green' });
    });
    const calls = segment.subsegments ?? [];
    expect(
      calls.map((s) => [s.name, s.namespace, s.http?.request?.method, s.http?.response?.status]),
    ).toEqual([['127.0.0.1', 'remote', 'GET', 200]]);
    // X-Ray records the URL without the port.
    expect(calls[0]?.http?.request?.url).toBe('http://127.0.0.1/_cluster/health');
  });

  it('captures SDK v3 clients (the X-Ray middleware is on their stack)', async () => {
    const { captureClient } = await coldStart(TRACING_ON);
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const client = captureClient(new DynamoDBClient({ region: 'us-east-1' }));
    expect(client.middlewareStack.identify().join(' ')).toContain('XRaySDKInstrumentation');
  });

  it('wraps an API handler in a `## handler` subsegment without changing its answers', async () => {
    vi.stubEnv('_HANDLER', 'index.handler');
    const { tracer, httpHandler, NotFoundError } = await coldStart(TRACING_ON);
    if (!tracer) throw new Error('tracing should be on');
    const handler = httpHandler(async (event: APIGatewayProxyEvent) => {
      if (event.path === '/missing') throw new NotFoundError('No such thing.');
      if (event.path === '/broken') throw new Error('disk on fire');
      return { status: 200, body: { ok: true } };
    });
    const answers: { statusCode: number; body: string; headers?: Record<string, unknown> }[] = [];
    const segment = await underSegment(tracer, async () => {
      for (const path of ['/', '/missing', '/broken']) {
        answers.push(await handler(apiEvent({ path }), lambdaContext));
      }
    });
    expect(answers.map((a) => [a.statusCode, JSON.parse(a.body).status ?? JSON.parse(a.body).ok])).toEqual([
      [200, true],
      [404, 404],
      [500, 500],
    ]);
    expect(answers[0]?.headers?.['x-request-id']).toBe('req-123');
    const handlers = segment.subsegments ?? [];
    expect(handlers.map((s) => s.name)).toEqual(['## index.handler', '## index.handler', '## index.handler']);
    // A client error is the caller's: only the 500 marks its subsegment as a fault.
    expect(handlers.map((s) => s.fault === true)).toEqual([false, false, true]);
    expect(handlers[0]?.annotations).toMatchObject({ ColdStart: true });
    expect(handlers[1]?.annotations).toMatchObject({ ColdStart: false });
  });
});
