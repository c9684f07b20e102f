/** PUT /admin/products/{productId} (admin): full replace; 404 when the product does not exist. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { ProductIdSchema, ProductWriteSchema } from '../domain/product.ts';
import { replaceProduct } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  requireAdmin(event);
  const productId = validate(ProductIdSchema, event.pathParameters?.productId, 'product id');
  const input = validate(ProductWriteSchema, jsonBody(event), 'product');
  return { status: 200, body: await replaceProduct(deps, productId, input) };
});
