/**
 * In-memory reviews store with the DynamoDB adapter's conditions: a create refuses an existing
 * claim or a non-buyer, update and delete refuse a review not at the read version, and a
 * transaction on a product while another one on it is in flight loses with `race` (DynamoDB's
 * TransactionConflict), so concurrency tests exercise the retries.
 */
import type { EventDetail, EventName } from '#events/catalog.ts';
import type { ReviewPosition } from '../../../lambdas/reviews/domain/list-cursor.ts';
import type {
  CreateOutcome,
  OrderRecord,
  ReviewPage,
  ReviewStore,
  WriteOutcome,
} from '../../../lambdas/reviews/domain/ports.ts';
import {
  applyDelta,
  emptySummary,
  type Review,
  type ReviewSort,
  STARS,
  type Summary,
  type SummaryDelta,
} from '../../../lambdas/reviews/domain/review.ts';
import type { ReviewsDeps } from '../../../lambdas/reviews/domain/use-cases.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const isZero = (d: SummaryDelta) =>
  d.count === 0 && d.sum === 0 && STARS.every((s) => (d.histogram[s] ?? 0) === 0);

export class MemoryReviewStore implements ReviewStore {
  readonly reviews = new Map<string, Review>();
  readonly claims = new Map<string, string>();
  readonly summaries = new Map<string, Summary>();
  readonly purchases = new Map<string, Set<string>>();
  readonly orders = new Map<string, OrderRecord>();
  /** Products with a transaction in flight. */
  private readonly busy = new Set<string>();
  races = 0;
  writes = 0;

  private async transaction<T>(productId: string, commit: () => T): Promise<T | 'race'> {
    if (this.busy.has(productId)) {
      this.races++;
      await tick();
      return 'race';
    }
    this.busy.add(productId);
    try {
      await tick();
      return commit();
    } finally {
      this.busy.delete(productId);
    }
  }

  private addToSummary(productId: string, delta: SummaryDelta): void {
    if (isZero(delta)) return;
    this.summaries.set(
      productId,
      applyDelta(this.summaries.get(productId) ?? emptySummary(productId), delta),
    );
  }

  async getReview(reviewId: string) {
    await tick();
    const r = this.reviews.get(reviewId);
    return r ? structuredClone(r) : undefined;
  }

  async reviewIdOf(productId: string, userId: string) {
    await tick();
    return this.claims.get(`${productId}|${userId}`);
  }

  async isBuyer(userId: string, productId: string) {
    await tick();
    return (this.purchases.get(`${userId}|${productId}`)?.size ?? 0) > 0;
  }

  async create(review: Review, delta: SummaryDelta): Promise<CreateOutcome> {
    return this.transaction(review.productId, () => {
      const claim = `${review.productId}|${review.userId}`;
      if (this.claims.has(claim)) return 'exists' as const;
      if ((this.purchases.get(`${review.userId}|${review.productId}`)?.size ?? 0) === 0)
        return 'not-buyer' as const;
      if (this.reviews.has(review.reviewId)) return 'race' as const;
      this.reviews.set(review.reviewId, structuredClone(review));
      this.claims.set(claim, review.reviewId);
      this.addToSummary(review.productId, delta);
      this.writes++;
      return 'created' as const;
    });
  }

  async update(next: Review, previous: Review, delta: SummaryDelta): Promise<WriteOutcome> {
    return this.transaction(previous.productId, () => {
      if (this.reviews.get(previous.reviewId)?.version !== previous.version) return 'race' as const;
      this.reviews.set(next.reviewId, structuredClone(next));
      this.addToSummary(previous.productId, delta);
      this.writes++;
      return 'written' as const;
    });
  }

  async delete(previous: Review, delta: SummaryDelta): Promise<WriteOutcome> {
    return this.transaction(previous.productId, () => {
      if (this.reviews.get(previous.reviewId)?.version !== previous.version) return 'race' as const;
      this.reviews.delete(previous.reviewId);
      this.claims.delete(`${previous.productId}|${previous.userId}`);
      this.addToSummary(previous.productId, delta);
      this.writes++;
      return 'written' as const;
    });
  }

  async getSummary(productId: string) {
    await tick();
    const s = this.summaries.get(productId);
    return s ? structuredClone(s) : undefined;
  }

  async markPublished(productId: string, version: number) {
    await tick();
    const s = this.summaries.get(productId);
    if (s && s.version === version) s.unpublished = false;
  }

  async unpublished(limit: number) {
    return [...this.summaries.values()]
      .filter((s) => s.unpublished)
      .slice(0, limit)
      .map((s) => s.productId);
  }

  async list(
    productId: string,
    sort: ReviewSort,
    limit: number,
    after?: ReviewPosition,
  ): Promise<ReviewPage> {
    const key = (r: ReviewPosition) =>
      sort === 'rating' ? `${r.rating}#${r.createdAt}#${r.reviewId}` : `${r.createdAt}#${r.reviewId}`;
    const visible = [...this.reviews.values()]
      .filter((r) => r.productId === productId && !r.hidden)
      .sort((a, b) => (key(a) < key(b) ? 1 : -1))
      .filter((r) => !after || key(r) < key(after));
    const items = visible.slice(0, limit).map((r) => structuredClone(r));
    const last = items.at(-1);
    return { items, ...(visible.length > limit && last ? { last } : {}) };
  }

  async notePlaced(order: { orderId: string; userId: string; productIds: string[] }) {
    await tick();
    const record = this.orders.get(order.orderId) ?? {
      orderId: order.orderId,
      userId: order.userId,
      cancelled: false,
    };
    record.productIds ??= [...order.productIds];
    this.orders.set(order.orderId, record);
    return structuredClone(record);
  }

  async noteCancelled(order: { orderId: string; userId: string }) {
    await tick();
    const record = this.orders.get(order.orderId) ?? {
      orderId: order.orderId,
      userId: order.userId,
      cancelled: true,
    };
    record.cancelled = true;
    this.orders.set(order.orderId, record);
    return structuredClone(record);
  }

  async getOrder(orderId: string) {
    await tick();
    const r = this.orders.get(orderId);
    return r ? structuredClone(r) : undefined;
  }

  async addPurchases(userId: string, orderId: string, productIds: readonly string[]) {
    await tick();
    for (const p of productIds) {
      const key = `${userId}|${p}`;
      this.purchases.set(key, (this.purchases.get(key) ?? new Set()).add(orderId));
    }
  }

  async removePurchases(userId: string, orderId: string, productIds: readonly string[]) {
    await tick();
    for (const p of productIds) {
      const set = this.purchases.get(`${userId}|${p}`);
      set?.delete(orderId);
      // DynamoDB drops an emptied set attribute.
      if (set?.size === 0) this.purchases.delete(`${userId}|${p}`);
    }
  }
}

export interface Published {
  name: EventName;
  detail: EventDetail<'ProductRatingChanged'>;
}

export function memoryDeps(overrides: Partial<ReviewsDeps> = {}) {
  const store = new MemoryReviewStore();
  const products = new Set(['p-1', 'p-2']);
  const published: Published[] = [];
  let ids = 0;
  const failures: string[] = [];
  const deps: ReviewsDeps = {
    reviews: store,
    catalog: { getProduct: async (id) => (products.has(id) ? { productId: id } : undefined) },
    events: {
      publish: async (name, detail) => {
        published.push({ name, detail: detail as EventDetail<'ProductRatingChanged'> });
      },
    },
    now: () => new Date('2025-03-01T10:00:00.000Z'),
    newId: () => `r_${String(++ids).padStart(22, '0')}`,
    onPublishFailure: (productId) => void failures.push(productId),
    ...overrides,
  };
  return { deps, store, products, published, failures };
}
