import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchProductIndex } from '#search/adapters/opensearch-index.ts';
import {
  createTransport,
  QUERY_LIMITS,
  type Transport,
  WRITE_LIMITS,
} from '#search/adapters/opensearch-transport.ts';

/** A transport that records each request's options and answers 200 with an empty body. */
function recordingTransport() {
  const options: Record<string, unknown>[] = [];
  const transport = {
    request: async (_params: unknown, opts: Record<string, unknown> = {}) => {
      options.push(opts);
      return { statusCode: 200, body: {} };
    },
  } as unknown as Transport;
  return { transport, options };
}

describe('search client limits', () => {
  it('bounds a search to 1 s an attempt and one retry, and lets writes wait longer', () => {
    expect(QUERY_LIMITS).toEqual({ requestTimeout: 1000, maxRetries: 1 });
    expect(WRITE_LIMITS).toEqual({ requestTimeout: 3000, maxRetries: 2 });
    // Both well inside the functions' 10 s timeout (and API Gateway's 29 s).
    const worst = (l: typeof QUERY_LIMITS) => (1 + l.maxRetries) * l.requestTimeout;
    expect(worst(QUERY_LIMITS)).toBeLessThanOrEqual(2000);
    expect(worst(WRITE_LIMITS)).toBeLessThan(10_000);
  });

  it("makes the query limits the transport's default", async () => {
    const transport = (await createTransport({
      SEARCH_ENDPOINT: 'http://127.0.0.1:9',
      SEARCH_AUTH: 'none',
      AWS_REGION: 'us-east-1',
    })) as unknown as { requestTimeout: number; maxRetries: number };
    expect({ requestTimeout: transport.requestTimeout, maxRetries: transport.maxRetries }).toEqual(
      QUERY_LIMITS,
    );
  });

  it('sends searches with the query limits and index writes with the write limits', async () => {
    const { transport, options } = recordingTransport();
    const index = new OpenSearchProductIndex(transport, 'products');
    await index.search({ query: { match_all: {} } });
    expect(options.at(-1)).toMatchObject(QUERY_LIMITS);
    await index.upsert({ productId: 'p1' } as never, 3);
    expect(options.at(-1)).toMatchObject(WRITE_LIMITS);
    await index.remove('p1', 4);
    expect(options.at(-1)).toMatchObject(WRITE_LIMITS);
  });
});

describe('a search against a domain that does not answer', () => {
  let server: Server;
  let attempts = 0;
  beforeAll(async () => {
    // Accepts the request and never answers it.
    server = createServer(() => {
      attempts++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after two attempts of 1 s', async () => {
    const transport = await createTransport({
      SEARCH_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      SEARCH_AUTH: 'none',
      AWS_REGION: 'us-east-1',
    });
    const started = performance.now();
    const error = await new OpenSearchProductIndex(transport, 'products').search({}).catch((e: Error) => e);
    const took = performance.now() - started;
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(attempts).toBe(2);
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(3000);
  }, 10_000);
});
