/**
 * The fulfillment routes of the OpenAPI document (API.md, "Fulfillment (admin, carrier
 * callbacks)"), registered by `lambdas/ops/openapi.ts` from the same schemas the handlers validate
 * with (path and body), listing every status each handler answers. The 415 of a body that is not
 * JSON is added to every operation with a body by the ops document. Only the OpenApi function
 * imports this.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import type { ServiceDocOptions } from '#shared/openapi-doc.ts';
import {
  AddAllocationSchema,
  CarrierEventSchema,
  ShipmentPathSchema,
  WarehousePathSchema,
  WarehouseWriteSchema,
} from './domain/requests.ts';
import { AllocationSchema, ShipmentSchema, WarehouseSchema } from './domain/schemas.ts';

export function registerFulfillmentPaths(
  registry: OpenAPIRegistry,
  { bearer, problem }: ServiceDocOptions,
): void {
  const admin = [{ [bearer]: [] }];
  const json = (schema: z.ZodType, description: string): ResponseConfig => ({
    description,
    headers: {
      'x-request-id': { description: 'Correlates the response with logs.', schema: { type: 'string' } },
    },
    content: { 'application/json': { schema } },
  });
  const body = (schema: z.ZodType) => ({
    required: true,
    content: { 'application/json': { schema } },
  });
  const unauthorized = problem('No bearer token, or one that is not valid (expired, wrong issuer).');
  const forbidden = problem('Not an administrator.');
  const badBody = (path: string, schema: string, examples: string) =>
    problem(
      `${path}, no body or one that is not JSON, or a body the ${schema} schema refuses (${examples}, an unknown field); \`errors\` lists each field.`,
    );

  registry.registerPath({
    method: 'post',
    path: '/admin/shipments/{shipmentId}/events',
    tags: ['fulfillment'],
    summary: "A carrier's tracking event for a shipment (admin)",
    description:
      'SHIPPED (tracking number required) moves a CREATED shipment to SHIPPED and publishes ShipmentShipped; DELIVERED moves a SHIPPED one to DELIVERED and publishes ShipmentDelivered. The same event again (same status, same tracking number) answers 200 and publishes nothing.',
    security: admin,
    request: { params: ShipmentPathSchema, body: body(CarrierEventSchema) },
    responses: {
      200: json(ShipmentSchema, 'The shipment after the event (or as it was, for a repeat)'),
      400: badBody(
        'A shipment id not of the form `shp_` and 24 hex digits',
        'CarrierEvent',
        'a status other than SHIPPED or DELIVERED, SHIPPED without a tracking number, a malformed tracking number',
      ),
      401: unauthorized,
      403: forbidden,
      404: problem('No such shipment.'),
      409: problem(
        'Not a move the shipment can make: DELIVERED before SHIPPED, any event on a CANCELLED shipment, another tracking number than the one it shipped with; or concurrent writes kept conflicting (retry).',
      ),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/admin/shipments/{shipmentId}',
    tags: ['fulfillment'],
    summary: 'A shipment (admin)',
    security: admin,
    request: { params: ShipmentPathSchema },
    responses: {
      200: json(ShipmentSchema, 'The shipment'),
      400: problem('A shipment id not of the form `shp_` and 24 hex digits; `errors` names `shipmentId`.'),
      401: unauthorized,
      403: forbidden,
      404: problem('No such shipment.'),
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/admin/warehouses/{warehouseId}',
    tags: ['fulfillment'],
    summary: 'Create or replace a warehouse (admin)',
    description: 'Its coordinates are what routing measures distances from.',
    security: admin,
    request: { params: WarehousePathSchema, body: body(WarehouseWriteSchema) },
    responses: {
      200: json(WarehouseSchema, 'The warehouse as stored (created or replaced)'),
      400: badBody(
        'A warehouse id not 1-64 of a-z, 0-9 and `-`',
        'WarehouseWrite',
        'a blank or over-long name or region, a country not two upper-case letters, lat or lon out of range, a missing field',
      ),
      401: unauthorized,
      403: forbidden,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/admin/warehouses/{warehouseId}/allocations',
    tags: ['fulfillment'],
    summary: 'Add units of a SKU the warehouse can ship (admin)',
    description:
      'Every unit received into inventory should be allocated to some warehouse: routing refuses an order the allocations cannot cover.',
    security: admin,
    request: { params: WarehousePathSchema, body: body(AddAllocationSchema) },
    responses: {
      200: json(AllocationSchema, 'The allocation after the addition'),
      400: badBody(
        'A warehouse id not 1-64 of a-z, 0-9 and `-`',
        'AddAllocation',
        'a SKU not of the catalog’s form, a quantity not a whole number from 1 to 1000000',
      ),
      401: unauthorized,
      403: forbidden,
      404: problem('No such warehouse: PUT /admin/warehouses/{warehouseId} creates it.'),
      409: problem('Concurrent writes (a routing transaction on this allocation) kept conflicting; retry.'),
    },
  });
}
