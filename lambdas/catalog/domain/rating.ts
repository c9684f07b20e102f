/**
 * ApplyRating: the reviews service's ProductRatingChanged sets the product's `rating`. The write is
 * conditional on the event's ratingVersion being newer than the one the product holds, so repeats
 * and out-of-order deliveries never regress it; a product that is gone has nothing to update.
 */
import type { EventDetail } from '#events/catalog.ts';
import type { Product } from './product.ts';

export type RatingOutcome = 'applied' | 'stale' | 'gone';

/** The products table's rating write; the DynamoDB adapter implements it. */
export interface RatingWriter {
  /** Sets the rating if the product exists and holds a ratingVersion older than `ratingVersion`. */
  applyRating(productId: string, rating: Product['rating'], ratingVersion: number): Promise<RatingOutcome>;
}

export async function applyRating(
  deps: { products: RatingWriter },
  event: EventDetail<'ProductRatingChanged'>,
): Promise<RatingOutcome> {
  return deps.products.applyRating(
    event.productId,
    { average: event.rating.average, count: event.rating.count },
    event.ratingVersion,
  );
}
