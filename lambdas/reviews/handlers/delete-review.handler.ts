/** DELETE /products/{productId}/reviews/{reviewId} (its author): 204; 403 someone else's; 404 none. */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { deleteReview } from '../domain/use-cases.ts';
import { reviewPath } from './params.ts';

export const handler = httpHandler(async (event) => {
  const caller = requireCaller(event);
  const { productId, reviewId } = reviewPath(event);
  await deleteReview(deps, caller, productId, reviewId);
  return { status: 204 };
});
