/** POST /carts/{cartId}/items: body { sku, quantity } adds to the SKU's line. */
import { jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { AddCartItemSchema } from '../domain/requests.ts';
import { addItem } from '../domain/use-cases.ts';
import { caller, cartHandler, cartIdParam, cartReply, writeOptions } from './cart-http.ts';

export const handler = cartHandler(async (event) => {
  const options = writeOptions(event);
  const input = validate(AddCartItemSchema, jsonBody(event), 'cart item');
  return cartReply(await addItem(deps, cartIdParam(event), caller(event), input, options));
});
