/**
 * A storefront on another origin can read every answer: function answers (success and problem),
 * the gateway's own answers, and preflights, each with an x-request-id. Stage local allows any
 * origin; the deployed stages' exact origins are asserted by the infra tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { client } from './support/fixtures.ts';

const ORIGIN = 'http://localhost:5173';

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

function expectReadable(headers: Headers, what: string): void {
  expect(headers.get('access-control-allow-origin'), what).toBe('*');
  expect(headers.get('x-request-id'), what).toBeTruthy();
}

describe('CORS', () => {
  let routes: [string, string][];
  beforeAll(async () => {
    const doc = await client.request<OpenApi>('GET', '/openapi.json');
    routes = Object.entries(doc.body.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m): [string, string] => [m.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x')]),
    );
    expect(routes.length).toBeGreaterThan(10);
  });

  it('every route of the OpenAPI document answers with allow-origin, whatever the status', async () => {
    const statuses = new Set<number>();
    for (const [method, path] of routes) {
      const res = await client.request(method, path, {
        headers: { origin: ORIGIN },
        ...(method === 'GET' || method === 'DELETE' ? {} : { rawBody: '{' }),
      });
      statuses.add(res.status);
      expectReadable(res.headers, `${method} ${path} (${res.status})`);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
    // Function answers and gateway answers alike: 2xx, 400 (bad body), 401 (authorizer), 404...
    expect([...statuses].some((s) => s < 300)).toBe(true);
    expect(statuses.has(401)).toBe(true);
    expect(statuses.has(400)).toBe(true);
  });

  it('exposes the headers a web app needs (ETag for If-Match, Location, x-request-id)', async () => {
    const created = await client.request<{ cartId: string }>('POST', '/carts', {
      headers: { origin: ORIGIN },
    });
    expect(created.status).toBe(201);
    const exposed = (created.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'location', 'x-request-id']));
    expect(created.headers.get('etag')).toBeTruthy();
  });

  it('gateway errors (no such route, bad token) are readable too', async () => {
    const missing = await client.request('GET', '/no/such/route', { headers: { origin: ORIGIN } });
    expect(missing.status).toBe(404);
    expectReadable(missing.headers, 'no such route');
    const denied = await client.request('GET', '/me/cart', {
      headers: { origin: ORIGIN, authorization: 'Bearer a.b.c' },
    });
    expect(denied.status).toBe(401);
    expectReadable(denied.headers, 'bad token');
  });

  it('preflights allow the route methods and the headers the API reads, with an x-request-id', async () => {
    const cases: [string, string][] = [
      ['/carts/x/items', 'POST'],
      ['/carts/x/items/SKU-1', 'PATCH'],
      ['/admin/products/x', 'PUT'],
      ['/me/cart/merge', 'POST'],
      ['/search', 'GET'],
    ];
    for (const [path, method] of cases) {
      const res = await client.request('OPTIONS', path, {
        headers: {
          origin: ORIGIN,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization, content-type, if-match, idempotency-key',
        },
      });
      expect(res.status, path).toBe(204);
      expectReadable(res.headers, `OPTIONS ${path}`);
      expect(res.headers.get('access-control-allow-methods')?.split(','), path).toContain(method);
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
      expect(allowed, path).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'if-match', 'idempotency-key']),
      );
      // Request ids are per answer.
      expect(res.headers.get('x-request-id'), path).not.toBe('$context.requestId');
    }
  });
});

describe('bodies browsers can send without a preflight', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    '%s is a 415 on every route that takes a body, and writes nothing',
    async (type) => {
      const cart = await client.request<{ cartId: string; version: number }>('POST', '/carts');
      const writes: [string, string][] = [
        ['POST', '/carts'],
        ['POST', `/carts/${cart.body.cartId}/items`],
        ['POST', '/admin/products'],
        ['POST', '/dev/token'],
      ];
      for (const [method, path] of writes) {
        const res = await client.request(method, path, {
          rawBody: '{"sku":"X","quantity":1,"sub":"x"}',
          headers: { 'content-type': type, origin: ORIGIN },
        });
        // The admin route's authorizer answers first without a token.
        expect(res.status, `${method} ${path}`).toBe(path.startsWith('/admin') ? 401 : 415);
        expectReadable(res.headers, `${method} ${path}`);
      }
      const after = await client.request<{ version: number }>('GET', `/carts/${cart.body.cartId}`);
      expect(after.body.version).toBe(cart.body.version);
    },
  );
});
