/** GET /products/{productId}/recommendations (public): 1 Query + 1 BatchGetItem (+ 1 Query for the fallback). */
import { httpHandler } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/read-wiring.ts';
import { recommend } from '../domain/recommend.ts';
import { RecommendationsPathSchema } from '../domain/schemas.ts';

export const handler = httpHandler(async (event) => {
  const { productId } = validate(
    RecommendationsPathSchema,
    { productId: event.pathParameters?.productId },
    'path',
  );
  return { status: 200, body: await recommend(deps, productId) };
});
