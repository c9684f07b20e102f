/**
 * The cursor of GET /products/{productId}/reviews: the last listed review's position, bound to the
 * product and the sort that issued it, so it never pages another product or another order.
 */
import * as z from 'zod';
import {
  encodeCursor,
  IsoInstantSchema,
  parseCursor,
  queryBinding,
  wrongQueryCursor,
} from '#shared/cursor.ts';
import { REVIEW_ID_PATTERN, type ReviewSort } from './review.ts';

const ReviewsCursorSchema = z.strictObject({
  h: z.string(),
  t: IsoInstantSchema,
  id: z.string().regex(REVIEW_ID_PATTERN),
  r: z.int().min(1).max(5),
});

/** What a position needs: enough to rebuild either index's start key. */
export interface ReviewPosition {
  reviewId: string;
  createdAt: string;
  rating: number;
}

const bindingFor = (productId: string, sort: ReviewSort) => queryBinding(['reviews', productId, sort]);

export function encodeReviewsCursor(productId: string, sort: ReviewSort, last: ReviewPosition): string {
  return encodeCursor({
    h: bindingFor(productId, sort),
    t: last.createdAt,
    id: last.reviewId,
    r: last.rating,
  });
}

export function decodeReviewsCursor(cursor: string, productId: string, sort: ReviewSort): ReviewPosition {
  const { h, t, id, r } = parseCursor(cursor, ReviewsCursorSchema);
  if (h !== bindingFor(productId, sort)) throw wrongQueryCursor();
  return { reviewId: id, createdAt: t, rating: r };
}
