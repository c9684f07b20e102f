/** PUT /products/{productId}/reviews/{reviewId} (its author): 200; 403 someone else's; 404 none. */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { ReviewWriteSchema } from '../domain/review.ts';
import { editReview } from '../domain/use-cases.ts';
import { reviewPath } from './params.ts';

export const handler = httpHandler(async (event) => {
  const caller = requireCaller(event);
  const { productId, reviewId } = reviewPath(event);
  const input = validate(ReviewWriteSchema, jsonBody(event), 'review');
  return { status: 200, body: await editReview(deps, caller, productId, reviewId, input) };
});
