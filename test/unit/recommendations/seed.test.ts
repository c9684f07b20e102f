import { describe, expect, it } from 'vitest';
import { OrderPlacedSchema } from '#events/catalog.ts';
import { countOrder } from '../../../lambdas/recommendations/domain/counting.ts';
import { recommend } from '../../../lambdas/recommendations/domain/recommend.ts';
import {
  generateOrderHistory,
  type HistoryProduct,
  historyModel,
  publishHistory,
} from '../../../lambdas/recommendations/seed.ts';
import { InMemoryCoPurchases, InMemoryReads, product } from './memory.ts';

const CATEGORIES = ['electronics', 'books', 'kitchen', 'outdoors'];
const products: HistoryProduct[] = Array.from({ length: 80 }, (_, i) => ({
  productId: `prod-${String(i).padStart(3, '0')}`,
  category: CATEGORIES[i % CATEGORIES.length] as string,
  variants: [
    { sku: `SKU-${i}-A`, price: { amount: 1_000 + i } },
    { sku: `SKU-${i}-B`, price: { amount: 2_000 + i } },
  ],
}));

describe('seeded order history', () => {
  const orders = generateOrderHistory(products, { orders: 2_000, seed: 7 });

  it('is deterministic: the same products, seed and count give the same orders', () => {
    expect(generateOrderHistory(products, { orders: 2_000, seed: 7 })).toEqual(orders);
    expect(generateOrderHistory(products, { orders: 2_000, seed: 8 })).not.toEqual(orders);
    expect(generateOrderHistory([], { orders: 10 })).toEqual([]);
  });

  it('gives valid OrderPlaced details: distinct products per order, totals that add up, time order', () => {
    for (const order of orders) {
      expect(OrderPlacedSchema.safeParse(order).success, order.orderId).toBe(true);
      const ids = order.lines.map((l) => l.productId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(order.total.amount).toBe(order.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0));
    }
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(orders.length);
    const times = orders.map((o) => o.placedAt);
    expect([...times].sort()).toEqual(times);
    expect(String(times.at(-1)) < '2026-01-01T00:00:00.000Z').toBe(true);
  });

  it('has skewed popularity and complements bought together far more often than chance', () => {
    const sales = new Map<string, number>();
    for (const o of orders)
      for (const l of o.lines) sales.set(l.productId, (sales.get(l.productId) ?? 0) + 1);
    const sorted = [...sales.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, products.length / 10).reduce((a, b) => a + b, 0);
    expect(top / sorted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.3);

    const { complements } = historyModel(products, 7);
    const together = (a: string, b: string) =>
      orders.filter((o) => o.lines.some((l) => l.productId === a) && o.lines.some((l) => l.productId === b))
        .length;
    let complementRate = 0;
    let otherRate = 0;
    let pairs = 0;
    for (const p of products.slice(0, 20)) {
      const mine = complements.get(p.productId) ?? [];
      const other = products.find(
        (q) =>
          q.productId !== p.productId &&
          !mine.includes(q.productId) &&
          !(complements.get(q.productId) ?? []).includes(p.productId),
      );
      const first = mine[0];
      if (!first || !other) continue;
      complementRate += together(p.productId, first);
      otherRate += together(p.productId, other.productId);
      pairs++;
    }
    expect(pairs).toBeGreaterThan(10);
    expect(complementRate).toBeGreaterThan(3 * otherRate);
    expect(Math.max(...orders.map((o) => o.lines.length))).toBeGreaterThan(2);
  });

  it('makes recommendations that find the complements once counted', async () => {
    const store = new InMemoryCoPurchases();
    const reads = new InMemoryReads(store).add(...products.map((p) => product(p.productId, p.category)));
    const published: string[] = [];
    const count = await publishHistory(
      orders,
      async (detail) => {
        published.push(detail.orderId);
        await countOrder({ store }, detail);
      },
      { concurrency: 4 },
    );
    expect(count).toBe(orders.length);
    expect(new Set(published).size).toBe(orders.length);
    const { complements, popularity } = historyModel(products, 7);
    const hits = async (set: readonly HistoryProduct[], within: number) => {
      let found = 0;
      for (const p of set) {
        const top = (await recommend({ reads }, p.productId)).items.slice(0, within).map((i) => i.productId);
        if ((complements.get(p.productId) ?? []).some((c) => top.includes(c))) found++;
      }
      return found / set.length;
    };
    // Popular products have the evidence: a complement is among their first three.
    const popular = [...products]
      .sort((a, b) => (popularity.get(b.productId) ?? 0) - (popularity.get(a.productId) ?? 0))
      .slice(0, 20);
    expect(await hits(popular, 3)).toBeGreaterThanOrEqual(0.9);
    // Rarely bought ones less so (cosine over few orders is noisy), but most still show one.
    expect(await hits(products, 5)).toBeGreaterThanOrEqual(0.85);
  });
});
