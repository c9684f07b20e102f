/** GET /products/{productId} (public): one GetItem. */
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { getProduct } from '../domain/use-cases.ts';
import { productIdOf } from './product-id.ts';

export const handler = httpHandler(async (event) => {
  const productId = productIdOf(event);
  return { status: 200, body: await getProduct(deps, productId) };
});
