import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStoreClient } from '../../../client/index.ts';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../../../scripts/generate-client.ts';

describe('the generated client types', () => {
  let fresh = '';
  beforeAll(async () => {
    fresh = await renderClientTypes();
  }, 60_000);

  it('match the OpenAPI document the handlers build (client/openapi.d.ts is fresh)', () => {
    const onDisk = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    // One assertion on the whole text: a stale file shows as a diff of the types that changed.
    expect(onDisk, 'client/openapi.d.ts is stale: run `npm run client:generate` and commit it').toBe(fresh);
  });

  it('say how to regenerate them, and type every path of the document', async () => {
    expect(fresh.split('\n').slice(0, 4).join('\n')).toContain(
      'generated, do not edit; npm run client:generate',
    );
    const { buildOpenApiDocument } = await import('../../../lambdas/ops/openapi.ts');
    for (const path of Object.keys(buildOpenApiDocument({ stage: 'local' }).paths ?? {})) {
      expect(fresh, path).toContain(`'${path}': {`);
    }
  });
});

describe('createStoreClient', () => {
  function recording(status = 200, body: unknown = { cartId: 'g-1' }) {
    const seen: Request[] = [];
    const fetch = async (request: Request) => {
      seen.push(request);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    };
    return { seen, fetch };
  }

  it('sends the bearer token and keeps the base URL path (a stage URL ends in /<stage>/)', async () => {
    const { seen, fetch } = recording();
    const api = createStoreClient({ baseUrl: 'https://api.example.com/prod/', token: 'abc', fetch });
    const { data } = await api.GET('/carts/{cartId}', { params: { path: { cartId: 'g-1' } } });
    expect(data?.cartId).toBe('g-1');
    expect(seen[0]?.url).toBe('https://api.example.com/prod/carts/g-1');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer abc');
  });

  it('asks a token function for every request, and sends none without a token', async () => {
    const { seen, fetch } = recording();
    let n = 0;
    const api = createStoreClient({ baseUrl: 'http://x', token: () => `t${++n}`, fetch });
    await api.GET('/me/cart');
    await api.GET('/me/cart');
    expect(seen.map((r) => r.headers.get('authorization'))).toEqual(['Bearer t1', 'Bearer t2']);
    await createStoreClient({ baseUrl: 'http://x', fetch }).GET('/me/cart');
    expect(seen[2]?.headers.get('authorization')).toBeNull();
  });

  it('answers a problem body as `error`', async () => {
    const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such cart.' };
    const { fetch } = recording(404, problem);
    const api = createStoreClient({ baseUrl: 'http://x', fetch });
    const { data, error, response } = await api.GET('/carts/{cartId}', {
      params: { path: { cartId: 'g-2' } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual(problem);
  });
});
