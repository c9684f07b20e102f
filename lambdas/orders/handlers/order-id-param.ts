import type { APIGatewayProxyEvent } from 'aws-lambda';
import { validate } from '#shared/validation.ts';
import { OrderPathSchema } from '../domain/schemas.ts';

/** The `{orderId}` path parameter; one that no order can have is a 400 (OrderPathSchema). */
export function orderIdParam(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  return validate(OrderPathSchema, { orderId: event.pathParameters?.orderId }, 'path').orderId;
}
