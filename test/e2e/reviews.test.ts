/**
 * Reviews, ratings and recommendations end to end on the local cloud: a buyer (known to reviews
 * from OrderPlaced) reviews a product and the product's rating and its search document follow; a
 * non-buyer is refused; 20 concurrent reviews leave an exact summary; co-purchases counted from
 * OrderPlaced (each order once, cancelled orders taken back out) rank the recommendations.
 */
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, REGION } from '../../local/template.ts';
import {
  ADDRESS,
  type Buyer,
  buyer,
  checkout,
  ensureWarehouses,
  orderWhen,
  product,
} from './support/commerce.ts';
import { expectDocumented } from './support/contract.ts';
import { adminToken, client, eventually, productBody, uniqueSku, uniqueWord } from './support/fixtures.ts';

interface Review {
  reviewId: string;
  productId: string;
  rating: number;
  title: string;
  body: string;
}
interface ReviewPage {
  items: Review[];
  nextCursor?: string;
  summary: { average: number; count: number; histogram: Record<string, number> };
}

const aws = { endpoint: inject('awsEndpoint'), region: REGION, credentials: LOCAL_CREDENTIALS };
let admin: string;

beforeAll(async () => {
  admin = await adminToken();
  await ensureWarehouses(admin);
});

/** A buyer whose order of the product was CONFIRMED (and whose purchase reviews has recorded). */
async function buyerOf(sku: string): Promise<Buyer> {
  const b = await buyer([[sku, 1]]);
  const orderId = await checkout(b);
  await orderWhen(b.token, orderId, (o) => o.status !== 'PENDING');
  return b;
}

const review = (productId: string, token: string, body: unknown) =>
  client.request<Review>('POST', `/products/${productId}/reviews`, { token, body });

/** POST until the purchase has reached reviews (it arrives by event, within a second or so). */
async function reviewAsBuyer(productId: string, token: string, body: unknown) {
  let res = await review(productId, token, body);
  const started = Date.now();
  while (res.status === 403 && Date.now() - started < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    res = await review(productId, token, body);
  }
  return res;
}

const reviewsOf = (productId: string, query = '') =>
  client.request<ReviewPage>('GET', `/products/${productId}/reviews${query}`);

describe('reviews', () => {
  it("a buyer's review moves the product's rating and its search document; a non-buyer is refused; a second review is 409", async () => {
    const word = uniqueWord();
    const sku = uniqueSku('RV');
    const created = await client.request<{ productId: string }>('POST', '/admin/products', {
      token: admin,
      body: productBody({
        name: `Reviewed ${word}`,
        variants: [{ sku, attributes: { size: 'M' }, price: { amount: 1000, currency: 'USD' } }],
      }),
    });
    const productId = created.body.productId;
    await client.request('POST', `/admin/inventory/${sku}/receive`, { token: admin, body: { quantity: 5 } });
    await client.request('POST', '/admin/warehouses/us-east/allocations', {
      token: admin,
      body: { sku, quantity: 5 },
    });

    const stranger = await buyer();
    const refused = await review(productId, stranger.token, {
      rating: 5,
      title: 'Great',
      body: 'Never bought it',
    });
    expect(refused.status).toBe(403);
    await expectDocumented('POST /products/{productId}/reviews', refused);

    const b = await buyerOf(sku);
    const posted = await reviewAsBuyer(productId, b.token, {
      rating: 4,
      title: 'Good lamp',
      body: 'Bright and warm.',
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    await expectDocumented('POST /products/{productId}/reviews', posted);
    const again = await review(productId, b.token, { rating: 2, title: 'Again', body: 'Second try' });
    expect(again.status).toBe(409);

    const page = await reviewsOf(productId);
    await expectDocumented('GET /products/{productId}/reviews', page);
    expect(page.body.summary).toMatchObject({ average: 4, count: 1 });
    expect(page.body.summary.histogram).toMatchObject({ 4: 1, 5: 0 });
    await eventually(async () => {
      const p = await client.request<{ rating: { average: number; count: number } }>(
        'GET',
        `/products/${productId}`,
      );
      return p.body.rating.count === 1 && p.body.rating.average === 4;
    }, 15_000);
    await eventually(async () => {
      const found = await client.request<{ items: { productId: string; rating: { average: number } }[] }>(
        'GET',
        `/search?q=${word}&minRating=4`,
      );
      return found.body.items.some((i) => i.productId === productId && i.rating.average === 4);
    }, 15_000);

    // The author edits (the summary follows); someone else may not.
    const edited = await client.request<Review>(
      'PUT',
      `/products/${productId}/reviews/${posted.body.reviewId}`,
      {
        token: b.token,
        body: { rating: 2, title: 'Dimmer than hoped', body: 'After a week.' },
      },
    );
    expect(edited.status).toBe(200);
    expect((await reviewsOf(productId)).body.summary).toMatchObject({ average: 2, count: 1 });
    const theirs = await client.request('PUT', `/products/${productId}/reviews/${posted.body.reviewId}`, {
      token: stranger.token,
      body: { rating: 5, title: 'x', body: 'y' },
    });
    expect(theirs.status).toBe(403);
    await eventually(async () => {
      const p = await client.request<{ rating: { average: number } }>('GET', `/products/${productId}`);
      return p.body.rating.average === 2;
    }, 15_000);

    // An admin hides it: out of the list and the summary.
    const hidden = await client.request('DELETE', `/admin/reviews/${posted.body.reviewId}`, { token: admin });
    expect(hidden.status).toBe(204);
    const after = await reviewsOf(productId);
    expect(after.body.items).toEqual([]);
    expect(after.body.summary).toMatchObject({ average: 0, count: 0 });
  });

  it('refuses bad input with a 400 and an unknown product with a 404, writing nothing', async () => {
    const p = await product(admin, 1000, { 'us-east': 3 });
    const b = await buyerOf(p.sku);
    const good = { rating: 3, title: 'Fine', body: 'It works.' };
    // Wait for the purchase to be known, then check every bad shape against a real buyer.
    await eventually(
      async () => (await review(p.productId, b.token, { ...good, rating: 0 })).status === 400,
      15_000,
    );
    for (const bad of [
      { ...good, rating: 0 },
      { ...good, rating: 6 },
      { ...good, rating: 3.5 },
      { ...good, rating: '5' },
      { rating: 3, body: 'no title' },
      { ...good, title: 'x'.repeat(121) },
      { ...good, body: 'x'.repeat(4001) },
      { ...good, title: '   ' },
      { ...good, extra: true },
    ]) {
      const res = await review(p.productId, b.token, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const missing = await review('no-such-product', b.token, good);
    expect(missing.status).toBe(404);
    expect((await reviewsOf(p.productId)).body.summary.count).toBe(0);
    expect((await reviewAsBuyer(p.productId, b.token, good)).status).toBe(201);
  });

  it('20 concurrent reviews of one product leave an exact average and count', async () => {
    const p = await product(admin, 1000, { 'us-east': 30 });
    const buyers: Buyer[] = [];
    for (let i = 0; i < 20; i += 5)
      buyers.push(...(await Promise.all(Array.from({ length: 5 }, () => buyerOf(p.sku)))));
    const ratings = buyers.map((_, i) => (i % 5) + 1);
    const answers = await Promise.all(
      buyers.map((b, i) =>
        reviewAsBuyer(p.productId, b.token, {
          rating: ratings[i],
          title: `Review ${i}`,
          body: 'Concurrent.',
        }),
      ),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(201);
    const sum = ratings.reduce((a, b) => a + b, 0);
    const page = await reviewsOf(p.productId, '?limit=100');
    expect(page.body.summary.count).toBe(20);
    expect(page.body.summary.average).toBe(Math.round((sum / 20) * 100) / 100);
    expect(page.body.summary.histogram).toEqual({ 1: 4, 2: 4, 3: 4, 4: 4, 5: 4 });
    expect(page.body.items).toHaveLength(20);
    await eventually(async () => {
      const product = await client.request<{ rating: { average: number; count: number } }>(
        'GET',
        `/products/${p.productId}`,
      );
      return product.body.rating.count === 20 && product.body.rating.average === page.body.summary.average;
    }, 20_000);
    // Pages by rating: highest first, a cursor per product and sort.
    const first = await reviewsOf(p.productId, '?sort=rating&limit=8');
    expect(first.body.items.map((r) => r.rating)).toEqual([5, 5, 5, 5, 4, 4, 4, 4]);
    const next = await reviewsOf(p.productId, `?sort=rating&limit=8&cursor=${first.body.nextCursor}`);
    expect(next.body.items.map((r) => r.rating)).toEqual([3, 3, 3, 3, 2, 2, 2, 2]);
    const wrong = await reviewsOf(p.productId, `?sort=newest&cursor=${first.body.nextCursor}`);
    expect(wrong.status).toBe(400);
  }, 180_000);
});

describe('recommendations', () => {
  it('rank real co-purchases by cosine, count a twice-delivered order once, and take a cancelled order back out', async () => {
    const category = `recs-${uniqueWord(6)}`;
    const make = async (name: string) => {
      const sku = uniqueSku('RC');
      const res = await client.request<{ productId: string }>('POST', '/admin/products', {
        token: admin,
        body: productBody({
          name,
          category,
          variants: [{ sku, attributes: { size: 'M' }, price: { amount: 1000, currency: 'USD' } }],
        }),
      });
      return { sku, productId: res.body.productId };
    };
    const [a, b, c, lone] = [
      await make('Rec A'),
      await make('Rec B'),
      await make('Rec C'),
      await make('Rec Lone'),
    ];
    const sqs = new SQSClient(aws);
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: 'store-local-recommendations-count' }),
    );
    const tag = uniqueWord(6);
    const line = (p: { sku: string; productId: string }) => ({
      sku: p.sku,
      productId: p.productId,
      quantity: 1,
      unitPrice: 1000,
    });
    const placed = (n: number, products: { sku: string; productId: string }[]) => ({
      id: `evt-${tag}-${n}-${Math.random()}`,
      source: 'store.orders',
      'detail-type': 'OrderPlaced',
      time: new Date().toISOString(),
      detail: {
        version: 1,
        orderId: `ord_rec${tag}${n}`,
        userId: `u-${tag}-${n}`,
        lines: products.map(line),
        total: { amount: 1000 * products.length, currency: 'USD' },
        shippingAddress: ADDRESS,
        contact: {},
        placedAt: new Date().toISOString(),
      },
    });
    const send = (bodies: unknown[]) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: JSON.stringify(body) })),
        }),
      );
    // A with B three times (one of them delivered twice), A with C once.
    await send([
      placed(1, [a, b]),
      placed(2, [a, b]),
      placed(3, [a, b]),
      placed(3, [a, b]),
      placed(4, [a, c]),
    ]);
    const recs = () =>
      client.request<{ items: { productId: string; name: string; score: number }[] }>(
        'GET',
        `/products/${a.productId}/recommendations`,
      );
    await eventually(async () => (await recs()).body.items.length === 2, 20_000, 200);
    const ranked = await recs();
    await expectDocumented('GET /products/{productId}/recommendations', ranked);
    expect(ranked.body.items.map((i) => i.productId)).toEqual([b.productId, c.productId]);
    // n(A) = 4, n(B) = 3, n(C) = 1: cosine 3/sqrt(12) and 1/sqrt(4).
    expect(ranked.body.items[0]?.score).toBeCloseTo(3 / Math.sqrt(12), 2);
    expect(ranked.body.items[1]?.score).toBeCloseTo(1 / Math.sqrt(4), 2);
    expect(ranked.body.items.map((i) => i.productId)).not.toContain(a.productId);

    // Order 4 is cancelled: its pair goes.
    await send([
      {
        id: `evt-${tag}-cancel`,
        source: 'store.orders',
        'detail-type': 'OrderCancelled',
        time: new Date().toISOString(),
        detail: {
          version: 1,
          orderId: `ord_rec${tag}4`,
          userId: `u-${tag}-4`,
          lines: [
            { sku: a.sku, quantity: 1 },
            { sku: c.sku, quantity: 1 },
          ],
          refund: { amount: 2000, currency: 'USD' },
          contact: {},
          cancelledAt: new Date().toISOString(),
        },
      },
    ]);
    await eventually(async () => (await recs()).body.items.length === 1, 20_000, 200);
    expect((await recs()).body.items.map((i) => i.productId)).toEqual([b.productId]);

    // A product never bought with another falls back to its category, never itself.
    const fallback = await client.request<{ items: { productId: string }[] }>(
      'GET',
      `/products/${lone.productId}/recommendations`,
    );
    expect(fallback.status).toBe(200);
    expect(fallback.body.items.map((i) => i.productId)).not.toContain(lone.productId);
    expect(fallback.body.items.length).toBeGreaterThan(0);
    expect((await client.request('GET', '/products/nope/recommendations')).status).toBe(404);
  }, 90_000);
});
