/**
 * Inputs of the inventory operations: the admin routes' bodies and path, and what the checkout
 * saga passes to reserve. The same schemas feed the OpenAPI document.
 */
import * as z from 'zod';
import { SKU_PATTERN } from '#catalog/domain/product.ts';
import { MAX_HOLD_SECONDS, MAX_RECEIVE_QUANTITY, MAX_RESERVATION_LINES } from './stock.ts';

/** The catalog's SKU format: a path segment that cannot be a SKU is bad input (400). */
export const SkuSchema = z.string().regex(SKU_PATTERN, 'SKU: 1-64 of A-Z, 0-9, "-" and "_".');

/** `{sku}` of the admin inventory routes. */
export const StockPathSchema = z.object({
  sku: SkuSchema.meta({ description: 'A SKU in the catalog format: 1-64 of A-Z, 0-9, "-" and "_".' }),
});

export const ReceiveStockSchema = z
  .strictObject({
    quantity: z
      .int({ error: `A whole number from 1 to ${MAX_RECEIVE_QUANTITY}.` })
      .min(1, `A whole number from 1 to ${MAX_RECEIVE_QUANTITY}.`)
      .max(MAX_RECEIVE_QUANTITY, `A whole number from 1 to ${MAX_RECEIVE_QUANTITY}.`)
      .meta({ description: `Units received, 1..${MAX_RECEIVE_QUANTITY}; they become available at once.` }),
  })
  .meta({ id: 'ReceiveStock', description: 'Adds received units to the SKU (creating its record).' });

/** Order ids are the orders service's: opaque, URL-safe, bounded. */
export const OrderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'Order id: 1-128 of A-Z, a-z, 0-9, "-", "_".');

const reservationLine = { sku: SkuSchema, quantity: z.int().min(1).max(MAX_RECEIVE_QUANTITY) };
const reservationLines = <L extends z.ZodType>(line: L) => z.array(line).min(1).max(MAX_RESERVATION_LINES);

/** Seconds a hold lasts before the reaper may release it. */
export const HoldSecondsSchema = z.int().min(1).max(MAX_HOLD_SECONDS);

export const ReserveRequestSchema = z.strictObject({
  orderId: OrderIdSchema,
  lines: reservationLines(z.strictObject(reservationLine)),
  ttlSeconds: HoldSecondsSchema,
});

/**
 * The saga steps' inputs. The state machine passes the order's own lines (productId, unitPrice
 * and whatever else the order carries) and more state than a step reads, so unknown keys are
 * dropped, not refused; the hold's length is the function's configuration, not the input's.
 */
export const ReserveStepInputSchema = z.object({
  orderId: OrderIdSchema,
  lines: reservationLines(z.object(reservationLine)),
});
export const OrderStepInputSchema = z.object({ orderId: OrderIdSchema });

export type ReceiveStock = z.output<typeof ReceiveStockSchema>;
export type ReserveRequest = z.output<typeof ReserveRequestSchema>;
export type ReserveStepInput = z.output<typeof ReserveStepInputSchema>;
export type OrderStepInput = z.output<typeof OrderStepInputSchema>;
