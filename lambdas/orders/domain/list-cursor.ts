/**
 * The cursor of GET /orders: the last listed order's (createdAt, orderId), bound to the user whose
 * listing issued it, so a cursor never pages through someone else's orders.
 */
import * as z from 'zod';
import { encodeCursor, parseCursor, queryBinding, wrongQueryCursor } from '#shared/cursor.ts';
import { ORDER_ID_PATTERN } from './order.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const OrdersCursorSchema = z.strictObject({
  h: z.string(),
  t: z
    .string()
    .regex(ISO_INSTANT)
    .refine((t) => {
      const ms = Date.parse(t);
      return Number.isFinite(ms) && new Date(ms).toISOString() === t;
    }),
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
