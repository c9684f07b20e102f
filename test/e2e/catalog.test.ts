import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  client,
  type Problem,
  productBody,
  shopperToken,
  uniqueSku,
  uniqueWord,
} from './support/fixtures.ts';

interface Product {
  productId: string;
  name: string;
  category: string;
  variants: { sku: string; price: { amount: number; currency: string } }[];
  rating: { average: number; count: number };
  createdAt: string;
  updatedAt: string;
}

let admin: string;
let shopper: string;

beforeAll(async () => {
  admin = await adminToken();
  shopper = await shopperToken();
});

describe('catalog: admin writes, public reads', () => {
  it('creates, reads, replaces and deletes a product', async () => {
    const body = productBody();
    const created = await client.request<Product>('POST', '/admin/products', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBeTruthy();
    const { productId } = created.body;
    expect(productId).toEqual(expect.any(String));
    expect(created.body).toMatchObject({
      name: body.name,
      category: 'testing',
      rating: { average: 0, count: 0 },
    });

    const read = await client.request<Product>('GET', `/products/${productId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ productId, name: body.name, variants: body.variants });

    const replacement = {
      ...body,
      name: `${body.name} v2`,
      variants: [{ ...body.variants[0], price: { amount: 2599, currency: 'USD' } }],
    };
    const replaced = await client.request<Product>('PUT', `/admin/products/${productId}`, {
      token: admin,
      body: replacement,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toBe(replacement.name);
    expect(replaced.body.createdAt).toBe(created.body.createdAt);
    expect(
      (await client.request<Product>('GET', `/products/${productId}`)).body.variants[0]?.price.amount,
    ).toBe(2599);

    const deleted = await client.request('DELETE', `/admin/products/${productId}`, { token: admin });
    expect(deleted.status).toBe(204);
    const gone = await client.request<Problem>('GET', `/products/${productId}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
    expect(gone.body.status).toBe(404);
  });

  it('answers 404 for unknown products on read, replace and delete', async () => {
    expect((await client.request('GET', '/products/does-not-exist')).status).toBe(404);
    expect(
      (await client.request('PUT', '/admin/products/does-not-exist', { token: admin, body: productBody() }))
        .status,
    ).toBe(404);
    expect((await client.request('DELETE', '/admin/products/does-not-exist', { token: admin })).status).toBe(
      404,
    );
  });

  it('lists a category newest first with cursor pagination', async () => {
    const category = `cat-${uniqueWord(6)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await client.request<Product>('POST', '/admin/products', {
        token: admin,
        body: productBody({ category }),
      });
      expect(res.status).toBe(201);
      ids.push(res.body.productId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ category, limit: '2', ...(cursor ? { cursor } : {}) });
      const page = await client.request<{ items: Product[]; nextCursor?: string }>(
        'GET',
        `/products?${query}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((p) => p.productId));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
  });

  it('rejects a bad cursor and a bad limit with 400', async () => {
    expect((await client.request('GET', '/products?category=x&cursor=not-a-cursor')).status).toBe(400);
    expect((await client.request('GET', '/products?limit=0')).status).toBe(400);
    expect((await client.request('GET', '/products?limit=101')).status).toBe(400);
  });

  it('keeps a SKU to one product (409) and frees it when the product drops it', async () => {
    const sku = uniqueSku();
    const first = await client.request<Product>('POST', '/admin/products', {
      token: admin,
      body: productBody({ variants: [{ sku, attributes: {}, price: { amount: 100, currency: 'USD' } }] }),
    });
    expect(first.status).toBe(201);
    const clash = await client.request<Problem>('POST', '/admin/products', {
      token: admin,
      body: productBody({ variants: [{ sku, attributes: {}, price: { amount: 100, currency: 'USD' } }] }),
    });
    expect(clash.status).toBe(409);
    // Replacing the first product with another SKU releases the old one.
    const replaced = await client.request('PUT', `/admin/products/${first.body.productId}`, {
      token: admin,
      body: productBody({
        variants: [{ sku: uniqueSku(), attributes: {}, price: { amount: 100, currency: 'USD' } }],
      }),
    });
    expect(replaced.status).toBe(200);
    const reuse = await client.request('POST', '/admin/products', {
      token: admin,
      body: productBody({ variants: [{ sku, attributes: {}, price: { amount: 100, currency: 'USD' } }] }),
    });
    expect(reuse.status).toBe(201);
  });
});

describe('catalog: auth', () => {
  it('401 without a token, 401 with a bad token, 403 for a shopper', async () => {
    const body = productBody();
    const none = await client.request<Problem>('POST', '/admin/products', { body });
    expect(none.status).toBe(401);
    const bad = await client.request('POST', '/admin/products', { body, token: `${admin.slice(0, -4)}AAAA` });
    expect(bad.status).toBe(401);
    const garbage = await client.request('POST', '/admin/products', { body, token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
    const forbidden = await client.request<Problem>('POST', '/admin/products', { body, token: shopper });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    // Nothing was written by any of them: the SKU is still free.
    expect((await client.request('POST', '/admin/products', { body, token: admin })).status).toBe(201);
  });

  it('403 for a shopper deleting, 401 without a token replacing', async () => {
    const created = await client.request<Product>('POST', '/admin/products', {
      token: admin,
      body: productBody(),
    });
    expect(
      (await client.request('DELETE', `/admin/products/${created.body.productId}`, { token: shopper }))
        .status,
    ).toBe(403);
    expect(
      (await client.request('PUT', `/admin/products/${created.body.productId}`, { body: productBody() }))
        .status,
    ).toBe(401);
    expect((await client.request('GET', `/products/${created.body.productId}`)).status).toBe(200);
  });
});

describe('catalog: bad input is a 400 problem with paths, and writes nothing', () => {
  const sku = uniqueSku('BAD');
  const valid = () =>
    productBody({ variants: [{ sku, attributes: {}, price: { amount: 500, currency: 'USD' } }] });
  const cases: [string, () => { rawBody?: string; body?: unknown }, string | undefined][] = [
    ['malformed JSON', () => ({ rawBody: '{"name": "x",' }), undefined],
    ['wrong type', () => ({ body: { ...valid(), name: 42 } }), 'name'],
    ['missing field', () => ({ body: { ...valid(), category: undefined } }), 'category'],
    ['unknown field', () => ({ body: { ...valid(), colour: 'red' } }), undefined],
    ['server-owned field', () => ({ body: { ...valid(), productId: 'mine' } }), undefined],
    [
      'negative price',
      () => ({
        body: { ...valid(), variants: [{ sku, attributes: {}, price: { amount: -1, currency: 'USD' } }] },
      }),
      'variants.0.price.amount',
    ],
    [
      'fractional price',
      () => ({
        body: { ...valid(), variants: [{ sku, attributes: {}, price: { amount: 9.99, currency: 'USD' } }] },
      }),
      'variants.0.price.amount',
    ],
    ['no variants', () => ({ body: { ...valid(), variants: [] } }), 'variants'],
    ['oversized body', () => ({ body: { ...valid(), description: 'x'.repeat(70 * 1024) } }), undefined],
  ];

  it.each(cases)('%s', async (_label, make, path) => {
    const res = await client.request<Problem>('POST', '/admin/products', {
      token: admin,
      ...make(),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: expect.any(String), type: expect.any(String) });
    if (path) expect(res.body.errors?.map((e) => e.path)).toContain(path);
  });

  it('left the SKU unclaimed after every rejected write', async () => {
    expect((await client.request('POST', '/admin/products', { token: admin, body: valid() })).status).toBe(
      201,
    );
  });
});
