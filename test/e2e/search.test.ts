import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  client,
  eventually,
  type Problem,
  productBody,
  uniqueSku,
  uniqueWord,
} from './support/fixtures.ts';

interface SearchItem {
  productId: string;
  name: string;
  brand: string;
  category: string;
  price: { amount: number; currency: string };
  rating: { average: number; count: number };
  image?: string;
}
interface Bucket {
  value: string;
  count: number;
}
interface SearchResult {
  items: SearchItem[];
  total: number;
  facets: {
    category: Bucket[];
    brand: Bucket[];
    price: { from?: number; to?: number; count: number }[];
    rating: { min: number; count: number }[];
  };
  nextCursor?: string;
}

let admin: string;

/** Cursor bytes the suite builds itself: tampered ones must never look like the server's. */
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const cursorOf = (value: unknown) => b64(JSON.stringify(value));
const inside = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { h: string; a: unknown[] };

/** A list filter (`brand: ['a', 'b']`) goes as the parameter repeated, as the document states. */
async function search(params: Record<string, string | string[]>) {
  const query = Object.entries(params).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]),
  );
  const res = await client.request<SearchResult>('GET', `/search?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function create(overrides: Parameters<typeof productBody>[0]) {
  const res = await client.request<{ productId: string }>('POST', '/admin/products', {
    token: admin,
    body: productBody(overrides),
  });
  expect(res.status).toBe(201);
  return res.body.productId;
}

beforeAll(async () => {
  admin = await adminToken();
});

describe('search follows the catalog through the stream', () => {
  it('makes a new product searchable within 2 s', async () => {
    const word = uniqueWord();
    const productId = await create({ name: `${word} Espresso Machine` });
    const lag = await eventually(
      async () => (await search({ q: word })).items.some((i) => i.productId === productId),
      2000,
    );
    console.log(`index lag: product write -> searchable in ${lag.toFixed(3)} s`);
    expect(lag).toBeLessThan(2);
  });

  it('finds a product despite a one-letter typo, and ranks the exact match first', async () => {
    const word = uniqueWord();
    const productId = await create({ name: `${word} Trail Backpack` });
    await eventually(async () => (await search({ q: word })).total > 0);
    const typo = `${word.slice(0, 3)}${word[3] === 'a' ? 'e' : 'a'}${word.slice(4)}`;
    const result = await search({ q: typo });
    expect(result.items[0]?.productId).toBe(productId);
    const dropped = await search({ q: `${word.slice(0, 4)}${word.slice(5)}` });
    expect(dropped.items.map((i) => i.productId)).toContain(productId);
  });

  it('reflects updates and deletes', async () => {
    const before = uniqueWord();
    const after = uniqueWord();
    const body = productBody({ name: `${before} Lamp` });
    const res = await client.request<{ productId: string }>('POST', '/admin/products', {
      token: admin,
      body,
    });
    const { productId } = res.body;
    await eventually(async () => (await search({ q: before })).total === 1);

    const put = await client.request('PUT', `/admin/products/${productId}`, {
      token: admin,
      body: { ...body, name: `${after} Lamp` },
    });
    expect(put.status).toBe(200);
    await eventually(
      async () => (await search({ q: after })).items.some((i) => i.productId === productId),
      2000,
    );
    expect((await search({ q: before })).items.some((i) => i.productId === productId)).toBe(false);

    expect((await client.request('DELETE', `/admin/products/${productId}`, { token: admin })).status).toBe(
      204,
    );
    await eventually(async () => (await search({ q: after })).total === 0, 2000);
  });
});

describe('filters, facets, sorts and pages', () => {
  const category = `cat-${uniqueWord(6)}`;
  const word = uniqueWord();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const specs = [
      { key: 'cheapA', brand: 'Alpha', amount: 1_000 },
      { key: 'midA', brand: 'Alpha', amount: 4_000 },
      { key: 'midB', brand: 'Beta', amount: 7_500 },
      { key: 'dearB', brand: 'Beta', amount: 25_000 },
      { key: 'dearC', brand: 'Gamma', amount: 30_000 },
    ];
    for (const spec of specs) {
      ids[spec.key] = await create({
        name: `${word} ${spec.key}`,
        brand: spec.brand,
        category,
        variants: [
          { sku: uniqueSku(), attributes: {}, price: { amount: spec.amount + 500, currency: 'USD' } },
          { sku: uniqueSku(), attributes: {}, price: { amount: spec.amount, currency: 'USD' } },
        ],
      });
    }
    await eventually(async () => (await search({ category })).total === specs.length, 5000);
  });

  it('reports the lowest variant price and facets over the category', async () => {
    const result = await search({ category });
    expect(result.total).toBe(5);
    const cheap = result.items.find((i) => i.productId === ids.cheapA);
    expect(cheap?.price).toEqual({ amount: 1_000, currency: 'USD' });
    const brands = Object.fromEntries(result.facets.brand.map((b) => [b.value, b.count]));
    expect(brands).toEqual({ Alpha: 2, Beta: 2, Gamma: 1 });
    expect(result.facets.category).toEqual([{ value: category, count: 5 }]);
    expect(result.facets.price.reduce((sum, b) => sum + b.count, 0)).toBe(5);
  });

  it('filters by brand and price range in minor units', async () => {
    const beta = await search({ category, brand: 'Beta' });
    expect(beta.items.map((i) => i.productId).sort()).toEqual([ids.midB, ids.dearB].sort());
    const ranged = await search({ category, minPrice: '3000', maxPrice: '10000' });
    expect(ranged.items.map((i) => i.productId).sort()).toEqual([ids.midA, ids.midB].sort());
  });

  it('sorts by price both ways and pages with a cursor without repeats', async () => {
    const asc = await search({ category, sort: 'price_asc' });
    expect(asc.items.map((i) => i.price.amount)).toEqual([1_000, 4_000, 7_500, 25_000, 30_000]);
    const desc = await search({ category, sort: 'price_desc' });
    expect(desc.items.map((i) => i.price.amount)).toEqual([30_000, 25_000, 7_500, 4_000, 1_000]);

    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search({ category, sort: 'price_asc', limit: '2', ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.price.amount));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([1_000, 4_000, 7_500, 25_000, 30_000]);
  });

  it('rejects bad parameters with 400', async () => {
    for (const query of [
      'sort=cheapest',
      'minPrice=-5',
      'minPrice=abc',
      'limit=500',
      'minRating=9',
      'cursor=%%%',
    ]) {
      const res = await client.request('GET', `/search?${query}`);
      expect(res.status, query).toBe(400);
    }
  });

  const SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'rating'] as const;
  /** relevance ranks only with text; the word is in every name, so the five match either way. */
  const paramsFor = (sort: string): Record<string, string> =>
    sort === 'relevance' ? { category, sort, q: word } : { category, sort };

  it.each(SORTS)(
    'pages a %s search two at a time: every product once, in the one-page order',
    async (sort) => {
      const order = (await search({ ...paramsFor(sort), limit: '10' })).items.map((i) => i.productId);
      expect([...order].sort()).toEqual(Object.values(ids).sort());
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await search({ ...paramsFor(sort), limit: '2', ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((i) => i.productId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(order);
    },
  );

  it.each(SORTS)('answers every tampered %s cursor with 400 on cursor, never a 5xx', async (sort) => {
    const params = paramsFor(sort);
    const issued = (await search({ ...params, limit: '2' })).nextCursor ?? '';
    const good = inside(issued);
    expect(good.a.length).toBeGreaterThanOrEqual(2);
    const other = (
      await search({ ...paramsFor(sort === 'price_asc' ? 'price_desc' : 'price_asc'), limit: '2' })
    ).nextCursor;
    const otherQuery = (await search({ ...params, brand: ['Alpha', 'Beta'], limit: '1' })).nextCursor;
    expect(other && otherQuery).toBeTruthy();
    const replaced = (i: number, value: unknown) => good.a.map((v, j) => (j === i ? value : v));
    const tampered: [string, string][] = [
      ['the reported shape', cursorOf({ s: sort, a: ['abc', 'x'] })],
      ['strings everywhere', cursorOf({ h: good.h, a: good.a.map(() => 'abc') })],
      ['numbers everywhere', cursorOf({ h: good.h, a: good.a.map(() => 1) })],
      ['nulls', cursorOf({ h: good.h, a: good.a.map(() => null) })],
      ['nested objects', cursorOf({ h: good.h, a: good.a.map(() => ({ $gt: 1 })) })],
      ['a huge number', cursorOf({ h: good.h, a: replaced(0, 1e300) })],
      ['a negative number', cursorOf({ h: good.h, a: replaced(0, -1) })],
      ['a number as a string', cursorOf({ h: good.h, a: replaced(0, String(good.a[0])) })],
      ['Infinity', b64(`{"h":"${good.h}","a":[1e999${',"x"'.repeat(good.a.length - 1)}]}`)],
      ['NaN', b64(`{"h":"${good.h}","a":[NaN${',"x"'.repeat(good.a.length - 1)}]}`)],
      ['a made-up id', cursorOf({ h: good.h, a: replaced(good.a.length - 1, 'x') })],
      ['an id of another type', cursorOf({ h: good.h, a: replaced(good.a.length - 1, 42) })],
      ['one value short', cursorOf({ h: good.h, a: good.a.slice(1) })],
      ['one value more', cursorOf({ h: good.h, a: [...good.a, good.a[0]] })],
      ['no values', cursorOf({ h: good.h, a: [] })],
      ['an extra field', cursorOf({ ...good, s: sort })],
      ['no binding', cursorOf({ a: good.a })],
      ['null', cursorOf(null)],
      ['a bare array', cursorOf(good.a)],
      ['another sort', other ?? ''],
      ['another search', otherQuery ?? ''],
      ['not base64', 'not a cursor!'],
      ['padded', `${issued}=`],
      ['re-encoded with spaces', b64(JSON.stringify(good, null, 1))],
      ['too long', 'A'.repeat(2049)],
    ];
    const answers: string[] = [];
    for (const [label, cursor] of tampered) {
      const res = await client.request<Problem>(
        'GET',
        `/search?${new URLSearchParams({ ...params, cursor })}`,
      );
      const paths = res.body?.errors?.map((e) => e.path) ?? [];
      const problem = res.headers.get('content-type')?.includes('application/problem+json');
      answers.push(`${label}: ${res.status}${problem ? '' : ' (not problem+json)'} ${paths.join(',')}`);
    }
    expect(answers).toEqual(tampered.map(([label]) => `${label}: 400 cursor`));
    // The issued cursor still works after all that.
    expect((await search({ ...params, limit: '2', cursor: issued })).items).toHaveLength(2);
  });

  it('suggests by prefix', async () => {
    const res = await client.request<{ suggestions: { text: string; productId: string }[] }>(
      'GET',
      `/search/suggest?q=${word.slice(0, 5)}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.suggestions.length).toBeGreaterThan(0);
    expect(res.body.suggestions.length).toBeLessThanOrEqual(10);
    expect(res.body.suggestions.map((s) => s.productId)).toContain(ids.cheapA);
  });
});
