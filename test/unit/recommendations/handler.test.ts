import { afterAll, describe, expect, it, vi } from 'vitest';
import { countOrder } from '../../../lambdas/recommendations/domain/counting.ts';
import { registerRecommendationsPaths } from '../../../lambdas/recommendations/openapi.ts';
import {
  documentAllowsParam,
  expectDocumented,
  ownStatuses,
  produced,
  refusedFields,
} from '../openapi-support.ts';
import { apiEvent, lambdaContext } from '../support.ts';
import { InMemoryCoPurchases, InMemoryReads, placed, product } from './memory.ts';

const store = new InMemoryCoPurchases();
const reads = new InMemoryReads(store).add(
  product('A'),
  product('B', 'kitchen', { average: 4, count: 1 }),
  product('C'),
  product('D'),
);

vi.mock('../../../lambdas/recommendations/adapters/read-wiring.ts', () => ({ deps: { reads } }));

const { handler } = await import('../../../lambdas/recommendations/handlers/get-recommendations.handler.ts');

const ROUTE = 'GET /products/{productId}/recommendations';

const get = (productId: string) =>
  handler(
    apiEvent({ pathParameters: { productId }, path: `/products/${productId}/recommendations` }),
    lambdaContext,
  );

describe('GET /products/{productId}/recommendations', () => {
  it('answers 200 with the items (the category fallback), as the document describes them', async () => {
    const res = await get('A');
    expect(res.statusCode).toBe(200);
    const { items } = JSON.parse(res.body) as { items: unknown[] };
    expect(items[0]).toEqual({ productId: 'B', name: 'Product B', score: 0.8 });
    expect(items).toHaveLength(3);
    expectDocumented(ROUTE, res);
  });

  it('answers 200 with co-purchases ranked by cosine, as documented', async () => {
    await countOrder({ store }, placed(['C', 'D']));
    await countOrder({ store }, placed(['C', 'D', 'A']));
    const res = await get('C');
    expect(JSON.parse(res.body).items.map((i: { productId: string }) => i.productId)).toEqual(['D', 'A']);
    expectDocumented(ROUTE, res);
  });

  it('answers 404 for an unknown product and 400 for what no product id can be', async () => {
    expect((await get('unknown')).statusCode).toBe(404);
    const bad = await get('x'.repeat(129));
    expect(bad.statusCode).toBe(400);
    expect(bad.headers?.['content-type']).toBe('application/problem+json');
  });

  it('refuses a productId with a 400 exactly where the document does (the catalog’s rule), else 404', async () => {
    for (const productId of ['unknown', 'a b', 'p:1.2_3-4', 'x'.repeat(128), 'x'.repeat(129), '']) {
      const res = await get(productId);
      const allowed = documentAllowsParam(ROUTE, 'path', 'productId', productId);
      expect(res.statusCode, productId).toBe(allowed ? 404 : 400);
      if (!allowed) expect(refusedFields(res)).toEqual(['productId']);
      expectDocumented(ROUTE, res);
    }
  });

  afterAll(() => {
    expect(produced(ROUTE)).toEqual(ownStatuses(registerRecommendationsPaths, ROUTE));
  });
});
