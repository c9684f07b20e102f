/**
 * The cursor of GET /orders: the last listed order's (createdAt, orderId), bound to the user whose
 * listing issued it, so a cursor never pages through someone else's orders.
 */
import * as z from 'zod';
import {
  encodeCursor,
  IsoInstantSchema,
  parseCursor,
  queryBinding,
  wrongQueryCursor,
} from '#shared/cursor.ts';
import { ORDER_ID_PATTERN } from './order.ts';

const OrdersCursorSchema = z.strictObject({
  h: z.string(),
  t: IsoInstantSchema,
  id: z.string().regex(ORDER_ID_PATTERN),
});

const bindingFor = (userId: string) => queryBinding(['orders', userId]);

export function encodeOrdersCursor(userId: string, last: { orderId: string; createdAt: string }): string {
  return encodeCursor({ h: bindingFor(userId), t: last.createdAt, id: last.orderId });
}

export function decodeOrdersCursor(cursor: string, userId: string): { orderId: string; createdAt: string } {
  const { h, t, id } = parseCursor(cursor, OrdersCursorSchema);
  if (h !== bindingFor(userId)) throw wrongQueryCursor();
  return { orderId: id, createdAt: t };
}
