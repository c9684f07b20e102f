/**
 * The checkout and orders routes of the OpenAPI document (API.md, "Checkout and orders"),
 * registered by `lambdas/ops/openapi.ts` from the same schemas the handlers validate with (path,
 * query, header and body), listing every status each handler answers. Only the OpenApi function
 * imports this.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import { type ServiceDocOptions, stringHeader } from '#shared/openapi-doc.ts';
import {
  CancelAcceptedSchema,
  CheckoutAcceptedSchema,
  CheckoutHeadersSchema,
  CheckoutRequestSchema,
  ListOrdersQuerySchema,
  OrderPageSchema,
  OrderPathSchema,
  OrderSchema,
} from './domain/schemas.ts';

export function registerOrdersPaths(registry: OpenAPIRegistry, { bearer, problem }: ServiceDocOptions): void {
  const signedIn = [{ [bearer]: [] }];
  const json = (
    schema: z.ZodType,
    description: string,
    extra: Record<string, ReturnType<typeof stringHeader>> = {},
  ) => ({
    description,
    headers: { 'x-request-id': stringHeader('Correlates the response with logs.'), ...extra },
    content: { 'application/json': { schema } },
  });
  const unauthorized = problem('No bearer token, or one that is not valid (expired, wrong issuer).');
  const badOrderId = problem(
    'The order id is not one checkout issues (`ord_` and 32 of A-Z, a-z, 0-9, `_`, `-`); `errors` names `orderId`.',
  );
  const notYours = problem('No order with this id, or it is not yours (and you are not an admin).');

  registry.registerPath({
    method: 'post',
    path: '/checkout',
    tags: ['orders'],
    summary: 'Place an order from a cart; its saga settles it',
    description:
      'Prices the cart against the catalog, records a PENDING order with that snapshot and starts its checkout saga. Poll GET /orders/{orderId} for CONFIRMED or FAILED (with failureReason). A repeat with the same Idempotency-Key and body answers the same order, and never charges twice.',
    security: signedIn,
    request: {
      headers: CheckoutHeadersSchema,
      body: { required: true, content: { 'application/json': { schema: CheckoutRequestSchema } } },
    },
    responses: {
      202: json(CheckoutAcceptedSchema, 'The order is placed (or, for a repeat, where it got to)', {
        location: stringHeader('The order: `/orders/{orderId}`.'),
      }),
      400: problem(
        'No Idempotency-Key header or a malformed one, no body or one that is not JSON, or a body the CheckoutRequest schema refuses (an unknown field included); `errors` lists each field.',
      ),
      401: unauthorized,
      404: problem('No such cart, it expired, or it is not one the caller may check out.'),
      409: problem('A request with this Idempotency-Key is in progress; retry shortly for its answer.'),
      422: problem(
        'The cart is empty or holds SKUs no longer sold, or the Idempotency-Key was used with another body.',
      ),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/orders/{orderId}',
    tags: ['orders'],
    summary: 'An order: status, items, totals, payment, shipments, timeline (its owner or an admin)',
    security: signedIn,
    request: { params: OrderPathSchema },
    responses: {
      200: json(OrderSchema, 'The order'),
      400: badOrderId,
      401: unauthorized,
      404: notYours,
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
      400: problem(
        'A limit that is not a whole number from 1 to 100, a cursor that is not one this listing issued to the caller (altered, or another user’s), or a query parameter other than `limit` and `cursor`; `errors` names it.',
      ),
      401: unauthorized,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/orders/{orderId}/cancel',
    tags: ['orders'],
    summary: 'Cancel an order before anything ships (its owner or an admin)',
    description:
      'Takes no body. Cancels the shipments, then the order; the capture is refunded and the stock returned within seconds (the order shows payment REFUND_PENDING, then REFUNDED). A repeat answers 202 again.',
    security: signedIn,
    request: { params: OrderPathSchema },
    responses: {
      202: json(CancelAcceptedSchema, 'Cancelled (now, or by an earlier request)'),
      400: badOrderId,
      401: unauthorized,
      404: notYours,
      409: problem(
        'The order cannot be cancelled: a shipment has shipped, it is SHIPPED or DELIVERED, it is still being placed (PENDING) or it FAILED; or concurrent writes kept changing it (retry).',
      ),
    },
  });
}
