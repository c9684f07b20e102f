/** GET /products?category=&cursor=&limit= (public): newest first, opaque cursor. */
import { httpHandler, queryParams } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { ListProductsQuerySchema } from '../domain/product.ts';
import { listProducts } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  const query = validate(ListProductsQuerySchema, queryParams(event), 'query');
  return { status: 200, body: await listProducts(deps, query) };
});
