/**
 * The inventory routes of the OpenAPI document (API.md, "Inventory (admin)"), registered by
 * `lambdas/ops/openapi.ts` from the same schemas the handlers validate with. Only the OpenApi
 * function imports this.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { ServiceDocOptions } from '#shared/openapi-doc.ts';
import { ReceiveStockSchema, StockPathSchema } from './domain/requests.ts';
import { StockSchema } from './domain/schemas.ts';

export function registerInventoryPaths(
  registry: OpenAPIRegistry,
  { bearer, problem }: ServiceDocOptions,
): void {
  const admin = [{ [bearer]: [] }];
  const params = StockPathSchema;
  const stock = (description: string): ResponseConfig => ({
    description,
    headers: {
      'x-request-id': { description: 'Correlates the response with logs.', schema: { type: 'string' } },
    },
    content: { 'application/json': { schema: StockSchema } },
  });
  const unauthorized = problem('No or invalid bearer token.');
  const forbidden = problem('Not an administrator.');

  registry.registerPath({
    method: 'get',
    path: '/admin/inventory/{sku}',
    tags: ['inventory'],
    summary: "A SKU's stock: available, reserved, sold (admin)",
    security: admin,
    request: { params },
    responses: {
      200: stock('The counts'),
      400: problem('The SKU is not in the catalog format.'),
      401: unauthorized,
      403: forbidden,
      404: problem('No stock was ever received for this SKU.'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/admin/inventory/{sku}/receive',
    tags: ['inventory'],
    summary: 'Add received stock to a SKU (admin)',
    description: 'The units become available at once; the first receipt of a SKU creates its record.',
    security: admin,
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: ReceiveStockSchema } } },
    },
    responses: {
      200: stock('The counts after the receipt'),
      400: problem('Invalid SKU or body; `errors` lists each field.'),
      401: unauthorized,
      403: forbidden,
      409: problem('Concurrent writes kept conflicting; retry.'),
      422: problem('The SKU would pass the most units a SKU may receive.'),
    },
  });
}
