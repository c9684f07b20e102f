/** The SKU of an inventory route's path, in the catalog's format (anything else is a 400). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { validate } from '#shared/validation.ts';
import { SkuSchema } from '../domain/requests.ts';

export function skuParam(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  return validate(SkuSchema, event.pathParameters?.sku, 'SKU');
}
