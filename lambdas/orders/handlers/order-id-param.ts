import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { validate } from '#shared/validation.ts';
import { OrderIdSchema } from '../domain/schemas.ts';

/** The `{orderId}` path parameter; one that no order can have is a 400. */
export function orderIdParam(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  return validate(z.object({ orderId: OrderIdSchema }), { orderId: event.pathParameters?.orderId }, 'path')
    .orderId;
}
