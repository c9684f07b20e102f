/** PUT /admin/products/{productId} (admin): full replace; 404 when the product does not exist. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { checkDistinctSkus, ProductWriteSchema } from '../domain/product.ts';
import { replaceProduct } from '../domain/use-cases.ts';
import { productIdOf } from './product-id.ts';

export const handler = httpHandler(async (event) => {
  requireAdmin(event);
  const productId = productIdOf(event);
  const input = validate(ProductWriteSchema, jsonBody(event), 'product');
  checkDistinctSkus(input);
  return { status: 200, body: await replaceProduct(deps, productId, input) };
});
