/**
 * Authentication and authorization as an attacker probes them: every token that cannot be
 * verified is a 401 problem+json on every kind of route, and admin means exactly the group `admin`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signerFromJwk, signJwt } from '../../lambdas/dev/token-signer.ts';
import { loadOrCreateLocalIssuer } from '../../lib/config/local-issuer.ts';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER } from '../../lib/stacks/platform-stack.ts';
import { client, type Problem } from './support/fixtures.ts';

const issuer = signerFromJwk(JSON.stringify(loadOrCreateLocalIssuer().privateJwk));
const stranger = (() => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signerFromJwk(JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: issuer.kid }));
})();
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: LOCAL_JWT_ISSUER,
  aud: LOCAL_JWT_AUDIENCE,
  sub: 'e2e-attacker',
  iat: now(),
  exp: now() + 600,
  groups: ['admin'],
  ...extra,
});
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
  `${b64(header)}.${b64(payload)}.${Buffer.from('forged').toString('base64url')}`;

/** Tokens that must never authenticate anyone. */
const BAD_TOKENS: [string, string][] = [
  ['an unknown kid (unsigned)', unsigned({ alg: 'ES256', kid: 'no-such-key' }, claims())],
  ['an unknown kid (signed)', signJwt(issuer, claims(), { kid: 'no-such-key' })],
  ['a very long unknown kid', signJwt(issuer, claims(), { kid: 'k'.repeat(2000) })],
  ['no kid', signJwt(issuer, claims(), { kid: undefined })],
  ['alg none', unsigned({ alg: 'none', kid: issuer.kid }, claims())],
  ['alg HS256', unsigned({ alg: 'HS256', kid: issuer.kid }, claims())],
  ['another key under the issuer kid', signJwt(stranger, claims())],
  ['no exp', signJwt(issuer, claims({ exp: undefined }))],
  ['exp in the past', signJwt(issuer, claims({ exp: now() - 5 }))],
  ['nbf in the future', signJwt(issuer, claims({ nbf: now() + 600 }))],
  ['another issuer', signJwt(issuer, claims({ iss: 'https://evil.example.com' }))],
  ['another audience', signJwt(issuer, claims({ aud: 'someone-else' }))],
  ['no audience', signJwt(issuer, claims({ aud: undefined }))],
  ['no sub', signJwt(issuer, claims({ sub: undefined }))],
  ['groups as a string', signJwt(issuer, claims({ groups: 'admin' }))],
  ['groups with a non-string', signJwt(issuer, claims({ groups: ['admin', { x: 1 }] }))],
  ['a header that is not JSON', `${Buffer.from('{"alg":').toString('base64url')}.${b64(claims())}.AAAA`],
];

/** Request bodies that pass each route's gateway checks, so only the token decides. */
const BODIES: Record<string, unknown> = {
  'POST /admin/products': {},
  'PUT /admin/products/{productId}': {},
  'POST /me/cart/merge': { cartId: 'g-x' },
  'POST /carts/{cartId}/items': { sku: 'X', quantity: 1 },
  'PATCH /carts/{cartId}/items/{sku}': { quantity: 1 },
};

/** Every operation the OpenAPI document says takes a bearer token, required or optional. */
let ROUTES: [string, string, unknown?][] = [];

beforeAll(async () => {
  const doc = await client.request<{
    paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  }>('GET', '/openapi.json');
  ROUTES = Object.entries(doc.body.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => (op.security ?? []).some((s) => Object.keys(s).length > 0))
      .map(([method, _]): [string, string, unknown?] => [
        method.toUpperCase(),
        path.replace(/\{[^}]+\}/g, (p) => (p === '{cartId}' ? 'g-00000000000000000000000000000000' : 'x-1')),
        BODIES[`${method.toUpperCase()} ${path}`],
      ]),
  );
  // The document must keep listing the routes of each authorizer kind.
  expect(ROUTES.map(([m, p]) => `${m} ${p}`)).toEqual(
    expect.arrayContaining([
      'POST /admin/products',
      'DELETE /admin/products/x-1',
      'GET /me/cart',
      'POST /carts',
    ]),
  );
});

describe('tokens that cannot be verified', () => {
  it.each(BAD_TOKENS)('%s: 401 problem+json on every authenticated route', async (_, token) => {
    for (const [method, path, body] of ROUTES) {
      const res = await client.request<Problem>(method, path, { token, body });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('content-type'), `${method} ${path}`).toMatch(/application\/problem\+json/);
      expect(res.headers.get('x-request-id'), `${method} ${path}`).toBeTruthy();
    }
  });

  it.each([
    ['Bearer'],
    ['Bearer '],
    ['Basic YWRtaW46YWRtaW4='],
    ['Bearer a.b'],
    ['Bearer a.b.c.d'],
    [`Bearer ${'A'.repeat(6000)}.${'B'.repeat(10)}.C`],
    ['bearer\tx.y.z'],
  ])('Authorization %j: 401, never a 5xx', async (authorization) => {
    for (const [method, path, body] of ROUTES) {
      const res = await client.request(method, path, { body, headers: { authorization } });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('a burst of unknown kids is refused fast, every time', async () => {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        client.request('GET', '/me/cart', { token: signJwt(issuer, claims(), { kid: `burst-${i}` }) }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 401));
    // Nothing is fetched for the local issuer: no request waits on a JWKS download.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe('admin means exactly the group "admin"', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await client.token({ sub: 'e2e-admin', groups: ['admin'] });
  });

  it.each([
    [['admin ']],
    [[' admin']],
    [['admin\t']],
    [['x,admin']],
    [['admin,x']],
    [['support,admin']],
    [['Admin']],
    [['ADMIN']],
    [['admins']],
    [['admin\u200b']],
    [['staff', 'shoppers']],
  ])('groups %j: 403 on every admin route, before the body is read', async (groups) => {
    const token = await client.token({ sub: 'e2e-not-admin', groups });
    for (const [method, path, body] of ROUTES.filter(([, p]) => p.startsWith('/admin'))) {
      const res = await client.request<Problem>(method, path, { token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.title).toBe('Forbidden');
    }
  });

  it('the group admin passes the check (the empty body is then a 400)', async () => {
    const res = await client.request<Problem>('POST', '/admin/products', { token: admin, body: {} });
    expect(res.status).toBe(400);
    const other = await client.request<Problem>('POST', '/admin/products', {
      token: await client.token({ sub: 'e2e-admin-2', groups: ['support,admin', 'admin'] }),
      body: {},
    });
    expect(other.status).toBe(400);
  });

  it('a signed-in caller with group names full of commas keeps its own cart', async () => {
    const token = await client.token({ sub: 'e2e-commas', groups: ['a,b', ' c '] });
    const first = await client.request<{ cartId: string }>('GET', '/me/cart', { token });
    const second = await client.request<{ cartId: string }>('GET', '/me/cart', { token });
    expect(first.status).toBe(200);
    expect(second.body.cartId).toBe(first.body.cartId);
  });
});
