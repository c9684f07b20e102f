import type { EventDetail, EventName } from '#events/catalog.ts';
import type { ReviewPosition } from './list-cursor.ts';
import type { Review, ReviewSort, Summary, SummaryDelta } from './review.ts';

/**
 * Outcome of a conditional review write: `race` when a transaction conflicted or the review moved
 * on since it was read (read again and retry); the other refusals are the caller's.
 */
export type CreateOutcome = 'created' | 'exists' | 'not-buyer' | 'race';
export type WriteOutcome = 'written' | 'race';

export interface ReviewPage {
  items: Review[];
  /** The last review of the page when more follow. */
  last?: Review;
}

/** The order as the purchases record keeps it: its products, and whether it was cancelled. */
export interface OrderRecord {
  orderId: string;
  userId: string;
  productIds?: string[];
  cancelled: boolean;
}

/**
 * What reviews need from storage; the DynamoDB adapter implements it. Every review write carries
 * the summary's delta in the same transaction, conditional on the review's own state (absent for a
 * create, still at the read `version` otherwise), so a repeat or a race never counts twice.
 */
export interface ReviewStore {
  getReview(reviewId: string): Promise<Review | undefined>;
  /** The id of the user's review of the product (hidden ones too): one GetItem. */
  reviewIdOf(productId: string, userId: string): Promise<string | undefined>;
  /** At least one non-cancelled order of the user holds the product. */
  isBuyer(userId: string, productId: string): Promise<boolean>;
  /** The review, the author's claim on the product and the delta; the buyer is checked again inside. */
  create(review: Review, delta: SummaryDelta): Promise<CreateOutcome>;
  /** Writes `next` over `previous` (still at `previous.version`) with the delta. */
  update(next: Review, previous: Review, delta: SummaryDelta): Promise<WriteOutcome>;
  /** Deletes the review and the author's claim (still at `previous.version`) with the delta. */
  delete(previous: Review, delta: SummaryDelta): Promise<WriteOutcome>;
  getSummary(productId: string): Promise<Summary | undefined>;
  /** Clears the unpublished marker if the summary is still at `version`. */
  markPublished(productId: string, version: number): Promise<void>;
  /** Products whose summary holds an unpublished change, at most `limit`. */
  unpublished(limit: number): Promise<string[]>;
  /** Visible reviews of the product, in `sort` order, after `after` (exclusive). */
  list(productId: string, sort: ReviewSort, limit: number, after?: ReviewPosition): Promise<ReviewPage>;

  /** Records the order's products (first write wins) and answers the record as it now is. */
  notePlaced(order: { orderId: string; userId: string; productIds: string[] }): Promise<OrderRecord>;
  /** Marks the order cancelled (creating a tombstone if OrderPlaced is not here yet). */
  noteCancelled(order: { orderId: string; userId: string }): Promise<OrderRecord>;
  getOrder(orderId: string): Promise<OrderRecord | undefined>;
  /** Adds the order id to each (user, product)'s set of orders: a set, so a repeat adds nothing. */
  addPurchases(userId: string, orderId: string, productIds: readonly string[]): Promise<void>;
  removePurchases(userId: string, orderId: string, productIds: readonly string[]): Promise<void>;
}

/** The catalog's read module: only whether the product exists. */
export interface Catalog {
  getProduct(productId: string): Promise<unknown>;
}

export interface RatingEvents {
  publish<E extends EventName>(name: E, detail: EventDetail<E>): Promise<void>;
}
