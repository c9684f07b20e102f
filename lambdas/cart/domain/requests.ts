/**
 * Request bodies of the cart routes. The same schemas feed the OpenAPI document. Unknown fields
 * are errors; quantities above 99 pass here and are refused by the cart rules (422), since "more
 * than a line may hold" is a business rule, not malformed input.
 */
import * as z from 'zod';

/** The catalog's SKU format: a string that cannot be a SKU is bad input, not an unknown SKU. */
export const SkuSchema = z.string().regex(/^[A-Z0-9_-]{1,64}$/, 'SKU: 1-64 of A-Z, 0-9, "-" and "_".');

const quantity = (min: number) =>
  z
    .int({ error: `A whole number from ${min} to 99.` })
    .min(min, `A whole number from ${min} to 99.`)
    .meta({ description: `${min}..99; above 99 is refused with 422.` });

export const AddCartItemSchema = z
  .strictObject({ sku: SkuSchema, quantity: quantity(1) })
  .meta({ id: 'AddCartItem', description: 'Adds to the SKU line (creating it).' });

export const SetCartItemSchema = z
  .strictObject({ quantity: quantity(0) })
  .meta({ id: 'SetCartItem', description: 'The new quantity; 0 removes the line.' });

export const MergeCartSchema = z
  .strictObject({ cartId: z.string().min(1).max(128) })
  .meta({ id: 'MergeCart', description: "The guest cart to merge into the signed-in user's cart." });

/** POST /carts takes no fields; a body, if sent, must be an empty object. */
export const CreateCartSchema = z.strictObject({}).meta({ id: 'CreateCart' });

export type AddCartItem = z.output<typeof AddCartItemSchema>;
