/** DELETE /admin/products/{productId} (admin): 204, and the stream takes it out of search. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { ProductIdSchema } from '../domain/product.ts';
import { deleteProduct } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  requireAdmin(event);
  const productId = validate(ProductIdSchema, event.pathParameters?.productId, 'product id');
  await deleteProduct(deps, productId);
  return { status: 204 };
});
