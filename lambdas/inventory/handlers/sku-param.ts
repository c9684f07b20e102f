/** The SKU of an inventory route's path, in the catalog's format (anything else is a 400). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { validate } from '#shared/validation.ts';
import { StockPathSchema } from '../domain/requests.ts';

/** The field error is the whole input's (path ''): the route has one parameter. */
export function skuParam(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  return validate(StockPathSchema.shape.sku, event.pathParameters?.sku, 'SKU');
}
