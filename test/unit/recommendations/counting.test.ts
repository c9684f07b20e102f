import { beforeEach, describe, expect, it } from 'vitest';
import {
  batchesOf,
  cosine,
  countOrder,
  MAX_PRODUCTS_PER_ORDER,
  productsOf,
  uncountOrder,
} from '../../../lambdas/recommendations/domain/counting.ts';
import { InMemoryCoPurchases, placed } from './memory.ts';

const ids = (k: number, prefix = 'p') =>
  Array.from({ length: k }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describe('co-purchase counts', () => {
  let store: InMemoryCoPurchases;
  const deps = () => ({ store });
  beforeEach(() => {
    store = new InMemoryCoPurchases();
  });

  it('counts orders per product and per ordered pair, with the cosine as the stored score', async () => {
    for (const order of [['A', 'B'], ['A', 'B'], ['A', 'C'], ['B']]) await countOrder(deps(), placed(order));
    expect(Object.fromEntries(store.n)).toEqual({ A: 3, B: 3, C: 1 });
    expect([store.co('A', 'B'), store.co('B', 'A'), store.co('A', 'C'), store.co('C', 'A')]).toEqual([
      2, 2, 1, 1,
    ]);
    expect(store.co('B', 'C')).toBe(0);
    // (A, B) was last written by the second order: n(A) = n(B) = 2 then.
    expect(store.pairs.get('A\nB')?.score).toBeCloseTo(2 / Math.sqrt(2 * 2));
    expect(store.pairs.get('C\nA')?.score).toBeCloseTo(1 / Math.sqrt(1 * 3));
  });

  it('cosine is bounded, symmetric and 0 without evidence', () => {
    expect(cosine(3, 3, 3)).toBe(1);
    expect(cosine(2, 4, 9)).toBeCloseTo(2 / 6);
    expect(cosine(2, 9, 4)).toBe(cosine(2, 4, 9));
    expect(cosine(0, 4, 9)).toBe(0);
    expect(cosine(1, 0, 9)).toBe(0);
  });

  it('counts an order delivered twice once, one after the other or at the same time', async () => {
    const order = placed(['A', 'B', 'C']);
    expect(await countOrder(deps(), order)).toEqual({ status: 'COUNTED', batchesApplied: 1 });
    expect(await countOrder(deps(), order)).toEqual({ status: 'COUNTED', batchesApplied: 0 });
    const twin = placed(['A', 'B']);
    const outcomes = await Promise.all([countOrder(deps(), twin), countOrder(deps(), twin)]);
    expect(outcomes.map((o) => o.batchesApplied).sort()).toEqual([0, 1]);
    expect(Object.fromEntries(store.n)).toEqual({ A: 2, B: 2, C: 1 });
    expect(store.co('A', 'B')).toBe(2);
    expect(store.transactions).toBe(2);
  });

  it('takes a cancelled order back out exactly once', async () => {
    await countOrder(deps(), placed(['A', 'B']));
    const order = placed(['A', 'B', 'C']);
    await countOrder(deps(), order);
    expect(await uncountOrder(deps(), order)).toEqual({ status: 'UNCOUNTED', batchesApplied: 1 });
    expect(await uncountOrder(deps(), order)).toEqual({ status: 'UNCOUNTED', batchesApplied: 0 });
    // Placed again (a late duplicate): it stays out.
    expect(await countOrder(deps(), order)).toEqual({ status: 'UNCOUNTED', batchesApplied: 0 });
    expect(Object.fromEntries(store.n)).toEqual({ A: 1, B: 1, C: 0 });
    expect([store.co('A', 'B'), store.co('A', 'C'), store.co('C', 'B')]).toEqual([1, 0, 0]);
    // Scores recomputed from the counts after the reversal.
    expect(store.pairs.get('A\nB')?.score).toBe(1);
    expect(store.pairs.get('A\nC')?.score).toBe(0);
  });

  it('keeps an order cancelled before it was counted out when its OrderPlaced comes late', async () => {
    const order = placed(['A', 'B']);
    expect(await uncountOrder(deps(), order)).toEqual({ status: 'UNCOUNTED', batchesApplied: 0 });
    expect(await countOrder(deps(), order)).toEqual({ status: 'UNCOUNTED', batchesApplied: 0 });
    expect(store.n.size).toBe(0);
    expect(store.pairs.size).toBe(0);
  });

  it('batches k^2 updates into transactions of at most 100 items with the order record', async () => {
    expect(batchesOf(ids(3)).map((b) => b.length)).toEqual([9]);
    expect(batchesOf(ids(10)).map((b) => b.length)).toEqual([99, 1]);
    expect(batchesOf(ids(25)).map((b) => b.length)).toEqual([99, 99, 99, 99, 99, 99, 31]);
    await countOrder(deps(), placed(ids(25)));
    expect(store.transactions).toBe(7);
    expect(store.itemsWritten).toBe(25 * 25 + 7);
    expect(store.largestTransaction).toBe(100);
    expect(store.pairs.size).toBe(25 * 24);
    expect([...store.pairs.values()].every((p) => p.co === 1 && p.score === 1)).toBe(true);
  });

  it('resumes a count a crash interrupted between batches, applying each batch once', async () => {
    const order = placed(ids(25));
    store.crashAfter = 3;
    await expect(countOrder(deps(), order)).rejects.toThrow('crash between batches');
    expect(await store.getOrder(order.orderId)).toMatchObject({
      status: 'COUNTING',
      batchesDone: 3,
      batches: 7,
    });
    // The SQS retry.
    expect(await countOrder(deps(), order)).toEqual({ status: 'COUNTED', batchesApplied: 4 });
    expect(store.transactions).toBe(7);
    expect(Object.values(Object.fromEntries(store.n))).toEqual(Array(25).fill(1));
    expect([...store.pairs.values()].every((p) => p.co === 1)).toBe(true);
  });

  it('resumes a reversal a crash interrupted, and finishes a count before reversing it', async () => {
    const order = placed(ids(12));
    store.crashAfter = 1;
    await expect(countOrder(deps(), order)).rejects.toThrow();
    // The cancellation arrives while the count is half done: it finishes it, then takes it out.
    store.crashAfter = 3;
    await expect(uncountOrder(deps(), order)).rejects.toThrow();
    expect(await store.getOrder(order.orderId)).toMatchObject({
      status: 'UNCOUNTING',
      batchesDone: 1,
      batches: 2,
    });
    expect(await uncountOrder(deps(), order)).toEqual({ status: 'UNCOUNTED', batchesApplied: 1 });
    expect(store.transactions).toBe(4);
    expect([...store.n.values()].every((n) => n === 0)).toBe(true);
    expect([...store.pairs.values()].every((p) => p.co === 0 && p.score === 0)).toBe(true);
  });

  it('continues from where another delivery left the order when it wins the race for a batch', async () => {
    const order = placed(ids(12));
    let raced = false;
    store.beforeApply = async (write) => {
      if (raced || write.from === 'absent') return;
      raced = true;
      store.beforeApply = undefined;
      await countOrder(deps(), order);
    };
    expect(await countOrder(deps(), order)).toEqual({ status: 'COUNTED', batchesApplied: 1 });
    expect(store.transactions).toBe(2);
    expect([...store.pairs.values()].every((p) => p.co === 1)).toBe(true);
  });

  it('counts the first 25 distinct products of an order, each once', async () => {
    const many = ids(30);
    expect(productsOf(placed(['A', 'B', 'A', 'C', 'B']).lines)).toEqual(['A', 'B', 'C']);
    expect(productsOf(placed(many).lines)).toEqual(many.slice(0, MAX_PRODUCTS_PER_ORDER));
    await countOrder(deps(), placed(['A', 'A', 'B']));
    expect(Object.fromEntries(store.n)).toEqual({ A: 1, B: 1 });
    await countOrder(deps(), placed(many));
    expect(store.n.has('p24')).toBe(true);
    expect(store.n.has('p25')).toBe(false);
  });

  it('counts a one-product order in n only', async () => {
    await countOrder(deps(), placed(['A']));
    expect(Object.fromEntries(store.n)).toEqual({ A: 1 });
    expect(store.pairs.size).toBe(0);
  });
});
