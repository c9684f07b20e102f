/** DELETE /carts/{cartId}/items/{sku}: removes the line; 200 with the cart. */
import { deps } from '../adapters/wiring.ts';
import { removeItem } from '../domain/use-cases.ts';
import { caller, cartHandler, cartIdParam, cartReply, skuParam, writeOptions } from './cart-http.ts';

export const handler = cartHandler(async (event) => {
  const options = writeOptions(event);
  return cartReply(await removeItem(deps, cartIdParam(event), caller(event), skuParam(event), options));
});
