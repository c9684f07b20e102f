/** POST /admin/products (admin): 201 with the product; the server assigns productId and timestamps. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { checkDistinctSkus, ProductWriteSchema } from '../domain/product.ts';
import { createProduct } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  requireAdmin(event);
  const input = validate(ProductWriteSchema, jsonBody(event), 'product');
  checkDistinctSkus(input);
  const product = await createProduct(deps, input);
  return { status: 201, body: product, headers: { location: `/products/${product.productId}` } };
});
