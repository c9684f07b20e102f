import { describe, expect, it } from 'vitest';
import type { Caller } from '#shared/auth.ts';
import { decodeReviewsCursor, encodeReviewsCursor } from '../../../lambdas/reviews/domain/list-cursor.ts';
import { recordCancelled, recordPlaced } from '../../../lambdas/reviews/domain/purchases.ts';
import {
  createReview,
  deleteReview,
  editReview,
  hideReview,
  listReviews,
  republishPending,
} from '../../../lambdas/reviews/domain/use-cases.ts';
import { memoryDeps } from './memory.ts';

const buyer = (sub: string): Caller => ({ sub, groups: [] });
const admin: Caller = { sub: 'admin-1', groups: ['admin'] };
const input = (rating: number) => ({ rating, title: 'Good', body: 'Works as described.' });
const at = '2025-02-01T00:00:00.000Z';

const placed = (orderId: string, userId: string, productIds: string[]) => ({
  version: 1 as const,
  orderId,
  userId,
  lines: productIds.map((productId, i) => ({
    sku: `SKU-${productId}-${i}`,
    productId,
    quantity: 1,
    unitPrice: 100,
  })),
  total: { amount: 100, currency: 'USD' as const },
  shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '12345', country: 'US' },
  contact: {},
  placedAt: at,
});
const cancelled = (orderId: string, userId: string) => ({
  version: 1 as const,
  orderId,
  userId,
  lines: [{ sku: 'SKU-x', quantity: 1 }],
  refund: { amount: 100, currency: 'USD' as const },
  contact: {},
  cancelledAt: at,
});

async function withBuyers(users: string[], productId = 'p-1', overrides = {}) {
  const m = memoryDeps(overrides);
  for (const [i, u] of users.entries()) await recordPlaced(m.deps, placed(`o-${u}-${i}`, u, [productId]));
  return m;
}

describe('buyers, from the orders events', () => {
  it('counts a placed order, not a cancelled one, and a repeat delivery once', async () => {
    const m = memoryDeps();
    const order = placed('o-1', 'u-1', ['p-1', 'p-2', 'p-1']);
    await recordPlaced(m.deps, order);
    await recordPlaced(m.deps, order);
    expect(await m.store.isBuyer('u-1', 'p-1')).toBe(true);
    expect(await m.store.isBuyer('u-1', 'p-2')).toBe(true);
    expect(await m.store.isBuyer('u-2', 'p-1')).toBe(false);

    await recordCancelled(m.deps, cancelled('o-1', 'u-1'));
    await recordCancelled(m.deps, cancelled('o-1', 'u-1'));
    expect(await m.store.isBuyer('u-1', 'p-1')).toBe(false);
    expect(await m.store.isBuyer('u-1', 'p-2')).toBe(false);
  });

  it('stays a buyer while another order holds the product', async () => {
    const m = memoryDeps();
    await recordPlaced(m.deps, placed('o-1', 'u-1', ['p-1']));
    await recordPlaced(m.deps, placed('o-2', 'u-1', ['p-1']));
    await recordCancelled(m.deps, cancelled('o-1', 'u-1'));
    expect(await m.store.isBuyer('u-1', 'p-1')).toBe(true);
  });

  it('never counts an order whose cancel arrived first, nor one cancelled concurrently', async () => {
    const m = memoryDeps();
    await recordCancelled(m.deps, cancelled('o-1', 'u-1'));
    await recordPlaced(m.deps, placed('o-1', 'u-1', ['p-1']));
    expect(await m.store.isBuyer('u-1', 'p-1')).toBe(false);

    await Promise.all([
      recordPlaced(m.deps, placed('o-2', 'u-2', ['p-1'])),
      recordCancelled(m.deps, cancelled('o-2', 'u-2')),
    ]);
    expect(await m.store.isBuyer('u-2', 'p-1')).toBe(false);
  });

  it('refuses a review by a non-buyer and by a buyer whose order was cancelled: 403, nothing written', async () => {
    const m = memoryDeps();
    await expect(createReview(m.deps, buyer('u-1'), 'p-1', input(5))).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await recordPlaced(m.deps, placed('o-1', 'u-1', ['p-1']));
    await recordCancelled(m.deps, cancelled('o-1', 'u-1'));
    await expect(createReview(m.deps, buyer('u-1'), 'p-1', input(5))).rejects.toMatchObject({
      kind: 'forbidden',
    });
    expect(m.store.writes).toBe(0);
    expect(m.published).toEqual([]);
  });
});

describe('reviews', () => {
  it('creates a buyer’s review, adds it to the summary and publishes the rating', async () => {
    const m = await withBuyers(['u-1']);
    const review = await createReview(m.deps, buyer('u-1'), 'p-1', input(4));
    expect(review).toEqual({
      reviewId: 'r_0000000000000000000001',
      productId: 'p-1',
      ...input(4),
      createdAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T10:00:00.000Z',
    });
    expect(m.published).toEqual([
      {
        name: 'ProductRatingChanged',
        detail: {
          version: 1,
          productId: 'p-1',
          rating: { average: 4, count: 1 },
          ratingVersion: 1,
          changedAt: '2025-03-01T10:00:00.000Z',
        },
      },
    ]);
    expect(m.store.summaries.get('p-1')?.unpublished).toBe(false);
  });

  it('404s an unknown product before anything else', async () => {
    const m = await withBuyers(['u-1'], 'p-gone');
    await expect(createReview(m.deps, buyer('u-1'), 'p-gone', input(4))).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(listReviews(m.deps, 'p-gone', { sort: 'newest', limit: 20 })).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('refuses a second review of the same product: 409 naming the first, nothing written', async () => {
    const m = await withBuyers(['u-1']);
    const first = await createReview(m.deps, buyer('u-1'), 'p-1', input(4));
    const writes = m.store.writes;
    await expect(createReview(m.deps, buyer('u-1'), 'p-1', input(2))).rejects.toMatchObject({
      kind: 'conflict',
      reviewId: first.reviewId,
    });
    expect(m.store.writes).toBe(writes);
    expect(m.store.summaries.get('p-1')).toMatchObject({ count: 1, sum: 4 });
  });

  it('lets two racing first reviews of one author make one review', async () => {
    const m = await withBuyers(['u-1']);
    const results = await Promise.allSettled([
      createReview(m.deps, buyer('u-1'), 'p-1', input(4)),
      createReview(m.deps, buyer('u-1'), 'p-1', input(5)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(m.store.summaries.get('p-1')?.count).toBe(1);
  });

  it('edits its author’s review by the difference, and refuses someone else (403) or another product (404)', async () => {
    const m = await withBuyers(['u-1', 'u-2']);
    const mine = await createReview(m.deps, buyer('u-1'), 'p-1', input(2));
    await createReview(m.deps, buyer('u-2'), 'p-1', input(4));
    const edited = await editReview(m.deps, buyer('u-1'), 'p-1', mine.reviewId, {
      rating: 5,
      title: 'Better',
      body: 'Grew on me.',
    });
    expect(edited).toMatchObject({ rating: 5, title: 'Better', body: 'Grew on me.' });
    expect(m.store.summaries.get('p-1')).toMatchObject({
      count: 2,
      sum: 9,
      histogram: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 },
      version: 3,
    });
    expect(m.published.at(-1)?.detail).toMatchObject({
      rating: { average: 4.5, count: 2 },
      ratingVersion: 3,
    });

    await expect(editReview(m.deps, buyer('u-2'), 'p-1', mine.reviewId, input(1))).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(editReview(m.deps, buyer('u-1'), 'p-2', mine.reviewId, input(1))).rejects.toMatchObject({
      kind: 'not-found',
    });
    expect(m.store.summaries.get('p-1')?.sum).toBe(9);
  });

  it('publishes no new rating for an edit that keeps the rating', async () => {
    const m = await withBuyers(['u-1']);
    const mine = await createReview(m.deps, buyer('u-1'), 'p-1', input(3));
    await editReview(m.deps, buyer('u-1'), 'p-1', mine.reviewId, { ...input(3), title: 'Still fine' });
    expect(m.published).toHaveLength(1);
    expect(m.store.summaries.get('p-1')?.version).toBe(1);
  });

  it('deletes its author’s review out of the summary, and the author may review again', async () => {
    const m = await withBuyers(['u-1', 'u-2']);
    const mine = await createReview(m.deps, buyer('u-1'), 'p-1', input(1));
    await createReview(m.deps, buyer('u-2'), 'p-1', input(5));
    await expect(deleteReview(m.deps, buyer('u-2'), 'p-1', mine.reviewId)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await deleteReview(m.deps, buyer('u-1'), 'p-1', mine.reviewId);
    expect(m.store.summaries.get('p-1')).toMatchObject({ count: 1, sum: 5, histogram: { 1: 0, 5: 1 } });
    await expect(deleteReview(m.deps, buyer('u-1'), 'p-1', mine.reviewId)).rejects.toMatchObject({
      kind: 'not-found',
    });
    await createReview(m.deps, buyer('u-1'), 'p-1', input(3));
    expect(m.store.summaries.get('p-1')).toMatchObject({ count: 2, sum: 8 });
  });

  it('hides a review (admin) out of the list and the summary, once', async () => {
    const m = await withBuyers(['u-1', 'u-2']);
    const spam = await createReview(m.deps, buyer('u-1'), 'p-1', input(1));
    await createReview(m.deps, buyer('u-2'), 'p-1', input(5));
    await hideReview(m.deps, admin, spam.reviewId);
    await hideReview(m.deps, admin, spam.reviewId);
    const page = await listReviews(m.deps, 'p-1', { sort: 'newest', limit: 20 });
    expect(page.items.map((r) => r.rating)).toEqual([5]);
    expect(page.summary).toEqual({ average: 5, count: 1, histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 } });
    expect(m.published.at(-1)?.detail.rating).toEqual({ average: 5, count: 1 });

    // Still the author's: a second review is a 409; an edit of it stays out of the summary.
    await expect(createReview(m.deps, buyer('u-1'), 'p-1', input(2))).rejects.toMatchObject({
      kind: 'conflict',
    });
    await editReview(m.deps, buyer('u-1'), 'p-1', spam.reviewId, input(4));
    expect(m.store.summaries.get('p-1')).toMatchObject({ count: 1, sum: 5 });
    await deleteReview(m.deps, buyer('u-1'), 'p-1', spam.reviewId);
    expect(m.store.summaries.get('p-1')).toMatchObject({ count: 1, sum: 5 });
    await expect(hideReview(m.deps, admin, 'r_0000000000000000000099')).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('counts 20 concurrent reviews of one product by 20 buyers exactly', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `u-${i}`);
    const m = await withBuyers(users);
    await Promise.all(users.map((u, i) => createReview(m.deps, buyer(u), 'p-1', input((i % 5) + 1))));
    const summary = m.store.summaries.get('p-1');
    expect(m.store.races).toBeGreaterThan(0);
    expect(summary).toMatchObject({
      count: 20,
      sum: 60,
      histogram: { 1: 4, 2: 4, 3: 4, 4: 4, 5: 4 },
      version: 20,
    });
    const page = await listReviews(m.deps, 'p-1', { sort: 'newest', limit: 100 });
    expect(page.summary).toMatchObject({ average: 3, count: 20 });
    // The last publish carries the final version, whatever order the publishes ran in.
    const newest = m.published.reduce((a, b) => (b.detail.ratingVersion > a.detail.ratingVersion ? b : a));
    expect(newest.detail).toMatchObject({ ratingVersion: 20, rating: { average: 3, count: 20 } });
  });

  it('keeps concurrent edits and a hide of one product exact', async () => {
    const m = await withBuyers(['u-1', 'u-2', 'u-3']);
    const a = await createReview(m.deps, buyer('u-1'), 'p-1', input(1));
    const b = await createReview(m.deps, buyer('u-2'), 'p-1', input(1));
    const c = await createReview(m.deps, buyer('u-3'), 'p-1', input(1));
    await Promise.all([
      editReview(m.deps, buyer('u-1'), 'p-1', a.reviewId, input(5)),
      editReview(m.deps, buyer('u-2'), 'p-1', b.reviewId, input(4)),
      hideReview(m.deps, admin, c.reviewId),
      editReview(m.deps, buyer('u-3'), 'p-1', c.reviewId, input(3)),
    ]);
    expect(m.store.summaries.get('p-1')).toMatchObject({ count: 2, sum: 9, histogram: { 1: 0, 4: 1, 5: 1 } });
  });

  it('keeps the review when the publish fails, and the sweeper publishes it later', async () => {
    let failing = true;
    const m = await withBuyers(['u-1'], 'p-1', {});
    const published: number[] = [];
    m.deps.events = {
      publish: async (_name, detail) => {
        if (failing) throw new Error('bus down');
        published.push((detail as { ratingVersion: number }).ratingVersion);
      },
    };
    await createReview(m.deps, buyer('u-1'), 'p-1', input(4));
    expect(m.failures).toEqual(['p-1']);
    expect(m.store.summaries.get('p-1')).toMatchObject({ count: 1, unpublished: true });
    failing = false;
    expect(await republishPending(m.deps)).toBe(1);
    expect(published).toEqual([1]);
    expect(await republishPending(m.deps)).toBe(0);
  });
});

describe('listing', () => {
  it('pages newest first and by rating, with cursors bound to the product and the sort', async () => {
    const users = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'];
    const m = await withBuyers(users);
    // Each create reads the clock twice (the review, then the publish): reviews are 2 minutes apart.
    let minute = 0;
    m.deps.now = () => new Date(Date.UTC(2025, 2, 1, 10, minute++));
    for (const [i, u] of users.entries())
      await createReview(m.deps, buyer(u), 'p-1', input([3, 5, 1, 5, 2][i] ?? 1));

    const newest: number[] = [];
    let after: ReturnType<typeof decodeReviewsCursor> | undefined;
    do {
      const page = await listReviews(m.deps, 'p-1', { sort: 'newest', limit: 2 }, after);
      newest.push(...page.items.map((r) => r.rating));
      const cursor = page.last ? encodeReviewsCursor('p-1', 'newest', page.last) : undefined;
      after = cursor ? decodeReviewsCursor(cursor, 'p-1', 'newest') : undefined;
    } while (after);
    expect(newest).toEqual([2, 5, 1, 5, 3]);

    const byRating = await listReviews(m.deps, 'p-1', { sort: 'rating', limit: 3 });
    // Highest first, the newer of two 5s first.
    expect(byRating.items.map((r) => [r.rating, r.createdAt.slice(14, 16)])).toEqual([
      [5, '06'],
      [5, '02'],
      [3, '00'],
    ]);
    expect(byRating.summary).toEqual({ average: 3.2, count: 5, histogram: { 1: 1, 2: 1, 3: 1, 4: 0, 5: 2 } });
    const last = byRating.last;
    if (!last) throw new Error('expected another page');
    const cursor = encodeReviewsCursor('p-1', 'rating', last);
    expect(() => decodeReviewsCursor(cursor, 'p-1', 'newest')).toThrow(/another query/);
    expect(() => decodeReviewsCursor(cursor, 'p-2', 'rating')).toThrow(/another query/);
    expect(decodeReviewsCursor(cursor, 'p-1', 'rating')).toEqual(last);
    expect(() => decodeReviewsCursor(`${cursor}x`, 'p-1', 'rating')).toThrow();
  });

  it('answers an empty page and a zero summary for a product without reviews', async () => {
    const m = memoryDeps();
    expect(await listReviews(m.deps, 'p-2', { sort: 'newest', limit: 20 })).toEqual({
      items: [],
      summary: { average: 0, count: 0, histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } },
    });
  });
});
