/** GET /products/{productId} (public): one GetItem. */
import { httpHandler } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { ProductIdSchema } from '../domain/product.ts';
import { getProduct } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  const productId = validate(ProductIdSchema, event.pathParameters?.productId, 'product id');
  return { status: 200, body: await getProduct(deps, productId) };
});
