/**
 * The cart as the API returns it, for the OpenAPI document only (handlers build `CartView`s; these
 * describe them). Money is the catalog's schema, so the document has one Money.
 */
import * as z from 'zod';
import { MoneySchema } from '#catalog/domain/product.ts';

export const CartIdSchema = z.string().meta({
  description: 'Opaque. A guest cart id is 128 random bits: whoever holds it may use the cart.',
});

export const CartItemSchema = z
  .object({
    sku: z.string(),
    productId: z.string(),
    name: z.string(),
    quantity: z.int().min(1).max(99),
    unitPrice: MoneySchema,
    lineTotal: MoneySchema,
    priceChanged: z
      .literal(true)
      .optional()
      .meta({ description: 'Re-priced reads: the catalog price differs from the one seen when adding.' }),
    previousUnitPrice: MoneySchema.optional().meta({ description: 'With priceChanged: the price seen.' }),
    unavailable: z
      .literal(true)
      .optional()
      .meta({ description: 'The SKU left the catalog; the line stays, outside the subtotal.' }),
  })
  .meta({ id: 'CartItem' });

export const CartSchema = z
  .object({
    cartId: CartIdSchema,
    ownerId: z.string().optional().meta({ description: "A signed-in user's cart: the user id." }),
    items: z.array(CartItemSchema).meta({ description: 'Newest first.' }),
    subtotal: MoneySchema,
    itemCount: z.int().min(0),
    version: z.int().min(1).meta({ description: 'Send it as If-Match to write only this version.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    expiresAt: z.iso
      .datetime()
      .optional()
      .meta({ description: 'Guest carts: gone after 7 days without a write.' }),
  })
  .meta({
    id: 'Cart',
    description:
      'GET re-prices every line against the catalog; write responses show the prices stored with the lines.',
  });
