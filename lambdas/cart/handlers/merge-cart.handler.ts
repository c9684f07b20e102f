/**
 * POST /me/cart/merge (signed in): body { cartId } moves a guest cart into the user's cart and
 * deletes it. A repeat finds no guest cart: 404, and the lines were counted once.
 */
import { jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { MergeCartSchema } from '../domain/requests.ts';
import { mergeGuestCart } from '../domain/use-cases.ts';
import { cartHandler, cartReply, signedIn, writeOptions } from './cart-http.ts';

export const handler = cartHandler(async (event) => {
  const who = signedIn(event);
  const options = writeOptions(event);
  const { cartId } = validate(MergeCartSchema, jsonBody(event), 'merge request');
  return cartReply(await mergeGuestCart(deps, who, cartId, options));
});
