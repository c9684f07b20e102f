import { beforeEach, describe, expect, it } from 'vitest';
import { countOrder, uncountOrder } from '../../../lambdas/recommendations/domain/counting.ts';
import { RecommendedProductNotFoundError } from '../../../lambdas/recommendations/domain/errors.ts';
import { recommend } from '../../../lambdas/recommendations/domain/recommend.ts';
import { RecommendationsSchema } from '../../../lambdas/recommendations/domain/schemas.ts';
import { InMemoryCoPurchases, InMemoryReads, placed, product } from './memory.ts';

describe('recommendations', () => {
  let store: InMemoryCoPurchases;
  let reads: InMemoryReads;
  const buy = async (...orders: string[][]) => {
    for (const order of orders) await countOrder({ store }, placed(order));
  };
  const ask = async (productId: string) => {
    const answer = await recommend({ reads }, productId);
    expect(RecommendationsSchema.safeParse(answer).success).toBe(true);
    return answer.items;
  };
  beforeEach(() => {
    store = new InMemoryCoPurchases();
    reads = new InMemoryReads(store).add(...['A', 'B', 'C', 'D', 'X', 'Y'].map((id) => product(id)));
  });

  it('ranks by cosine, so a complement beats a best-seller bought with everything', async () => {
    // A is bought 5 times, always with the best-seller X, 3 times with Y; X sells 100 times.
    await buy(['A', 'X', 'Y'], ['A', 'X', 'Y'], ['A', 'X', 'Y'], ['A', 'X'], ['A', 'X']);
    for (let i = 0; i < 95; i++) await buy(['X', i % 2 ? 'B' : 'C']);
    const items = await ask('A');
    expect(items.map((i) => i.productId)).toEqual(['Y', 'X']);
    expect(items[0]?.score).toBeCloseTo(3 / Math.sqrt(5 * 3), 4);
    // Exact at read time, though the stored score of (A, X) dates from X's fifth sale.
    expect(items[1]?.score).toBeCloseTo(5 / Math.sqrt(5 * 100), 4);
    expect(items[1]).toEqual({ productId: 'X', name: 'Product X', score: 0.2236 });
    expect([reads.queries, reads.batchGets, reads.categoryQueries]).toEqual([1, 1, 0]);
  });

  it('never recommends the product itself or a deleted product', async () => {
    await buy(['A', 'B', 'C'], ['A', 'B']);
    // A stray self-pair (none is ever written) is dropped all the same.
    store.pairs.set('A\nA', { a: 'A', b: 'A', co: 9, score: 1, rank: '0000000000#A' });
    reads.catalog.delete('B');
    expect((await ask('A')).map((i) => i.productId)).toEqual(['C']);
  });

  it('breaks ties by co-purchases, then by product id, and answers at most 10', async () => {
    const others = Array.from({ length: 14 }, (_, i) => `Q${String(i).padStart(2, '0')}`);
    reads.add(...others.map((id) => product(id)));
    for (const id of others) await buy(['A', id]);
    const items = await ask('A');
    expect(items).toHaveLength(10);
    expect(items.map((i) => i.productId)).toEqual(others.slice(0, 10));
    expect(new Set(items.map((i) => i.score))).toEqual(
      new Set([Math.round((1 / Math.sqrt(14)) * 10_000) / 10_000]),
    );
  });

  it('answers 404 for a product the catalog does not have (never created or deleted)', async () => {
    await buy(['A', 'B']);
    await expect(recommend({ reads }, 'nope')).rejects.toBeInstanceOf(RecommendedProductNotFoundError);
    reads.catalog.delete('A');
    await expect(recommend({ reads }, 'A')).rejects.toBeInstanceOf(RecommendedProductNotFoundError);
  });

  it('falls back to the best-rated products of its category when nobody bought it with anything', async () => {
    reads.add(
      product('K1', 'kitchen', { average: 4.5, count: 10 }),
      product('K2', 'kitchen', { average: 4.5, count: 30 }),
      product('K3', 'kitchen', { average: 2, count: 3 }),
      product('T1', 'toys', { average: 5, count: 100 }),
    );
    const lonely = product('L', 'kitchen', { average: 5, count: 1 });
    reads.add(lonely);
    const items = await ask('L');
    expect(items.slice(0, 3)).toEqual([
      { productId: 'K2', name: 'Product K2', score: 0.9 },
      { productId: 'K1', name: 'Product K1', score: 0.9 },
      { productId: 'K3', name: 'Product K3', score: 0.4 },
    ]);
    expect(items.map((i) => i.productId)).not.toContain('L');
    expect(items.map((i) => i.productId)).not.toContain('T1');
    expect(reads.categoryQueries).toBe(1);
  });

  it('falls back too when every partner was deleted or cancelled out', async () => {
    reads.add(product('K1', 'kitchen', { average: 4, count: 2 }));
    const order = placed(['A', 'B']);
    await countOrder({ store }, order);
    await buy(['C', 'D']);
    reads.catalog.delete('D');
    expect((await ask('C')).map((i) => i.productId)[0]).toBe('K1');
    await uncountOrder({ store }, order);
    expect((await ask('A')).map((i) => i.productId)[0]).toBe('K1');
  });
});
