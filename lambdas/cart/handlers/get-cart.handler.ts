/** GET /carts/{cartId} (holder of a guest cart id, or the owner): the cart re-priced. */
import { deps } from '../adapters/wiring.ts';
import { getCart } from '../domain/use-cases.ts';
import { caller, cartHandler, cartIdParam, cartReply } from './cart-http.ts';

export const handler = cartHandler(async (event) =>
  cartReply(await getCart(deps, cartIdParam(event), caller(event))),
);
