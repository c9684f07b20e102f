/**
 * The input of the cart's checkout saga step, ClearCart. Unknown fields, on the input and on its
 * lines, are dropped, not refused: a state passes what the order holds, more than the step reads.
 */
import * as z from 'zod';
import { cartKindOf } from './cart.ts';
import { SkuSchema } from './requests.ts';

const OrderIdSchema = z
  .string()
  .regex(/^[\w.:-]{1,128}$/, 'An order id: 1-128 letters, digits, `_`, `.`, `:` or `-`.');

/**
 * `{ orderId, cartId, userId, lines: [{ sku, quantity }] }`. The cart id came from the cart service,
 * so a string no cart can have is a bug upstream (refused), not an unknown cart. `userId` is null
 * or absent on a guest's order; only a guest cart can then be cleared.
 */
export const ClearCartInputSchema = z.object({
  orderId: OrderIdSchema,
  cartId: z.string().refine((id) => cartKindOf(id) !== undefined, 'A cart id: `g-...` or `u-...`.'),
  userId: z
    .string()
    .min(1)
    .max(256)
    .nullish()
    .transform((id) => id ?? undefined),
  // An order comes from one cart (at most 50 SKUs): the cap only bounds the work.
  lines: z
    .array(z.object({ sku: SkuSchema, quantity: z.int().min(1) }))
    .min(1)
    .max(100),
});

export type ClearCartInput = z.output<typeof ClearCartInputSchema>;
