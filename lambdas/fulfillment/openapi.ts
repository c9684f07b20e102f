/**
 * The fulfillment routes of the OpenAPI document (API.md, "Fulfillment (admin, carrier
 * callbacks)"), registered by `lambdas/ops/openapi.ts` from the same schemas the handlers validate
 * with. Only the OpenApi function imports this.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import {
  AddAllocationSchema,
  CarrierEventSchema,
  ShipmentIdSchema,
  WarehouseIdSchema,
  WarehouseWriteSchema,
} from './domain/requests.ts';
import { AllocationSchema, ShipmentSchema, WarehouseSchema } from './domain/schemas.ts';

export interface FulfillmentDocOptions {
  /** The bearer security scheme's name. */
  bearer: string;
  /** A problem+json response with the given description. */
  problem: (description: string) => ResponseConfig;
}

export function registerFulfillmentPaths(
  registry: OpenAPIRegistry,
  { bearer, problem }: FulfillmentDocOptions,
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
  const unauthorized = problem('No or invalid bearer token.');
  const forbidden = problem('Not an administrator.');
  const notJson = problem('The body was not sent as application/json.');
  const shipmentParams = z.object({ shipmentId: ShipmentIdSchema });
  const warehouseParams = z.object({ warehouseId: WarehouseIdSchema });

  registry.registerPath({
    method: 'post',
    path: '/admin/shipments/{shipmentId}/events',
    tags: ['fulfillment'],
    summary: "A carrier's tracking event for a shipment (admin)",
    description:
      'SHIPPED (tracking number required) moves a CREATED shipment to SHIPPED and publishes ShipmentShipped; DELIVERED moves a SHIPPED one to DELIVERED and publishes ShipmentDelivered. The same event again (same status, same tracking number) answers 200 and publishes nothing.',
    security: admin,
    request: { params: shipmentParams, body: body(CarrierEventSchema) },
    responses: {
      200: json(ShipmentSchema, 'The shipment after the event'),
      400: problem(
        'Invalid shipment id or body (an unknown status, a missing or malformed tracking number); `errors` lists each field.',
      ),
      401: unauthorized,
      403: forbidden,
      404: problem('No such shipment.'),
      409: problem(
        'Not a move the shipment can make: DELIVERED before SHIPPED, any event on a CANCELLED shipment, another tracking number than the one it shipped with; or concurrent writes kept conflicting (retry).',
      ),
      415: notJson,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/admin/shipments/{shipmentId}',
    tags: ['fulfillment'],
    summary: 'A shipment (admin)',
    security: admin,
    request: { params: shipmentParams },
    responses: {
      200: json(ShipmentSchema, 'The shipment'),
      400: problem('The shipment id is not in the format shipments have.'),
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
    request: { params: warehouseParams, body: body(WarehouseWriteSchema) },
    responses: {
      200: json(WarehouseSchema, 'The warehouse'),
      400: problem('Invalid warehouse id or body; `errors` lists each field.'),
      401: unauthorized,
      403: forbidden,
      415: notJson,
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
    request: { params: warehouseParams, body: body(AddAllocationSchema) },
    responses: {
      200: json(AllocationSchema, 'The allocation after the addition'),
      400: problem('Invalid warehouse id or body; `errors` lists each field.'),
      401: unauthorized,
      403: forbidden,
      404: problem('No such warehouse.'),
      409: problem('Concurrent writes kept conflicting; retry.'),
      415: notJson,
    },
  });
}
