/**
 * Reviews use cases: pure orchestration over the ports, no AWS, no HTTP. Every write is one
 * conditional transaction (review + summary delta); when it loses a race the use case reads again
 * and retries with a short jittered backoff, so concurrent reviews of one product all count once.
 * After each write the summary is read back and ProductRatingChanged published at its version.
 */
import type { Caller } from '#shared/auth.ts';
import {
  AlreadyReviewedError,
  NotABuyerError,
  NotYourReviewError,
  ProductNotFoundError,
  ReviewContentionError,
  ReviewNotFoundError,
} from './errors.ts';
import type { ReviewPosition } from './list-cursor.ts';
import type { Catalog, RatingEvents, ReviewStore } from './ports.ts';
import {
  addedDelta,
  averageOf,
  changedDelta,
  type ListReviewsQuery,
  NO_DELTA,
  newReviewId,
  type Review,
  type ReviewInput,
  type ReviewSummaryView,
  type ReviewView,
  removedDelta,
  summaryView,
  toView,
} from './review.ts';

export interface ReviewsDeps {
  reviews: ReviewStore;
  catalog: Catalog;
  events: RatingEvents;
  now?: () => Date;
  newId?: () => string;
  /** Waits before a retry; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
  /** A publish that failed after the write (the marker stays; the sweeper republishes). */
  onPublishFailure?: (productId: string, error: unknown) => Promise<void> | void;
}

/** Enough for 20+ writers on one product: each round lets at least one through. */
export const MAX_ATTEMPTS = 12;

const nowOf = (deps: ReviewsDeps) => (deps.now ?? (() => new Date()))();
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withRetries<T>(
  deps: ReviewsDeps,
  productId: string,
  attempt: () => Promise<T | 'race'>,
): Promise<T> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const outcome = await attempt();
    if (outcome !== 'race') return outcome;
    // Full jitter, capped: spreads racing writers apart instead of colliding again in step.
    await (deps.sleep ?? defaultSleep)(Math.random() * Math.min(400, 10 * 2 ** i));
  }
  throw new ReviewContentionError(productId);
}

async function requireProduct(deps: ReviewsDeps, productId: string): Promise<void> {
  if (!(await deps.catalog.getProduct(productId))) throw new ProductNotFoundError(productId);
}

/**
 * Publishes the product's current summary if it holds an unpublished change, then clears the
 * marker (only if no newer change came meanwhile: that one's writer publishes it). Consumers
 * ignore a ratingVersion not newer than theirs, so publishing twice or out of order is harmless.
 */
export async function publishRating(deps: ReviewsDeps, productId: string): Promise<boolean> {
  const summary = await deps.reviews.getSummary(productId);
  if (!summary?.unpublished || summary.version < 1) return false;
  await deps.events.publish('ProductRatingChanged', {
    version: 1,
    productId,
    rating: { average: averageOf(summary), count: summary.count },
    ratingVersion: summary.version,
    changedAt: nowOf(deps).toISOString(),
  });
  await deps.reviews.markPublished(productId, summary.version);
  return true;
}

/** After a committed write the review stands even if the publish fails: the marker stays for a retry. */
async function publishAfterWrite(deps: ReviewsDeps, productId: string): Promise<void> {
  try {
    await publishRating(deps, productId);
  } catch (error) {
    await deps.onPublishFailure?.(productId, error);
  }
}

export async function createReview(
  deps: ReviewsDeps,
  caller: Caller,
  productId: string,
  input: ReviewInput,
): Promise<ReviewView> {
  await requireProduct(deps, productId);
  if (!(await deps.reviews.isBuyer(caller.sub, productId))) throw new NotABuyerError(productId);
  const at = nowOf(deps).toISOString();
  const review: Review = {
    reviewId: (deps.newId ?? newReviewId)(),
    productId,
    userId: caller.sub,
    ...input,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const outcome = await withRetries(deps, productId, async () => {
    const existing = await deps.reviews.reviewIdOf(productId, caller.sub);
    if (existing) return { exists: existing };
    const created = await deps.reviews.create(review, addedDelta(review.rating));
    return created === 'exists' ? { exists: undefined } : created;
  });
  if (outcome === 'not-buyer') throw new NotABuyerError(productId);
  if (outcome !== 'created') {
    // A retry of a create whose publish failed lands here: publish what is pending first.
    await publishAfterWrite(deps, productId);
    const id = outcome.exists ?? (await deps.reviews.reviewIdOf(productId, caller.sub)) ?? '';
    throw new AlreadyReviewedError(productId, id);
  }
  await publishAfterWrite(deps, productId);
  return toView(review);
}

async function authorsReview(
  deps: ReviewsDeps,
  caller: Caller,
  productId: string,
  reviewId: string,
): Promise<Review> {
  const review = await deps.reviews.getReview(reviewId);
  if (!review || review.productId !== productId) throw new ReviewNotFoundError(reviewId);
  if (review.userId !== caller.sub) throw new NotYourReviewError(reviewId);
  return review;
}

/** The author's edit. A hidden review may be edited but stays hidden and out of the summary. */
export async function editReview(
  deps: ReviewsDeps,
  caller: Caller,
  productId: string,
  reviewId: string,
  input: ReviewInput,
): Promise<ReviewView> {
  const saved = await withRetries(deps, productId, async () => {
    const previous = await authorsReview(deps, caller, productId, reviewId);
    const next: Review = {
      ...previous,
      ...input,
      updatedAt: nowOf(deps).toISOString(),
      version: previous.version + 1,
    };
    const delta = previous.hidden ? NO_DELTA : changedDelta(previous.rating, next.rating);
    const outcome = await deps.reviews.update(next, previous, delta);
    return outcome === 'race' ? outcome : next;
  });
  await publishAfterWrite(deps, productId);
  return toView(saved);
}

export async function deleteReview(
  deps: ReviewsDeps,
  caller: Caller,
  productId: string,
  reviewId: string,
): Promise<void> {
  try {
    await withRetries(deps, productId, async () => {
      const previous = await authorsReview(deps, caller, productId, reviewId);
      const delta = previous.hidden ? NO_DELTA : removedDelta(previous.rating);
      return deps.reviews.delete(previous, delta);
    });
  } catch (error) {
    // A retry of a delete whose publish failed finds the review gone: publish what is pending.
    if (error instanceof ReviewNotFoundError) await publishAfterWrite(deps, productId);
    throw error;
  }
  await publishAfterWrite(deps, productId);
}

/** Admin: out of the list and the summary. Hiding a hidden review changes nothing. */
export async function hideReview(deps: ReviewsDeps, admin: Caller, reviewId: string): Promise<void> {
  const first = await deps.reviews.getReview(reviewId);
  if (!first) throw new ReviewNotFoundError(reviewId);
  await withRetries(deps, first.productId, async () => {
    const previous = await deps.reviews.getReview(reviewId);
    if (!previous) throw new ReviewNotFoundError(reviewId);
    if (previous.hidden) return 'hidden' as const;
    const next: Review = {
      ...previous,
      hidden: { at: nowOf(deps).toISOString(), by: admin.sub },
      version: previous.version + 1,
    };
    return deps.reviews.update(next, previous, removedDelta(previous.rating));
  });
  await publishAfterWrite(deps, first.productId);
}

export interface ReviewListing {
  items: ReviewView[];
  last?: ReviewPosition;
  summary: ReviewSummaryView;
}

export async function listReviews(
  deps: ReviewsDeps,
  productId: string,
  query: Pick<ListReviewsQuery, 'sort' | 'limit'>,
  after?: ReviewPosition,
): Promise<ReviewListing> {
  await requireProduct(deps, productId);
  const [page, summary] = await Promise.all([
    deps.reviews.list(productId, query.sort, query.limit, after),
    deps.reviews.getSummary(productId),
  ]);
  const last = page.last;
  return {
    items: page.items.map(toView),
    ...(last ? { last: { reviewId: last.reviewId, createdAt: last.createdAt, rating: last.rating } } : {}),
    summary: summaryView(summary),
  };
}

/** Scheduled: republishes summaries whose publish failed after their write. */
export async function republishPending(deps: ReviewsDeps, limit = 100): Promise<number> {
  let published = 0;
  for (const productId of await deps.reviews.unpublished(limit)) {
    if (await publishRating(deps, productId)) published++;
  }
  return published;
}
