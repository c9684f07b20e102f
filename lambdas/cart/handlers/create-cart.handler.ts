/** POST /carts (anyone): 201 with a new guest cart; its id is the guest's key to it. One PutItem. */
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { CreateCartSchema } from '../domain/requests.ts';
import { createGuestCart } from '../domain/use-cases.ts';
import { cartHandler, cartReply, optionalJsonBody } from './cart-http.ts';

export const handler = cartHandler(async (event) => {
  validate(CreateCartSchema, optionalJsonBody(event), 'cart');
  const cart = await createGuestCart(deps);
  return cartReply(cart, 201, { location: `/carts/${cart.cartId}` });
});
