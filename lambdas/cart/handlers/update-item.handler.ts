/** PATCH /carts/{cartId}/items/{sku}: body { quantity } sets the line's quantity; 0 removes it. */
import { jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { SetCartItemSchema } from '../domain/requests.ts';
import { setItemQuantity } from '../domain/use-cases.ts';
import { caller, cartHandler, cartIdParam, cartReply, skuParam, writeOptions } from './cart-http.ts';

export const handler = cartHandler(async (event) => {
  const options = writeOptions(event);
  const sku = skuParam(event);
  const { quantity } = validate(SetCartItemSchema, jsonBody(event), 'cart item');
  return cartReply(await setItemQuantity(deps, cartIdParam(event), caller(event), sku, quantity, options));
});
