import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, client, eventually, productBody, uniqueSku, uniqueWord } from './support/fixtures.ts';

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

async function search(params: Record<string, string>) {
  const res = await client.request<SearchResult>('GET', `/search?${new URLSearchParams(params)}`);
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
