/**
 * In-memory doubles of the recommendations ports, on the rules the DynamoDB adapters state: a
 * batch applies whole or not at all, only when the order record is as its `from` says; counts
 * are ADDs; the by-score index orders a product's partners by `rankOf`; the catalog lookup
 * drops absent (deleted) products.
 */
import { rankOf } from '../../../lambdas/recommendations/adapters/table-layout.ts';
import { pairId } from '../../../lambdas/recommendations/domain/counting.ts';
import type {
  BatchWrite,
  CatalogProduct,
  CoPurchaseStore,
  OrderRecord,
  Partner,
  RecommendationReads,
} from '../../../lambdas/recommendations/domain/ports.ts';

export interface PairItem {
  a: string;
  b: string;
  co: number;
  score: number;
  rank: string;
}

export class InMemoryCoPurchases implements CoPurchaseStore {
  readonly orders = new Map<string, OrderRecord>();
  readonly n = new Map<string, number>();
  readonly pairs = new Map<string, PairItem>();
  /** Applied transactions and the items they wrote (the record included). */
  transactions = 0;
  itemsWritten = 0;
  largestTransaction = 0;
  /** Throws before applying the transaction after `crashAfter` applied ones: a crash between batches. */
  crashAfter?: number;
  /** Runs before a batch's condition is checked: lets a test have another delivery win the race. */
  beforeApply?: (write: BatchWrite) => Promise<void> | void;

  async getOrder(orderId: string) {
    const record = this.orders.get(orderId);
    return record && structuredClone(record);
  }

  async counts(productIds: readonly string[]) {
    return new Map(productIds.flatMap((p) => (this.n.has(p) ? [[p, this.n.get(p) as number] as const] : [])));
  }

  async pairCounts(pairs: readonly { a: string; b: string }[]) {
    return new Map(
      pairs.flatMap(({ a, b }) => {
        const item = this.pairs.get(pairId(a, b));
        return item ? [[pairId(a, b), item.co] as const] : [];
      }),
    );
  }

  async applyBatch(write: BatchWrite) {
    if (this.crashAfter !== undefined && this.transactions >= this.crashAfter) {
      this.crashAfter = undefined;
      throw new Error('crash between batches');
    }
    await this.beforeApply?.(write);
    const current = this.orders.get(write.orderId);
    const { from } = write;
    const matches =
      from === 'absent'
        ? current === undefined
        : current?.status === from.status && current.batchesDone === from.batchesDone;
    if (!matches) return false;
    const items = 1 + write.counts.length + write.pairs.length;
    if (items > 100) throw new Error(`a transaction of ${items} items`);
    this.orders.set(write.orderId, structuredClone(write.to));
    for (const c of write.counts) this.n.set(c.productId, (this.n.get(c.productId) ?? 0) + c.delta);
    for (const p of write.pairs) {
      const key = pairId(p.a, p.b);
      const co = (this.pairs.get(key)?.co ?? 0) + p.delta;
      this.pairs.set(key, { a: p.a, b: p.b, co, score: p.score, rank: rankOf(p.score, p.b) });
    }
    this.transactions++;
    this.itemsWritten += items;
    this.largestTransaction = Math.max(this.largestTransaction, items);
    return true;
  }

  /** co of a pair, 0 when absent. */
  co(a: string, b: string): number {
    return this.pairs.get(pairId(a, b))?.co ?? 0;
  }
}

export const product = (
  productId: string,
  category = 'kitchen',
  rating: CatalogProduct['rating'] = { average: 0, count: 0 },
): CatalogProduct => ({ productId, name: `Product ${productId}`, category, rating });

/** The read port over the store (partners by rank, as the LSI) and a catalog (newest first = insertion order reversed). */
export class InMemoryReads implements RecommendationReads {
  readonly catalog = new Map<string, CatalogProduct>();
  queries = 0;
  batchGets = 0;
  categoryQueries = 0;

  constructor(readonly store: InMemoryCoPurchases) {}

  add(...products: CatalogProduct[]): this {
    for (const p of products) this.catalog.set(p.productId, p);
    return this;
  }

  async partners(productId: string, limit: number): Promise<Partner[]> {
    this.queries++;
    return [...this.store.pairs.values()]
      .filter((p) => p.a === productId)
      .sort((x, y) => (x.rank < y.rank ? -1 : x.rank > y.rank ? 1 : 0))
      .slice(0, limit)
      .map((p) => ({ productId: p.b, co: p.co }));
  }

  async lookup(productId: string, partnerIds: readonly string[]) {
    this.batchGets++;
    const ids = [productId, ...partnerIds];
    return {
      products: new Map(
        ids.flatMap((id) =>
          this.catalog.has(id) ? [[id, this.catalog.get(id) as CatalogProduct] as const] : [],
        ),
      ),
      counts: new Map(
        ids.flatMap((id) => (this.store.n.has(id) ? [[id, this.store.n.get(id) as number] as const] : [])),
      ),
    };
  }

  async ofCategory(category: string, limit: number) {
    this.categoryQueries++;
    return [...this.catalog.values()]
      .filter((p) => p.category === category)
      .reverse()
      .slice(0, limit);
  }
}

let sequence = 0;

/** An OrderPlaced detail with one line per product id (repeats allowed). */
export function placed(productIds: readonly string[], orderId = `order-${++sequence}`) {
  return {
    version: 2 as const,
    orderId,
    userId: 'user-1',
    lines: productIds.map((productId, i) => ({
      sku: `SKU-${productId}-${i}`,
      productId,
      quantity: 1,
      unitPrice: 100,
    })),
    total: { amount: 100 * productIds.length, currency: 'USD' as const },
    shipTo: { country: 'US', region: 'OR' },
    contact: {},
    placedAt: '2026-01-01T00:00:00.000Z',
  };
}
