/** DELETE /admin/products/{productId} (admin): 204, and the stream takes it out of search. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { deleteProduct } from '../domain/use-cases.ts';
import { productIdOf } from './product-id.ts';

export const handler = httpHandler(async (event) => {
  requireAdmin(event);
  const productId = productIdOf(event);
  await deleteProduct(deps, productId);
  return { status: 204 };
});
