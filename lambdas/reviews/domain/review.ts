/**
 * Reviews: the write body, the review as returned, the product's summary and the list query, which
 * the handlers validate with and the OpenAPI document is generated from; and the summary arithmetic
 * the store applies in the same transaction as each review write.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { ProductIdSchema } from '#catalog/domain/product.ts';
import { cursorParam, limitParam } from '#shared/cursor.ts';
import { freeText } from '#shared/text.ts';

export { ProductIdSchema };

export const STARS = [1, 2, 3, 4, 5] as const;
export type Star = (typeof STARS)[number];

export const MAX_TITLE = 120;
export const MAX_BODY = 4000;
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/** `r_` and 22 base64url characters (128 random bits): unguessable, so ids reveal no order. */
export const REVIEW_ID_PATTERN = /^r_[A-Za-z0-9_-]{22}$/;
export const ReviewIdSchema = z.string().regex(REVIEW_ID_PATTERN, 'A review id as POST returned it.');
export const newReviewId = () => `r_${randomBytes(16).toString('base64url')}`;

/**
 * Path parameters. A product id is the catalog's rule (a value no product can have is a 400, an
 * unknown one a 404); a review id that is not of the form POST issues is a 400.
 */
const productIdParam = ProductIdSchema.meta({ description: 'The product, as the catalog names it.' });
const reviewIdParam = ReviewIdSchema.meta({
  description: 'A review id as POST returned it (`r_` and 22 of A-Z, a-z, 0-9, `_`, `-`).',
});
export const ProductReviewsPathSchema = z.object({ productId: productIdParam });
export const ReviewPathSchema = z.object({ productId: productIdParam, reviewId: reviewIdParam });
export const AdminReviewPathSchema = z.object({ reviewId: reviewIdParam });

export const ReviewWriteSchema = z
  .strictObject({
    rating: z
      .int('rating: a whole number from 1 to 5.')
      .min(1, 'rating: a whole number from 1 to 5.')
      .max(5, 'rating: a whole number from 1 to 5.'),
    title: freeText(MAX_TITLE, 'title'),
    body: freeText(MAX_BODY, 'body'),
  })
  .meta({ id: 'ReviewWrite' });

export const ReviewSchema = z
  .object({
    reviewId: ReviewIdSchema,
    productId: ProductIdSchema,
    rating: z.int().min(1).max(5),
    title: z.string(),
    body: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Review' });

export const ReviewSummarySchema = z
  .object({
    /** Of the visible reviews, rounded to 2 decimals; 0 when there are none. */
    average: z.number().min(0).max(5),
    count: z.int().min(0),
    histogram: z.object({ 1: z.int(), 2: z.int(), 3: z.int(), 4: z.int(), 5: z.int() }),
  })
  .meta({ id: 'ReviewSummary' });

export const REVIEW_SORTS = ['newest', 'rating'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

export const ListReviewsQuerySchema = z.strictObject({
  sort: z
    .enum(REVIEW_SORTS)
    .default('newest')
    .meta({ description: '`newest` first (default), or by `rating`: highest first, newest first within.' }),
  limit: limitParam('Reviews', MAX_PAGE, DEFAULT_PAGE),
  cursor: cursorParam('product and sort', 'listing'),
});

export const ReviewPageSchema = z
  .object({
    items: z.array(ReviewSchema),
    nextCursor: z.string().optional(),
    summary: ReviewSummarySchema,
  })
  .meta({ id: 'ReviewPage' });

export type ReviewInput = z.output<typeof ReviewWriteSchema>;
export type ReviewView = z.output<typeof ReviewSchema>;
export type ReviewSummaryView = z.output<typeof ReviewSummarySchema>;
export type ListReviewsQuery = z.output<typeof ListReviewsQuerySchema>;

/** A review as stored: the view plus its author, its version (+1 per write) and whether it is hidden. */
export interface Review extends ReviewView {
  userId: string;
  version: number;
  hidden?: { at: string; by: string };
}

export function toView(review: Review): ReviewView {
  const { reviewId, productId, rating, title, body, createdAt, updatedAt } = review;
  return { reviewId, productId, rating, title, body, createdAt, updatedAt };
}

/** A product's stored summary: visible reviews only. `version` +1 per change (ratingVersion). */
export interface Summary {
  productId: string;
  count: number;
  sum: number;
  histogram: Record<Star, number>;
  version: number;
  /** Set by every change, cleared once ProductRatingChanged of that version (or a newer one) is out. */
  unpublished: boolean;
}

/** What one review write adds to the summary (negative to take away). */
export interface SummaryDelta {
  count: number;
  sum: number;
  histogram: Partial<Record<Star, number>>;
}

const asStar = (rating: number) => rating as Star;

export const addedDelta = (rating: number): SummaryDelta => ({
  count: 1,
  sum: rating,
  histogram: { [asStar(rating)]: 1 },
});

export const removedDelta = (rating: number): SummaryDelta => ({
  count: -1,
  sum: -rating,
  histogram: { [asStar(rating)]: -1 },
});

/** An edit: the same count, the difference of the ratings, one star moved. */
export function changedDelta(from: number, to: number): SummaryDelta {
  if (from === to) return { count: 0, sum: 0, histogram: {} };
  return { count: 0, sum: to - from, histogram: { [asStar(from)]: -1, [asStar(to)]: 1 } };
}

export const NO_DELTA: SummaryDelta = { count: 0, sum: 0, histogram: {} };

export const emptySummary = (productId: string): Summary => ({
  productId,
  count: 0,
  sum: 0,
  histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
  version: 0,
  unpublished: false,
});

/** The summary after one change (what the store's ADDs do; the memory store uses it). */
export function applyDelta(summary: Summary, delta: SummaryDelta): Summary {
  const histogram = { ...summary.histogram };
  for (const star of STARS) histogram[star] += delta.histogram[star] ?? 0;
  return {
    ...summary,
    count: summary.count + delta.count,
    sum: summary.sum + delta.sum,
    histogram,
    version: summary.version + 1,
    unpublished: true,
  };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export function averageOf(summary: Pick<Summary, 'count' | 'sum'>): number {
  return summary.count > 0 ? round2(summary.sum / summary.count) : 0;
}

export function summaryView(summary: Summary | undefined): ReviewSummaryView {
  const s = summary ?? emptySummary('');
  return { average: averageOf(s), count: s.count, histogram: { ...s.histogram } };
}
