/**
 * Request bodies of the cart routes. The same schemas feed the OpenAPI document. Unknown fields
 * are errors; quantities above 99 pass here and are refused by the cart rules (422), since "more
 * than a line may hold" is a business rule, not malformed input.
 */
import * as z from 'zod';
import { SKU_PATTERN } from '#catalog/domain/product.ts';
import { boundedString } from '#shared/text.ts';

/** The catalog's SKU format: a string that cannot be a SKU is bad input, not an unknown SKU. */
export const SkuSchema = z.string().regex(SKU_PATTERN, 'SKU: 1-64 of A-Z, 0-9, "-" and "_".');

/**
 * `{cartId}`: any string. One that no cart can have is an unknown cart (404), like a cart that
 * expired or is someone else's, so nothing about other carts leaks.
 */
export const CartIdParamSchema = z.string().min(1).meta({
  description:
    "The cart's id (a guest cart's is its key). Any value that is not a cart of yours, or not a guest cart, is a 404.",
});

export const CartPathSchema = z.object({ cartId: CartIdParamSchema });

/** `{cartId}` and `{sku}`: a SKU outside the catalog format is a 400 on `sku`. */
export const CartLinePathSchema = z.object({
  cartId: CartIdParamSchema,
  sku: SkuSchema.meta({ description: 'A SKU in the catalog format: 1-64 of A-Z, 0-9, "-" and "_".' }),
});

/** The highest cart version If-Match can name (15 digits). */
const VERSION = '[1-9][0-9]{0,14}';

/**
 * If-Match as the cart writes take it: `*` (no condition), or one version bare (`3`), quoted
 * (`"3"`, the ETag) or weak (`W/"3"`). Anything else (a list, leading zeros, unbalanced quotes)
 * is a 400: a malformed tag never silently names a version.
 */
export const IF_MATCH_PATTERN = new RegExp(`^(?:\\*|W/"${VERSION}"|"${VERSION}"|${VERSION})$`);

const IF_MATCH_MESSAGE = 'If-Match: the cart version to write, e.g. "3".';

/** The headers of a cart write; the handler parses the version out of a validated If-Match. */
export const CartWriteHeadersSchema = z.object({
  'If-Match': z
    .string()
    .regex(IF_MATCH_PATTERN, IF_MATCH_MESSAGE)
    .optional()
    .meta({
      description:
        'Write only if the cart is still at this version: the ETag ("3"), also bare (3) or weak (W/"3"); ' +
        '`*` or no header: no condition. Another version: 412.',
      example: '"3"',
    }),
});

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
  .strictObject({ cartId: boundedString(128) })
  .meta({ id: 'MergeCart', description: "The guest cart to merge into the signed-in user's cart." });

/** POST /carts takes no fields; a body, if sent, must be an empty object. */
export const CreateCartSchema = z.strictObject({}).meta({ id: 'CreateCart' });

export type AddCartItem = z.output<typeof AddCartItemSchema>;
