import { describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../support.ts';
import { InMemoryCoPurchases, InMemoryReads, product } from './memory.ts';

const reads = new InMemoryReads(new InMemoryCoPurchases()).add(
  product('A'),
  product('B', 'kitchen', { average: 4, count: 1 }),
);

vi.mock('../../../lambdas/recommendations/adapters/read-wiring.ts', () => ({ deps: { reads } }));

const { handler } = await import('../../../lambdas/recommendations/handlers/get-recommendations.handler.ts');

const get = (productId: string) =>
  handler(
    apiEvent({ pathParameters: { productId }, path: `/products/${productId}/recommendations` }),
    lambdaContext,
  );

describe('GET /products/{productId}/recommendations', () => {
  it('answers 200 with the items', async () => {
    const res = await get('A');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ items: [{ productId: 'B', name: 'Product B', score: 0.8 }] });
  });

  it('answers 404 for an unknown product and 400 for what no product id can be', async () => {
    expect((await get('unknown')).statusCode).toBe(404);
    const bad = await get('x'.repeat(129));
    expect(bad.statusCode).toBe(400);
    expect(bad.headers?.['content-type']).toBe('application/problem+json');
  });
});
