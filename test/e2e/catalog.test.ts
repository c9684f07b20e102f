import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  api,
  client,
  ok,
  type Problem,
  problemOf,
  productBody,
  type Schemas,
  shopperToken,
  uniqueSku,
  uniqueWord,
} from './support/fixtures.ts';

type Product = Schemas['Product'];
type ProductWrite = Schemas['ProductWrite'];

const at = (productId: string) => ({ params: { path: { productId } } });
const readProduct = (productId: string) => api().GET('/products/{productId}', at(productId));
const create = (token: string, body: ProductWrite) => api(token).POST('/admin/products', { body });
const replace = (token: string | undefined, productId: string, body: ProductWrite) =>
  api(token).PUT('/admin/products/{productId}', { ...at(productId), body });
const remove = (token: string, productId: string) =>
  api(token).DELETE('/admin/products/{productId}', at(productId));

let admin: string;
let shopper: string;

beforeAll(async () => {
  admin = await adminToken();
  shopper = await shopperToken();
});

describe('catalog: admin writes, public reads', () => {
  it('creates, reads, replaces and deletes a product', async () => {
    const body = productBody();
    const answer = await create(admin, body);
    const created = ok(answer, 201);
    expect(answer.response.headers.get('x-request-id')).toBeTruthy();
    const { productId } = created;
    expect(productId).toEqual(expect.any(String));
    expect(created).toMatchObject({
      name: body.name,
      category: 'testing',
      rating: { average: 0, count: 0 },
    });

    const read = ok(await readProduct(productId), 200);
    expect(read).toMatchObject({ productId, name: body.name, variants: body.variants });

    const [variant] = body.variants as [Schemas['Variant']];
    const replacement: ProductWrite = {
      ...body,
      name: `${body.name} v2`,
      variants: [{ ...variant, price: { amount: 2599, currency: 'USD' } }],
    };
    const replaced = ok(await replace(admin, productId, replacement), 200);
    expect(replaced.name).toBe(replacement.name);
    expect(replaced.createdAt).toBe(created.createdAt);
    expect(ok(await readProduct(productId), 200).variants[0]?.price.amount).toBe(2599);

    expect((await remove(admin, productId)).response.status).toBe(204);
    expect(problemOf(await readProduct(productId), 404).status).toBe(404);
  });

  it('answers 404 for unknown products on read, replace and delete', async () => {
    problemOf(await readProduct('does-not-exist'), 404);
    problemOf(await replace(admin, 'does-not-exist', productBody()), 404);
    problemOf(await remove(admin, 'does-not-exist'), 404);
  });

  it('lists a category newest first with cursor pagination', async () => {
    const category = `cat-${uniqueWord(6)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(ok(await create(admin, productBody({ category })), 201).productId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ok(
        await api().GET('/products', { params: { query: { category, limit: 2, cursor } } }),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.productId));
      cursor = page.nextCursor;
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
    const withSku = (s: string) =>
      productBody({ variants: [{ sku: s, attributes: {}, price: { amount: 100, currency: 'USD' } }] });
    const first = ok(await create(admin, withSku(sku)), 201);
    problemOf(await create(admin, withSku(sku)), 409);
    // Replacing the first product with another SKU releases the old one.
    ok(await replace(admin, first.productId, withSku(uniqueSku())), 200);
    ok(await create(admin, withSku(sku)), 201);
  });
});

describe('catalog: list cursors are opaque and bound to their listing', () => {
  const category = `cat-${uniqueWord(6)}`;
  let issued: string;

  const list = (params: Record<string, string>) =>
    client.request<{ items: Product[]; nextCursor?: string } & Problem>(
      'GET',
      `/products?${new URLSearchParams(params)}`,
    );

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) ok(await create(admin, productBody({ category })), 201);
    const first = ok(await api().GET('/products', { params: { query: { category, limit: 1 } } }), 200);
    issued = first.nextCursor ?? '';
    expect(issued).not.toBe('');
  });

  it('pages the whole catalog newest first without repeats', async () => {
    const seen: Product[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 3; pages++) {
      const page = ok(await api().GET('/products', { params: { query: { limit: 2, cursor } } }), 200);
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen.map((p) => p.productId)).size).toBe(seen.length);
    const created = seen.map((p) => p.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('answers every tampered cursor with 400 on cursor, never a 5xx, and queries nothing', async () => {
    const good = JSON.parse(Buffer.from(issued, 'base64url').toString('utf8')) as Record<string, unknown>;
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    const otherListing = (await list({ limit: '1' })).body.nextCursor ?? '';
    const tampered: [string, Record<string, string>][] = [
      [
        'a raw start key',
        {
          category,
          cursor: cursorOf({ pk: 'PRODUCT#x', sk: 'PRODUCT', ipk: `CATEGORY#${category}`, isk: 'zzz' }),
        },
      ],
      [
        'a start key of another type',
        { category, cursor: cursorOf({ pk: { S: 'PRODUCT#x' }, sk: 'PRODUCT', ipk: 'PRODUCTS', isk: 1 }) },
      ],
      ['an extra key attribute', { category, cursor: cursorOf({ ...good, gsi1pk: 'CATEGORY#other' }) }],
      ['a made-up id', { category, cursor: cursorOf({ ...good, id: 'does-not-exist' }) }],
      ['an id with its key prefix', { category, cursor: cursorOf({ ...good, id: `PRODUCT#${good.id}` }) }],
      ['a nested id', { category, cursor: cursorOf({ ...good, id: { S: good.id } }) }],
      ['a date that is not one', { category, cursor: cursorOf({ ...good, t: '2026-02-30T00:00:00.000Z' }) }],
      ['a date as a number', { category, cursor: cursorOf({ ...good, t: Date.now() }) }],
      ['null', { category, cursor: cursorOf(null) }],
      ['an array', { category, cursor: cursorOf([good.t, good.id]) }],
      ['another category', { category: `${category}-x`, cursor: issued }],
      ['no category', { cursor: issued }],
      ['the whole catalog for a category', { category, cursor: otherListing }],
      ['not base64', { category, cursor: 'not a cursor!' }],
      ['padded', { category, cursor: `${issued}=` }],
      ['too long', { category, cursor: 'A'.repeat(2049) }],
    ];
    const answers: string[] = [];
    for (const [label, params] of tampered) {
      const res = await list(params);
      const problem = res.headers.get('content-type')?.includes('application/problem+json');
      const paths = res.body?.errors?.map((e) => e.path) ?? [];
      answers.push(`${label}: ${res.status}${problem ? '' : ' (not problem+json)'} ${paths.join(',')}`);
    }
    expect(answers).toEqual(tampered.map(([label]) => `${label}: 400 cursor`));
    expect((await list({ category, limit: '1', cursor: issued })).body.items).toHaveLength(1);
  });
});

describe('catalog: attribute keys follow one rule, on the product and on every variant', () => {
  const category = `cat-${uniqueWord(6)}`;
  const skus = [uniqueSku('ATTR'), uniqueSku('ATTR')];
  /** A body with `key` on the product or on the second variant, serialized as a client would. */
  const bodyWith = (where: 'product' | 'variant', key: string) => {
    const body = productBody({
      category,
      attributes: where === 'product' ? { material: 'steel', [key]: 'x' } : { material: 'steel' },
      variants: skus.map((sku, i) => ({
        sku,
        attributes: where === 'variant' && i === 1 ? { size: 'M', [key]: 'x' } : { size: 'M' },
        price: { amount: 500, currency: 'USD' },
      })),
    });
    const raw = JSON.stringify(body);
    expect(raw).toContain(`${JSON.stringify(key)}:"x"`);
    return raw;
  };
  const rejected = [
    'constructor',
    '__proto__',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '',
    ' ',
    ' color',
    'a\tb',
    'a\u0000b',
    '1st',
    'x'.repeat(65),
  ];
  const cases = rejected.flatMap((key) =>
    (['product', 'variant'] as const).map((where) => ({
      key,
      where,
      path: where === 'product' ? `attributes.${key}` : `variants.1.attributes.${key}`,
    })),
  );

  it.each(cases)('rejects $key on the $where with a 400 at $path', async ({ key, where, path }) => {
    const res = await client.request<Problem>('POST', '/admin/products', {
      token: admin,
      rawBody: bodyWith(where, key),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors?.map((e) => e.path)).toEqual([path]);
  });

  it('wrote nothing for any rejected body: the category is empty and the SKUs are free', async () => {
    const listed = ok(await api().GET('/products', { params: { query: { category } } }), 200);
    expect(listed.items).toEqual([]);
    const body = productBody({
      category,
      variants: skus.map((sku) => ({ sku, attributes: {}, price: { amount: 500, currency: 'USD' } })),
    });
    ok(await create(admin, body), 201);
  });

  it('rejects a replace with a reserved key and leaves the product as it was', async () => {
    const body = productBody({ attributes: { material: 'oak' } });
    const created = ok(await create(admin, body), 201);
    const raw = JSON.stringify({ ...body, attributes: { material: 'pine', constructor: 'x' } });
    const replaced = await client.request<Problem>('PUT', `/admin/products/${created.productId}`, {
      token: admin,
      rawBody: raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(replaced.status).toBe(400);
    expect(replaced.body.errors?.map((e) => e.path)).toEqual(['attributes.constructor']);
    expect(ok(await readProduct(created.productId), 200).attributes).toEqual({ material: 'oak' });
  });

  it('stores and returns keys within the rule exactly', async () => {
    const attributes = {
      'Screen size': '15 in',
      model_no: 'A1',
      'x-ray': 'no',
      Constructor: 'ok',
      color: 'red',
    };
    const variantAttributes = { 'USB-C ports': '2', size: 'M' };
    const body = productBody({
      attributes,
      variants: [
        { sku: uniqueSku(), attributes: variantAttributes, price: { amount: 100, currency: 'USD' } },
      ],
    });
    const created = ok(await create(admin, body), 201);
    const read = ok(await readProduct(created.productId), 200);
    expect(read.attributes).toEqual(attributes);
    expect(read.variants[0]?.attributes).toEqual(variantAttributes);
  });
});

describe('catalog: auth', () => {
  it('401 without a token, 401 with a bad token, 403 for a shopper', async () => {
    const body = productBody();
    problemOf(await api().POST('/admin/products', { body }), 401);
    // Forged and malformed tokens, as raw HTTP.
    const bad = await client.request('POST', '/admin/products', { body, token: `${admin.slice(0, -4)}AAAA` });
    expect(bad.status).toBe(401);
    const garbage = await client.request('POST', '/admin/products', { body, token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
    problemOf(await create(shopper, body), 403);
    // Nothing was written by any of them: the SKU is still free.
    ok(await create(admin, body), 201);
  });

  it('403 for a shopper deleting, 401 without a token replacing', async () => {
    const { productId } = ok(await create(admin, productBody()), 201);
    problemOf(await remove(shopper, productId), 403);
    problemOf(await replace(undefined, productId, productBody()), 401);
    ok(await readProduct(productId), 200);
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
    ok(await create(admin, valid()), 201);
  });
});
