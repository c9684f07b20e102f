/** The product id of a catalog route's path. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { validate } from '#shared/validation.ts';
import { ProductNotFoundError } from '../domain/errors.ts';
import { PRODUCT_ID_PATTERN } from '../domain/ids.ts';
import { ProductPathSchema } from '../domain/product.ts';

/** Past 128 characters a 400; an id no product can have (not a UUIDv7) is an unknown product: 404 without a read. */
export function productIdOf(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  const { productId } = validate(
    ProductPathSchema,
    { productId: event.pathParameters?.productId },
    'product id',
  );
  if (!PRODUCT_ID_PATTERN.test(productId)) throw new ProductNotFoundError(productId.slice(0, 64));
  return productId;
}
