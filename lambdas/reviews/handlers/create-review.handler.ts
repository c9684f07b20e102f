/** POST /products/{productId}/reviews (signed in, a buyer): 201; 403 not a buyer; 409 a second review. */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { ReviewWriteSchema } from '../domain/review.ts';
import { createReview } from '../domain/use-cases.ts';
import { productPath } from './params.ts';

export const handler = httpHandler(async (event) => {
  const caller = requireCaller(event);
  const { productId } = productPath(event);
  const input = validate(ReviewWriteSchema, jsonBody(event), 'review');
  const review = await createReview(deps, caller, productId, input);
  return {
    status: 201,
    body: review,
    headers: { location: `/products/${encodeURIComponent(productId)}/reviews/${review.reviewId}` },
  };
});
