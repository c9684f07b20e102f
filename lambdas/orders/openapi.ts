/**
 * The checkout and orders routes of the OpenAPI document (API.md, "Checkout and orders"),
 * registered by `lambdas/ops/openapi.ts` from the same schemas the handlers validate with. Only
 * the OpenApi function imports this.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import {
  CancelAcceptedSchema,
  CheckoutAcceptedSchema,
  CheckoutRequestSchema,
  IdempotencyKeySchema,
  ListOrdersQuerySchema,
  OrderIdSchema,
  OrderPageSchema,
  OrderSchema,
} from './domain/schemas.ts';

export interface OrdersDocOptions {
  /** The bearer security scheme's name. */
  bearer: string;
  /** A problem+json response with the given description. */
  problem: (description: string) => ResponseConfig;
}

const header = (description: string) => ({ description, schema: { type: 'string' as const } });

export function registerOrdersPaths(registry: OpenAPIRegistry, { bearer, problem }: OrdersDocOptions): void {
  const signedIn = [{ [bearer]: [] }];
  const json = (
    schema: z.ZodType,
    description: string,
    extra: Record<string, ReturnType<typeof header>> = {},
  ) => ({
    description,
    headers: { 'x-request-id': header('Correlates the response with logs.'), ...extra },
    content: { 'application/json': { schema } },
  });
  const unauthorized = problem('No or invalid bearer token.');

  registry.registerPath({
    method: 'post',
    path: '/checkout',
    tags: ['orders'],
    summary: 'Place an order from a cart; its saga settles it',
    description:
      'Prices the cart against the catalog, records a PENDING order with that snapshot and starts its checkout saga. Poll GET /orders/{orderId} for CONFIRMED or FAILED (with failureReason). A repeat with the same Idempotency-Key and body answers the same order, and never charges twice.',
    security: signedIn,
    request: {
      headers: z.object({ 'idempotency-key': IdempotencyKeySchema }),
      body: { required: true, content: { 'application/json': { schema: CheckoutRequestSchema } } },
    },
    responses: {
      202: json(CheckoutAcceptedSchema, 'The order is placed', { location: header('/orders/{orderId}') }),
      400: problem('No or a malformed Idempotency-Key, or an invalid body; `errors` lists each field.'),
      401: unauthorized,
      404: problem('No such cart, or not one the caller may use.'),
      409: problem('A request with this Idempotency-Key is in progress; retry shortly.'),
      422: problem('The cart is empty or holds SKUs no longer sold, or the key was used with another body.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/orders/{orderId}',
    tags: ['orders'],
    summary: 'An order: status, items, totals, payment, timeline (its owner or an admin)',
    security: signedIn,
    request: { params: z.object({ orderId: OrderIdSchema }) },
    responses: {
      200: json(OrderSchema, 'The order'),
      400: problem('Not an order id.'),
      401: unauthorized,
      404: problem('No such order, or not yours.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/orders',
    tags: ['orders'],
    summary: "The caller's orders, newest first",
    security: signedIn,
    request: { query: ListOrdersQuerySchema },
    responses: {
      200: json(OrderPageSchema, 'A page of orders'),
      400: problem('Invalid limit or cursor.'),
      401: unauthorized,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/orders/{orderId}/cancel',
    tags: ['orders'],
    summary: 'Cancel an order before anything ships (its owner or an admin)',
    description:
      'Cancels the shipments, then the order; the capture is refunded and the stock returned within seconds (the order shows payment REFUND_PENDING, then REFUNDED). A repeat answers 202 again.',
    security: signedIn,
    request: { params: z.object({ orderId: OrderIdSchema }) },
    responses: {
      202: json(CancelAcceptedSchema, 'Cancelled'),
      400: problem('Not an order id.'),
      401: unauthorized,
      404: problem('No such order, or not yours.'),
      409: problem('A shipment has shipped, or the order is still being placed, or it failed.'),
    },
  });
}
